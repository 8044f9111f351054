import { PageState, stateOf } from './PageState';

interface Props {
  onRetry: () => void;
  /** What failed: a 404 shows 没有找到, no network 网络不通, anything else 加载出错了. */
  error?: unknown;
}

/** A page whose data did not load: the screen that says why, with a way on. */
export function LoadFailed({ onRetry, error }: Props) {
  return <PageState kind={error === undefined ? 'error' : stateOf(error)} onRetry={onRetry} />;
}
