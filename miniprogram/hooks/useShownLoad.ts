import { useEffect, useRef } from 'react';
import { useDidShow } from '@tarojs/taro';

/** A load this recent is the one the page's show would ask for again. */
const FRESH_MS = 1_000;

/**
 * Runs `load` when the component mounts and again each time its page shows. Taro's useDidShow alone
 * misses the show its page had before the component mounted: a part rendered once data arrived (我的待办
 * once the fresh user turns out to be staff) would wait for the next show with nothing loaded.
 */
export function useShownLoad(load: () => void): void {
  const loadedAt = useRef(0);
  const latest = useRef(load);
  latest.current = load;
  // Mounted with its page, the page's show may come before or after the mount's effect: whichever is
  // second finds the first's load fresh.
  const runUnlessFresh = () => {
    if (Date.now() - loadedAt.current < FRESH_MS) return;
    loadedAt.current = Date.now();
    latest.current();
  };
  useEffect(runUnlessFresh, []);
  useDidShow(runUnlessFresh);
}
