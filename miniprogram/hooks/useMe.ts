import { useCallback, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import type { Me } from '@linli/shared';
import { ensureSession } from '../services/auth';
import { getMe } from '../services/me';
import { getCachedUser } from '../services/session';

export interface MeState {
  me: Me | null;
  loading: boolean;
  failed: boolean;
  reload: () => void;
  /** Takes a fresh `Me` an action answered with (no second request). */
  replace: (me: Me) => void;
}

/** The signed-in user, fetched again each time the page shows (e.g. back from binding a household). */
export function useMe(): MeState {
  const [me, setMe] = useState<Me | null>(() => getCachedUser());
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const generation = useRef(0);

  const reload = useCallback(() => {
    const current = ++generation.current;
    setLoading(true);
    setFailed(false);
    void (async () => {
      try {
        if (!(await ensureSession())) return;
        const fresh = await getMe();
        if (current === generation.current) setMe(fresh);
      } catch {
        if (current === generation.current) setFailed(true);
      } finally {
        if (current === generation.current) setLoading(false);
      }
    })();
  }, []);

  useDidShow(reload);

  const replace = useCallback((fresh: Me) => {
    generation.current += 1;
    setMe(fresh);
    setLoading(false);
  }, []);

  return { me, loading, failed, reload, replace };
}
