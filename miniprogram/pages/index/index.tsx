import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { isStaff, mayClaimTasks, MEMBERSHIP_STATUS_LABELS } from '@linli/shared';
import { GridCard } from '../../components/GridCard';
import { HomeNotices } from '../../components/HomeNotices';
import { LoadFailed } from '../../components/LoadFailed';
import { StaffToDo } from '../../components/StaffToDo';
import { useMe } from '../../hooks/useMe';
import { useUnread } from '../../hooks/useUnread';
import { BIND_PAGE, WORKBENCH_PAGE } from '../../services/me';
import { TASKS_PAGE } from '../../services/timebank';
import './index.scss';
import { pageClass } from '../../hooks/useElderMode';

const SHORTCUTS = [
  { key: 'report', title: '我要说事', text: '身边问题 随手反映', url: '/pages/report/index' },
  { key: 'consult', title: '议事协商', text: '楼里的事 一起商量', url: '/pages/consult/index' },
] as const;

export default function Home() {
  const { me, loading, failed, reload } = useMe();
  useUnread();
  // Without a current household: the last request that ended (refused, or removed) is told with its reason.
  const ended = me && !me.household ? [...me.households].reverse().find((h) => h.membership.status === 'rejected' || h.membership.status === 'removed') : undefined;

  return (
    <View id="home-page" className={pageClass('page home')}>
      <View className="home__hero">
        <Text id="home-welcome" className="home__welcome">
          {me ? `${me.nickname}，您好` : '您好'}
        </Text>
        <Text className="home__slogan">共建共治共享 · 邻里一家亲</Text>
      </View>

      {failed && !me ? <LoadFailed onRetry={reload} /> : null}

      {me && isStaff(me) ? <StaffToDo me={me} /> : null}

      {me?.household ? <GridCard household={me.household} /> : null}

      <HomeNotices />

      {/* Staff without a household of their own are not asked for one here (我的 still offers it). */}
      {me && !me.household && (!isStaff(me) || ended) ? (
        <View id="bind-prompt" className="card home__bind">
          <Text className="card-title">还没有绑定住户</Text>
          {ended ? (
            <View id="home-membership-ended" className="home__ended">
              <Text className="mark mark--danger">{MEMBERSHIP_STATUS_LABELS[ended.membership.status]}</Text> {ended.label}
              {ended.membership.reason ? `：${ended.membership.reason}` : ''}
            </View>
          ) : null}
          <View className="muted">选择您家的楼栋和房号申请加入，网格员核验后即可参与楼栋议事；也可以用业主给的邀请码直接加入。</View>
          <View className="block-button">
            <Button
              id="home-bind-button"
              className="home-bind-button"
              type="primary"
              size="large"
              block
              onClick={() => void Taro.navigateTo({ url: BIND_PAGE })}
            >
              申请加入住户
            </Button>
          </View>
        </View>
      ) : null}

      {me && isStaff(me) ? (
        <View id="home-workbench" className="card home__workbench" onClick={() => void Taro.navigateTo({ url: WORKBENCH_PAGE })}>
          <View className="home__workbench-main">
            <Text className="home__shortcut-title">工作台</Text>
            <Text className="muted">受理说事、审议议题、督办考核</Text>
          </View>
          <Text className="home__arrow">›</Text>
        </View>
      ) : null}

      {me && mayClaimTasks(me) ? (
        <View id="home-volunteer" className="card home__workbench" onClick={() => void Taro.navigateTo({ url: TASKS_PAGE })}>
          <View className="home__workbench-main">
            <Text className="home__shortcut-title">志愿服务</Text>
            <Text className="muted">认领任务、签到签退、存时长</Text>
          </View>
          <Text className="home__arrow">›</Text>
        </View>
      ) : null}

      {!me && loading ? <View className="card muted home__loading">正在加载…</View> : null}

      <View className="home__shortcuts">
        {SHORTCUTS.map((item) => (
          <View
            key={item.key}
            id={`home-shortcut-${item.key}`}
            className="home__shortcut card"
            onClick={() => void Taro.switchTab({ url: item.url })}
          >
            <Text className="home__shortcut-title">{item.title}</Text>
            <Text className="muted">{item.text}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
