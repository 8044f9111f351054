import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError } from '../services/api';
import { HOME_PAGE } from '../services/session';
import { a11y } from '../utils/a11y';
import './PageState.scss';

/** The four ways a page can have nothing to show, each with its own screen and way on. */
export type PageStateKind = 'notfound' | 'offline' | 'error' | 'empty';

const SCREENS: Record<PageStateKind, { mark: string; title: string; text: string }> = {
  notfound: { mark: '?', title: '没有找到', text: '这个页面不存在，或者您没有查看它的权限。' },
  offline: { mark: '!', title: '网络不通', text: '手机没有连上网络，请检查网络后重新加载。' },
  error: { mark: '!', title: '加载出错了', text: '服务暂时出了问题，请稍后重新加载。' },
  empty: { mark: '○', title: '这里还没有内容', text: '' },
};

/** Which screen an error calls for: 404 → not found, no answer → offline, anything else → error. */
export function stateOf(error: unknown): PageStateKind {
  if (error instanceof ApiError) {
    if (error.status === 404 || error.status === 403) return 'notfound';
    if (error.code === 'NETWORK_ERROR') return 'offline';
  }
  return 'error';
}

interface Props {
  kind: PageStateKind;
  /** Overrides the screen's title / text (e.g. 这条说事不存在). */
  title?: string;
  text?: string;
  onRetry?: () => void;
}

export function PageState({ kind, title, text, onRetry }: Props) {
  const screen = SCREENS[kind];
  return (
    <View id={`page-state-${kind}`} className={`card page-state page-state--${kind}`} {...a11y({ role: kind === 'empty' ? undefined : 'alert' })}>
      <Text className="page-state__mark" {...a11y({ hidden: true })}>
        {screen.mark}
      </Text>
      <Text className="page-state__title">{title ?? screen.title}</Text>
      {(text ?? screen.text) ? <Text className="page-state__text">{text ?? screen.text}</Text> : null}
      {onRetry && kind !== 'notfound' && kind !== 'empty' ? (
        <View className="block-button">
          <Button id="page-state-retry" type="primary" size="large" block onClick={onRetry}>
            重新加载
          </Button>
        </View>
      ) : null}
      {kind === 'notfound' ? (
        <View className="block-button">
          <Button id="page-state-home" type="primary" size="large" block onClick={() => void Taro.switchTab({ url: HOME_PAGE })}>
            返回首页
          </Button>
        </View>
      ) : null}
    </View>
  );
}
