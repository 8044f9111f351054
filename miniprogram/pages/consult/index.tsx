import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { mayPropose } from '@linli/shared';
import { ConsultRow } from '../../components/ConsultRow';
import { ListFooter } from '../../components/ListFooter';
import { useCursorList } from '../../hooks/useCursorList';
import { useMe } from '../../hooks/useMe';
import { useUnread } from '../../hooks/useUnread';
import { ensureSession } from '../../services/auth';
import { CONSULT_NEW_PAGE, listConsultations, type ConsultationListItem, type ConsultationPage } from '../../services/consultations';
import './index.scss';
import { pageClass } from '../../hooks/useElderMode';

type Tab = 'eligible' | 'mine';

const TABS: Array<{ key: Tab; label: string }> = [
  { key: 'eligible', label: '可参与的' },
  { key: 'mine', label: '我发起的' },
];

/** The 议事 tab: consultations of my building, micro-grid and community; the ones I proposed. */
export default function Consult() {
  const { me } = useMe();
  useUnread();
  const [tab, setTab] = useState<Tab>('eligible');

  const fetchPage = useCallback((cursor: string | null) => listConsultations({ scope: tab, cursor: cursor ?? undefined }), [tab]);
  const list = useCursorList<ConsultationListItem, ConsultationPage>(fetchPage);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    await list.refresh();
  }, [list.refresh]);

  // Refetch when the tab changes, and each time the page shows again (back from a consultation).
  const firstShow = useRef(true);
  useEffect(() => {
    void reload();
  }, [reload]);
  useDidShow(() => {
    if (firstShow.current) {
      firstShow.current = false;
      return;
    }
    void reload();
  });
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  const hasHousehold = !!me?.household;
  // Proposing is a household's: without one, the card below offers binding instead.
  const canPropose = mayPropose(me);
  const propose = () => void Taro.navigateTo({ url: CONSULT_NEW_PAGE });

  return (
    <View id="consult-page" className={pageClass('page consult')}>
      <View className="consult__intro">
        <View className="consult__intro-main">
          <Text className="consult__title">楼里的事，大家商量着办</Text>
          <Text className="consult__subtitle">提议题 · 审议题 · 议议题 · 落议题</Text>
        </View>
        {canPropose ? (
          <View id="consult-new" className="consult__new" onClick={propose}>
            发起议题
          </View>
        ) : null}
      </View>

      {me && !hasHousehold ? (
        <View id="consult-bind-prompt" className="card consult__bind">
          <View className="muted">绑定住户后，才能参与您家楼栋、微网格和社区的议事。</View>
          <View className="block-button">
            <Button size="small" type="primary" fill="outline" onClick={() => void Taro.navigateTo({ url: '/pages/bind/index' })}>
              绑定住户
            </Button>
          </View>
        </View>
      ) : null}

      <View id="consult-tabs" className="consult__tabs">
        {TABS.map((item) => (
          <View key={item.key} id={`consult-tab-${item.key}`} className={`consult__tab ${tab === item.key ? 'is-active' : ''}`} onClick={() => setTab(item.key)}>
            {item.label}
          </View>
        ))}
      </View>

      <View id="consult-list">
        {list.items.map((item) => (
          <ConsultRow key={item.id} item={item} />
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="consult-empty" className="card empty-card">
          <Text className="card-title">{tab === 'mine' ? '您还没有发起过议题' : '暂时没有可参与的议题'}</Text>
          <View className="muted">加装电梯、停车位、楼道改造……楼里的公共事务，都可以提出来和邻居们一起商量。</View>
          {canPropose ? (
            <View className="block-button">
              <Button type="primary" block onClick={propose}>
                发起议题
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}
