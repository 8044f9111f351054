import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { ensureSession } from '../services/auth';

export interface Detail<T> {
  detail: T | null;
  /** Takes the fresh copy an action answered with. */
  setDetail: (detail: T) => void;
  /** What went wrong on the last load (the page shows not found, offline or error from it), or null. */
  failed: unknown;
  load: () => Promise<void>;
}

/**
 * One thing shown by id (a report, a dispute…): loaded on mount and on pull-down, quietly (the page says
 * what went wrong, not a toast as well); an answer to an older load never overwrites a newer one.
 */
export function useDetail<T>(fetchDetail: () => Promise<T>, deps: readonly unknown[]): Detail<T> {
  const [detail, setDetailState] = useState<T | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const generation = useRef(0);

  // The fetch is a new closure on every render: `deps` (the id) say when it really changes.
  const fetchNow = useCallback(fetchDetail, deps);
  const load = useCallback(async () => {
    const current = ++generation.current;
    setFailed(null);
    try {
      if (!(await ensureSession())) return;
      const fresh = await fetchNow();
      if (current === generation.current) setDetailState(fresh);
    } catch (error) {
      if (current === generation.current) setFailed(error);
    }
  }, [fetchNow]);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const setDetail = useCallback((fresh: T) => {
    generation.current += 1;
    setDetailState(fresh);
  }, []);

  return { detail, setDetail, failed, load };
}
