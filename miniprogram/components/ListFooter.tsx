import { View } from '@tarojs/components';

interface Props {
  list: { items: unknown[]; loading: boolean; failed: boolean; hasMore: boolean; loadMore: () => Promise<void>; refresh: () => Promise<void> };
}

/** Under a paged list: loading, retry after a failure, 加载更多, or the end. */
export function ListFooter({ list }: Props) {
  let text: string;
  let onClick: (() => void) | undefined;
  if (list.loading) text = '正在加载…';
  else if (list.failed) {
    text = '加载失败，点击重试';
    onClick = () => void (list.items.length ? list.loadMore() : list.refresh());
  } else if (list.hasMore && list.items.length > 0) {
    text = '加载更多';
    onClick = () => void list.loadMore();
  } else if (list.items.length > 0) text = '没有更多了';
  else return null;
  return (
    <View className="list-footer muted" onClick={onClick}>
      {text}
    </View>
  );
}
