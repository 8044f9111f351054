import { useCallback, useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { mayReviewContent, type ModerationCaseStatus, type ModerationCaseView, type ModerationQueueCounts } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { ListFooter } from '../../../components/ListFooter';
import { restricted } from '../../../components/Restricted';
import { Tabs } from '../../../components/Tabs';
import { useCursorList } from '../../../hooks/useCursorList';
import { showError } from '../../../services/api';
import { ensureSession } from '../../../services/auth';
import { listModerationCases, releaseCase, removeCase, type ModerationCasePage } from '../../../services/moderation';
import { isStale } from '../../../services/reports';
import { CaseCard, type Decision } from './CaseCard';
import { DecisionForm } from './DecisionForm';
import './index.scss';

type Tab = 'held' | 'pending' | 'done';
type Done = Extract<ModerationCaseStatus, 'released' | 'removed'>;

const DONE_FILTERS: Array<{ key: Done; label: string }> = [
  { key: 'released', label: '已通过' },
  { key: 'removed', label: '已移除' },
];

const EMPTY_TEXT: Record<Tab, string> = {
  held: '没有待审核的内容',
  pending: '没有正在检测图片的内容',
  done: '',
};

/**
 * 内容审核 for secretaries and admins: residents' content that a check flagged (待审核) or whose images
 * WeChat is still checking (检测中), and what was decided. Paged by cursor; a decision takes the case
 * off the open list at once, without reloading the others.
 */
function ModerationQueue() {
  const [tab, setTab] = useState<Tab>('held');
  const [done, setDone] = useState<Done>('released');
  const [counts, setCounts] = useState<ModerationQueueCounts | null>(null);
  const [deciding, setDeciding] = useState<{ item: ModerationCaseView; decision: Decision } | null>(null);
  const [busy, setBusy] = useState(false);

  const status: ModerationCaseStatus = tab === 'done' ? done : tab;
  const fetchPage = useCallback(
    async (cursor: string | null) => {
      const page = await listModerationCases({ status, cursor });
      setCounts(page.counts);
      return page;
    },
    [status],
  );
  const list = useCursorList<ModerationCaseView, ModerationCasePage>(fetchPage);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    await list.refresh();
  }, [list.refresh]);

  useEffect(() => {
    void reload();
  }, [reload]);
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  const onDecide = useCallback((item: ModerationCaseView, decision: Decision) => setDeciding({ item, decision }), []);

  const decide = async (text: string) => {
    if (!deciding || busy) return;
    const { item, decision } = deciding;
    setBusy(true);
    try {
      if (decision === 'release') await releaseCase(item, text || undefined);
      else await removeCase(item, text);
      setDeciding(null);
      list.setItems((items) => items.filter((other) => other.id !== item.id));
      // The last one shown was decided but more wait beyond the cursor: fetch them.
      if (list.items.length <= 1 && list.hasMore) void list.refresh();
      setCounts((old) => (old && (item.status === 'held' || item.status === 'pending') ? { ...old, [item.status]: Math.max(0, old[item.status] - 1) } : old));
      void Taro.showToast({ title: decision === 'release' ? '已通过' : '已移除', icon: 'success' });
    } catch (error) {
      if (isStale(error)) {
        setDeciding(null);
        void Taro.showToast({ title: '这条内容刚被其他人处理过，已为您刷新', icon: 'none', duration: 2500 });
        await list.refresh();
      } else {
        showError(error);
      }
    } finally {
      setBusy(false);
    }
  };

  const label = (text: string, count: number | undefined) => (count ? `${text} ${count > 999 ? '999+' : count}` : text);

  return (
    <View id="moderation-page" className="page desk-page moderation">
      <Tabs
        idPrefix="mod-tab"
        items={[
          { key: 'held', label: label('待审核', counts?.held) },
          { key: 'pending', label: label('检测中', counts?.pending) },
          { key: 'done', label: '已处理' },
        ]}
        active={tab}
        onChange={setTab}
      />
      {tab === 'done' ? (
        <View className="moderation__done">
          <Choices idPrefix="mod-done" small items={DONE_FILTERS} selected={done} onSelect={setDone} />
        </View>
      ) : null}
      {tab === 'pending' ? <View className="moderation__hint muted">文字已通过，图片还在等微信检测；超过 30 分钟未出结果会转入待审核，也可以直接处理。</View> : null}

      <View id="moderation-list">
        {list.items.map((item) => (
          <CaseCard key={item.id} item={item} onDecide={onDecide} />
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="moderation-empty" className="card empty-card muted">
          {tab === 'done' ? `没有${DONE_FILTERS.find((f) => f.key === done)?.label}的内容` : EMPTY_TEXT[tab]}
        </View>
      ) : null}
      <ListFooter list={list} />

      {deciding ? (
        <DecisionForm item={deciding.item} decision={deciding.decision} busy={busy} onClose={() => setDeciding(null)} onSubmit={(text) => void decide(text)} />
      ) : null}
    </View>
  );
}

export default restricted(ModerationQueue, mayReviewContent);
