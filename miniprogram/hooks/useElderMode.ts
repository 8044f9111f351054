import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';

/**
 * 关怀模式 (elder mode): larger type (main text ≥ 18 dp), more line spacing, tap targets ≥ 60 × 60.
 * One mechanism: the class `elder` on the page root (and on <html> on H5, for what is drawn outside the
 * page: toasts, popups), and CSS variables under it (app.scss). By default it follows WeChat's font size
 * (getAppBaseInfo().fontSizeSetting, as WeChat's 适老化 guide asks); 我的 switches it on or off for good.
 */
export type ElderSetting = 'auto' | 'on' | 'off';

const STORAGE_KEY = 'linli.elderMode';
/** WeChat's standard font size is 17 px; anything larger was chosen by the user. */
const STANDARD_FONT_SIZE = 17;

export function elderSetting(): ElderSetting {
  const stored = Taro.getStorageSync(STORAGE_KEY) as unknown;
  return stored === 'on' || stored === 'off' ? stored : 'auto';
}

export function setElderSetting(setting: ElderSetting): void {
  if (setting === 'auto') Taro.removeStorageSync(STORAGE_KEY);
  else Taro.setStorageSync(STORAGE_KEY, setting);
  markDocument(isElderMode());
}

/** The user asked WeChat for larger text (weapp; H5 has no such setting, so only 我的 turns it on there). */
export function systemWantsLargeText(): boolean {
  if (process.env.TARO_ENV !== 'weapp') return false;
  try {
    const info = Taro.getAppBaseInfo() as { fontSizeSetting?: number };
    return (info.fontSizeSetting ?? STANDARD_FONT_SIZE) > STANDARD_FONT_SIZE;
  } catch {
    return false;
  }
}

export function isElderMode(): boolean {
  const setting = elderSetting();
  return setting === 'on' || (setting === 'auto' && systemWantsLargeText());
}

function markDocument(elder: boolean): void {
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') document.documentElement.classList.toggle('elder', elder);
}

/** The page root's class: `base`, plus `elder` in elder mode; read again each time the page shows. */
export function usePageClass(base: string): string {
  const [elder, setElder] = useState(isElderMode);
  useDidShow(() => {
    const now = isElderMode();
    markDocument(now);
    setElder(now);
  });
  return elder ? `${base} elder` : base;
}

/** The same, for a page that renders again when it shows anyway (no hook needed): `page home` → `page home elder`. */
export function pageClass(base: string): string {
  return isElderMode() ? `${base} elder` : base;
}
