import type { PropsWithChildren } from 'react';
import Taro, { useLaunch, usePageNotFound } from '@tarojs/taro';
import { isElderMode } from './hooks/useElderMode';
import './app.scss';

const NOT_FOUND_PAGE = '/pages/notfound/index';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'h5') {
      document.documentElement.classList.toggle('elder', isElderMode());
      labelNavigationBar();
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

export default App;
