import type { PropsWithChildren } from 'react';
import Taro, { useLaunch, usePageNotFound } from '@tarojs/taro';
import { isElderMode } from './hooks/useElderMode';
import './app.scss';

const NOT_FOUND_PAGE = '/pages/notfound/index';
// The desk layout (wide screens) is for the browser; the mini-program build leaves it out.
if (process.env.TARO_ENV === 'h5') require('./styles/desk.scss');

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'h5') {
      document.documentElement.classList.toggle('elder', isElderMode());
      labelNavigationBar();
      roleFromAriaRole();
    }
  });
  // An address that is no page (an old link, a typo) gets a page that says so, with the way home.
  usePageNotFound(() => {
    void Taro.redirectTo({ url: NOT_FOUND_PAGE });
  });
  // children is the page being shown.
  return children;
}

/** H5's title bar (Taro draws it): its back and home buttons are icons, so they get names and a role. */
function labelNavigationBar(): void {
  const label = (selector: string, name: string) => {
    const button = document.querySelector(selector);
    if (!button) return;
    button.setAttribute('role', 'button');
    button.setAttribute('aria-label', name);
    button.setAttribute('tabindex', '0');
    button.querySelector('svg')?.setAttribute('aria-hidden', 'true');
  };
  label('.taro-navigation-bar-back', '返回');
  label('.taro-navigation-bar-home', '回首页');
}

/**
 * NutUI's components (Switch…) set the mini-program's `aria-role`, which a browser does not know: on H5
 * it becomes `role`, so a screen reader hears 开关 and whether it is on. Scrolling pages become focusable.
 */
function roleFromAriaRole(): void {
  const fix = (element: Element) => {
    const role = element.getAttribute('aria-role');
    if (role === null) return;
    element.setAttribute('role', role);
    element.removeAttribute('aria-role');
  };
  // A page or scroll view scrolls: it takes the keyboard's focus so that arrows scroll it too.
  const scrollable = (element: Element) => {
    if (element.matches('.taro_page, taro-scroll-view-core') && !element.hasAttribute('tabindex')) element.setAttribute('tabindex', '0');
  };
  const visit = (element: Element) => {
    fix(element);
    scrollable(element);
    element.querySelectorAll('[aria-role], .taro_page, taro-scroll-view-core').forEach((inner) => {
      fix(inner);
      scrollable(inner);
    });
  };
  visit(document.body);
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes') fix(mutation.target as Element);
      else mutation.addedNodes.forEach((node) => node instanceof Element && visit(node));
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-role'] });
}

export default App;
