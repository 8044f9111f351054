import { View } from '@tarojs/components';
import { PageState } from '../../components/PageState';
import { usePageClass } from '../../hooks/useElderMode';

/** Where an unknown address lands (app.tsx's onPageNotFound): says so, and the way home. */
export default function NotFound() {
  const className = usePageClass('page');
  return (
    <View id="notfound-page" className={className}>
      <PageState kind="notfound" title="页面不存在" text="您打开的地址不存在，可能已经失效。" />
    </View>
  );
}
