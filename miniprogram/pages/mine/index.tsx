import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Cell, Switch, Tag } from '@nutui/nutui-react-taro';
import { isStaff, mayMediateDisputes, MEMBERSHIP_STATUS_LABELS, ROLE_LABELS, type Role } from '@linli/shared';
import { LoadFailed } from '../../components/LoadFailed';
import { useMe } from '../../hooks/useMe';
import { useUnread } from '../../hooks/useUnread';
import { logout } from '../../services/auth';
import { BIND_PAGE, updateSettings, WORKBENCH_PAGE } from '../../services/me';
import { NOTICES_PAGE } from '../../services/notices';
import { showError } from '../../services/api';
import { getMyPoints, LEADERBOARD_PAGE, MALL_PAGE, POINTS_PAGE } from '../../services/points';
import { INBOX_PAGE, MY_REPORTS_PAGE } from '../../services/reports';
import { DISPUTE_QUEUE_PAGE, MY_DISPUTES_PAGE } from '../../services/disputes';
import { getToken, LOGIN_PAGE } from '../../services/session';
import { getMyTimebank, TIMEBANK_PAGE } from '../../services/timebank';
import './index.scss';
import { isElderMode, pageClass, setElderSetting } from '../../hooks/useElderMode';

export default function Mine() {
  const { me, failed, reload, replace } = useMe();
  const [elder, setElder] = useState(isElderMode);
  const [savingName, setSavingName] = useState(false);
  const unread = useUnread();
  const [points, setPoints] = useState<number | null>(null);
  const [hours, setHours] = useState<number | null>(null);

  // Staff with no household of their own earn no points or hours: their 我的 leads with their work instead.
  const staffOnly = !!me && isStaff(me) && !me.household && me.households.length === 0;

  // Balances ride along quietly: the cards show — until they arrive.
  useDidShow(() => {
    if (!getToken() || staffOnly) return;
    getMyPoints(null, { silent: true })
      .then((page) => setPoints(page.balance))
      .catch(() => undefined);
    getMyTimebank(null, { silent: true })
      .then((page) => setHours(page.balanceHours))
      .catch(() => undefined);
  });

  const onLogout = async () => {
    const { confirm } = await Taro.showModal({ title: '退出登录', content: '确定要退出登录吗？', confirmColor: '#c23b17' });
    if (!confirm) return;
    logout();
    await Taro.reLaunch({ url: LOGIN_PAGE });
  };

  const switchElder = (on: boolean) => {
    setElderSetting(on ? 'on' : 'off');
    setElder(on);
  };

  const switchShowName = async (on: boolean) => {
    setSavingName(true);
    try {
      replace(await updateSettings({ showNameOnLeaderboard: on }));
    } catch (error) {
      showError(error);
    } finally {
      setSavingName(false);
    }
  };

  if (!me) {
    return <View className={pageClass('page')}>{failed ? <LoadFailed onRetry={reload} /> : <View className="card muted">正在加载…</View>}</View>;
  }

  const roles: Role[] = me.roles.length ? me.roles : ['resident'];

  return (
    <View id="mine-page" className={elder ? 'page mine elder' : 'page mine'}>
      <View className="mine__profile card">
        <View className="mine__avatar">{me.nickname.slice(0, 1)}</View>
        <View className="mine__who">
          <Text id="mine-nickname" className="mine__nickname">
            {me.nickname}
          </Text>
          <View id="mine-roles" className="mine__roles">
            {roles.map((role) => (
              <Tag key={role} className={`mine__role mine-role-${role}`} type="primary" round>
                {ROLE_LABELS[role] ?? role}
              </Tag>
            ))}
          </View>
        </View>
      </View>

      {staffOnly ? (
        <Cell.Group>
          <Cell className="mine-workbench mine-staff-workbench" title="工作台" description="说事办理、待办、考核" extra="›" clickable onClick={() => void Taro.navigateTo({ url: WORKBENCH_PAGE })} />
        </Cell.Group>
      ) : (
        <View className="mine__wallet">
          <View id="mine-points" className="mine__wallet-item card" onClick={() => void Taro.navigateTo({ url: POINTS_PAGE })}>
            <Text id="mine-points-balance" className="mine__wallet-value">
              {points ?? '—'}
            </Text>
            <Text className="mine__wallet-label">文明积分 ›</Text>
          </View>
          <View id="mine-timebank" className="mine__wallet-item mine__wallet-item--hours card" onClick={() => void Taro.navigateTo({ url: TIMEBANK_PAGE })}>
            <View className="mine__wallet-line">
              <Text id="mine-timebank-hours" className="mine__wallet-value">
                {hours ?? '—'}
              </Text>
              <Text className="mine__wallet-unit">小时</Text>
            </View>
            <Text className="mine__wallet-label">时间银行 ›</Text>
          </View>
        </View>
      )}

      {staffOnly ? null : (
        <Cell.Group>
          <Cell className="mine-mall" title="积分商城" description="用积分兑换生活用品和便民服务" extra="›" clickable onClick={() => void Taro.navigateTo({ url: MALL_PAGE })} />
          <Cell className="mine-rank" title="文明积分榜" extra="›" clickable onClick={() => void Taro.navigateTo({ url: LEADERBOARD_PAGE })} />
        </Cell.Group>
      )}

      <Cell.Group>
        <Cell
          className="mine-inbox"
          title="消息"
          extra={
            <View className="mine__extra">
              {unread > 0 ? (
                <Text id="mine-unread" className="mine__badge">
                  {unread > 99 ? '99+' : unread}
                </Text>
              ) : null}
              <Text>›</Text>
            </View>
          }
          clickable
          onClick={() => void Taro.navigateTo({ url: INBOX_PAGE })}
        />
        <Cell className="mine-reports" title="我的说事" extra="›" clickable onClick={() => void Taro.navigateTo({ url: MY_REPORTS_PAGE })} />
        <Cell className="mine-notices" title="社区公告" extra="›" clickable onClick={() => void Taro.navigateTo({ url: NOTICES_PAGE })} />
        <Cell className="mine-disputes" title="矛盾调解" description="申请调解、查看调解进度" extra="›" clickable onClick={() => void Taro.navigateTo({ url: MY_DISPUTES_PAGE })} />
        {/* A mediator has no 工作台 (no report queue): their cases are reached from here. */}
        {mayMediateDisputes(me) && !isStaff(me) ? (
          <Cell className="mine-dispute-queue" title="调解案件" description="受理指派给我的矛盾纠纷" extra="›" clickable onClick={() => void Taro.navigateTo({ url: DISPUTE_QUEUE_PAGE })} />
        ) : null}
      </Cell.Group>

      <Cell.Group>
        <Cell
          className="mine-elder"
          title="关怀模式"
          description="字更大、按钮更大；默认跟随微信的字体大小"
          extra={<Switch id="mine-elder-switch" checked={elder} onChange={(on) => switchElder(on)} aria-label="关怀模式" />}
        />
        <Cell
          className="mine-show-name"
          title="积分榜显示我的名字"
          description={(me.settings?.showNameOnLeaderboard ?? false) ? '邻居在积分榜上能看到您的名字' : '不开启时显示为 张*梅 这样的样子'}
          extra={
            <Switch
              id="mine-show-name-switch"
              checked={(me.settings?.showNameOnLeaderboard ?? false)}
              disabled={savingName}
              onChange={(on) => void switchShowName(on)}
              aria-label="积分榜显示我的名字"
            />
          }
        />
      </Cell.Group>

      <Cell.Group>
        {[
          <Cell
            key="household"
            className="mine-household"
            title="我的住户"
            extra={
              <Text id="mine-household">
                {me.household ? `${me.household.label} · ${MEMBERSHIP_STATUS_LABELS[me.household.membership.status]}` : '未绑定'}
              </Text>
            }
          />,
          <Cell
            key="switch"
            className="mine-switch-household"
            title={me.household ? '切换住户、申请加入、邀请家人' : '申请加入住户'}
            extra="›"
            clickable
            onClick={() => void Taro.navigateTo({ url: BIND_PAGE })}
          />,
          // Staff only: the workbench sub-package is downloaded when first opened (staff without a household have it above).
          ...(isStaff(me) && !staffOnly
            ? [
                <Cell
                  key="workbench"
                  className="mine-workbench"
                  title="工作台"
                  extra="›"
                  clickable
                  onClick={() => void Taro.navigateTo({ url: WORKBENCH_PAGE })}
                />,
              ]
            : []),
        ]}
      </Cell.Group>

      <View className="mine-logout">
        <Button id="mine-logout" size="large" block onClick={() => void onLogout()}>
          退出登录
        </Button>
      </View>
    </View>
  );
}
