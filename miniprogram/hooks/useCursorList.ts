import { useCallback, useRef, useState } from 'react';
import type { Page } from '@linli/shared';

export interface CursorList<T, P extends Page<T>> {
  items: T[];
  /** The last page fetched (e.g. for counts or unread that ride along). */
  last: P | null;
  loading: boolean;
  failed: boolean;
  hasMore: boolean;
  /** Starts over from the first page. */
  refresh: () => Promise<void>;
  loadMore: () => Promise<void>;
  setItems: (update: (items: T[]) => T[]) => void;
}

/** A list paged by `nextCursor`; a refresh discards answers to older requests. */
export function useCursorList<T, P extends Page<T> = Page<T>>(fetchPage: (cursor: string | null) => Promise<P>): CursorList<T, P> {
  const [items, setItemsState] = useState<T[]>([]);
  const [last, setLast] = useState<P | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [hasMore, setHasMore] = useState(true);
  const generation = useRef(0);
  const busy = useRef(false);

  const load = useCallback(
    async (from: string | null, replace: boolean) => {
      const current = replace ? ++generation.current : generation.current;
      busy.current = true;
      setLoading(true);
      setFailed(false);
      try {
        const page = await fetchPage(from);
        if (current !== generation.current) return;
        setItemsState((old) => (replace ? page.items : [...old, ...page.items]));
        setLast(page);
        setCursor(page.nextCursor);
        setHasMore(!!page.nextCursor);
      } catch {
        if (current === generation.current) setFailed(true);
      } finally {
        if (current === generation.current) {
          busy.current = false;
          setLoading(false);
        }
      }
    },
    [fetchPage],
  );

  const refresh = useCallback(() => load(null, true), [load]);
  const loadMore = useCallback(async () => {
    if (busy.current || !hasMore || !cursor) return;
    await load(cursor, false);
  }, [load, hasMore, cursor]);
  const setItems = useCallback((update: (items: T[]) => T[]) => setItemsState(update), []);

  return { items, last, loading, failed, hasMore, refresh, loadMore, setItems };
}
