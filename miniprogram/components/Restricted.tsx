import type { ComponentType, ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { Me } from '@linli/shared';
import { LoadFailed } from './LoadFailed';
import { useMe } from '../hooks/useMe';
import { HOME_PAGE } from '../services/session';
import './Restricted.scss';
import { pageClass } from '../hooks/useElderMode';

const BIND_PAGE = '/pages/bind/index';

interface Props {
  /** The capability check of `@linli/shared` (e.g. `mayFileOnBehalf`) the page is for. */
  may: (me: Me) => boolean;
  children: ReactNode;
}

/**
 * A page for some roles only. Its content mounts (and calls the API) only for a user who may use it;
 * anyone else who opens it by its URL sees 没有权限 and a way home, or, when a household is all that is
 * missing, an offer to bind one.
 */
export function Restricted({ may, children }: Props) {
  const { me, loading, failed, reload } = useMe();
  // A cached user the page is not for waits for GET /me: a role granted since shows no 没有权限 first.
  if (!me || (!may(me) && loading)) return <View className={pageClass('page')}>{failed ? <LoadFailed onRetry={reload} /> : <View className="card muted">正在加载…</View>}</View>;
  if (may(me)) return <>{children}</>;
  const bindFirst = !me.household && may({ ...me, roles: ['resident', ...me.roles] });
  return (
    <View className={pageClass('page')}>
      <View id="no-access" className="card restricted">
        <Text className="restricted__title">{bindFirst ? '请先绑定住户' : '没有权限'}</Text>
        <Text className="restricted__text muted">{bindFirst ? '绑定您家的楼栋和房号后，就能使用这里的功能。' : '您的账号不能使用这个页面。如需开通，请联系社区工作人员。'}</Text>
        {bindFirst ? (
          <View className="block-button">
            <Button id="no-access-bind" type="primary" size="large" block onClick={() => void Taro.redirectTo({ url: BIND_PAGE })}>
              绑定住户
            </Button>
          </View>
        ) : null}
        <View className="block-button">
          <Button id="no-access-home" size="large" block onClick={() => void Taro.switchTab({ url: HOME_PAGE })}>
            返回首页
          </Button>
        </View>
      </View>
    </View>
  );
}

/** `Page` as a page for those who `may` use it (`export default restricted(Page, mayX)`). */
export function restricted(Page: ComponentType, may: (me: Me) => boolean): ComponentType {
  return function RestrictedPage() {
    return (
      <Restricted may={may}>
        <Page />
      </Restricted>
    );
  };
}
