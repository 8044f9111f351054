import { useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { refreshUnread } from '../services/notifications';

/** The inbox's unread count, refreshed (and put on the 我的 tab badge) each time a tab page shows. */
export function useUnread(): number {
  const [unread, setUnread] = useState(0);
  useDidShow(() => {
    void refreshUnread().then((count) => {
      if (count !== null) setUnread(count);
    });
  });
  return unread;
}
