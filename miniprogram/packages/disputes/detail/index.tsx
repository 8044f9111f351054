import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import {
  AGREEMENT_FORM_LABELS,
  CONFIRMATION_STATUS_LABELS,
  DISPUTE_ACTION_LABELS,
  DISPUTE_SOURCE_LABELS,
  DISPUTE_TYPE_LABELS,
  FAILURE_ADVICE_LABELS,
  MEDIATING_STATUSES,
  PARTY_ROLE_LABELS,
  RISK_LEVEL_LABELS,
  VISIT_METHOD_LABELS,
  type DisputeAction,
  type DisputeDetail,
} from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { PhotoGrid } from '../../../components/PhotoGrid';
import { Timeline } from '../../../components/Timeline';
import { showError } from '../../../services/api';
import { useDetail } from '../../../hooks/useDetail';
import { getDispute, openAgreement, runDisputeAction } from '../../../services/disputes';
import { isStale, reportDetailUrl } from '../../../services/reports';
import { formatTime } from '../../../utils/time';
import { DisputeStatusTag } from '../DisputeRow';
import { ActionForm, ACTION_BUTTON_LABELS, type ActionBody } from './ActionForm';
import '../disputes.scss';
import { pageClass } from '../../../hooks/useElderMode';

const DONE_TOASTS: Record<DisputeAction, string> = {
  accept: '已受理',
  decline: '已不予受理',
  assign: '已改派',
  session: '已记录调解',
  agree: '已记录协议',
  fail: '已记录',
  fulfil: '已记录履行',
  breach: '已记录',
  ruling: '已记录判决',
  visit: '已记录回访',
  extend: '已延期',
  confirmation: '已记录',
  close: '已结案',
};

/** A case: what it is about, the parties, the outcome, the sessions and visits, the timeline, and what the caller may do. */
export default function DisputeDetailPage() {
  const { params } = useRouter();
  const id = Number(params.id);
  const { detail, setDetail, failed, load } = useDetail(() => getDispute(id, { silent: true }), [id]);
  const [form, setForm] = useState<DisputeAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState(false);

  const run = async <A extends DisputeAction>(action: A, body: ActionBody<A>): Promise<boolean> => {
    if (!detail || busy) return false;
    setBusy(true);
    try {
      setDetail(await runDisputeAction(detail, action, body));
      setForm(null);
      void Taro.showToast({ title: DONE_TOASTS[action], icon: 'success' });
      return true;
    } catch (error) {
      if (isStale(error)) {
        setForm(null);
        void Taro.showToast({ title: '这件案件刚被他人处理过，已为您刷新', icon: 'none', duration: 2500 });
        await load();
      } else showError(error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    if (!detail || downloading) return;
    setDownloading(true);
    try {
      await openAgreement(detail);
      if (process.env.TARO_ENV === 'h5') void Taro.showToast({ title: '协议书已开始下载', icon: 'none' });
    } catch {
      // toasted
    } finally {
      setDownloading(false);
    }
  };

  if (!detail) {
    return <View id="dispute-detail-page" className={pageClass('page')}>{failed ? <LoadFailed error={failed} onRetry={() => void load()} /> : <View className="card muted">正在加载…</View>}</View>;
  }

  const d = detail;
  // A party sees when and where the sessions were; the record itself stays with the handlers.
  const notesHidden = d.sessions.some((s) => s.notes === null);
  const events = [...d.events].reverse().map((event) => ({ ...event, label: DISPUTE_ACTION_LABELS[event.action] }));

  return (
    <View id="dispute-detail-page" className={pageClass('page disputes detail')}>
      <View className="card">
        <View className="detail__top">
          <Text id="dispute-number" className="detail__number">
            {d.number}
          </Text>
          <View id="dispute-status">
            <DisputeStatusTag status={d.status} />
          </View>
        </View>
        <View id="dispute-title-text" className="detail__title">
          {d.title}
        </View>
        {d.overdue || d.escalationLevel > 0 || d.riskLevel !== 'normal' ? (
          <View className="detail__marks">
            {d.riskLevel !== 'normal' ? <Text className={`mark mark--${d.riskLevel === 'red' ? 'danger' : 'warning'}`}>{RISK_LEVEL_LABELS[d.riskLevel]}</Text> : null}
            {d.overdue ? <Text id="dispute-overdue" className="mark mark--danger">已超期</Text> : null}
            {d.escalationLevel > 0 ? <Text className="mark mark--warning">督办 {d.escalationLevel} 次</Text> : null}
          </View>
        ) : null}
        <View className="detail__description">{d.description}</View>
        <View className="detail__facts">
          <Fact label="类型" value={DISPUTE_TYPE_LABELS[d.type]} />
          <Fact label="来源" value={DISPUTE_SOURCE_LABELS[d.source]} />
          <Fact label="网格" value={d.nodePath.slice(-2).join(' / ')} />
          <Fact label="登记" value={formatTime(d.createdAt)} />
          {d.mediator ? <Fact id="dispute-mediator" label="调解员" value={`${d.mediator.name}${d.mediator.studio ? ` · ${d.mediator.studio}` : ''}`} /> : null}
          {d.dueAt && MEDIATING_STATUSES.includes(d.status) ? <Fact label="调解期限" value={`${formatTime(d.dueAt)}${d.extended ? '（已延期）' : ''}`} /> : null}
          {d.amount !== null ? <Fact label="涉及金额" value={`${d.amount} 元`} /> : null}
          {d.peopleInvolved !== null ? <Fact label="涉及人数" value={`${d.peopleInvolved} 人`} /> : null}
          {d.reportId ? (
            <View className="detail__fact" onClick={() => void Taro.navigateTo({ url: reportDetailUrl(d.reportId!) })}>
              <Text className="detail__fact-label">来自说事</Text>
              <Text className="detail__fact-value disputes__link">查看说事 ›</Text>
            </View>
          ) : null}
        </View>
      </View>

      <View className="section-title">当事人</View>
      <View id="dispute-parties" className="card">
        {d.parties.map((p) => (
          <View key={p.id} className={`disputes__party-line party-line-${p.role}`}>
            <Text className="disputes__party-role">{PARTY_ROLE_LABELS[p.role]}</Text>
            <Text className="disputes__party-name">
              {p.name}
              {p.isMe ? '（我）' : ''}
            </Text>
            {p.phone ? <Text className="disputes__party-phone">{p.phone}</Text> : null}
          </View>
        ))}
      </View>

      {d.agreement ? (
        <View id="dispute-agreement" className="card disputes__outcome">
          <Text className="card-title">调解协议 · {AGREEMENT_FORM_LABELS[d.agreement.form]}</Text>
          <View className="disputes__terms">{d.agreement.terms}</View>
          <Fact label="履行方式" value={d.agreement.performance} />
          <Fact label="履行期限" value={d.agreement.deadline} />
          <Fact label="达成时间" value={formatTime(d.agreement.agreedAt)} />
          {d.confirmation ? <Fact id="dispute-confirmation" label="司法确认" value={`${CONFIRMATION_STATUS_LABELS[d.confirmation.status]} · ${d.confirmation.court}`} /> : null}
          {d.confirmationDeadline ? <Fact label="司法确认" value={`可于 ${d.confirmationDeadline} 前共同向法院申请`} /> : null}
          {d.agreementDocument ? (
            <View className="block-button">
              <Button id="dispute-agreement-download" type="primary" fill="outline" block loading={downloading} onClick={() => void download()}>
                {process.env.TARO_ENV === 'h5' ? '下载人民调解协议书' : '打开人民调解协议书'}
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}
      {d.failure ? (
        <View id="dispute-failure" className="card disputes__outcome">
          <Text className="card-title">调解不成 · {FAILURE_ADVICE_LABELS[d.failure.advice]}</Text>
          <View className="disputes__terms">{d.failure.reason}</View>
          {d.ruling ? <Fact id="dispute-ruling" label="速裁判决" value={`${d.ruling.court ? `${d.ruling.court}：` : ''}${d.ruling.note}`} /> : null}
        </View>
      ) : null}

      {d.actions.length > 0 ? (
        <View id="dispute-actions" className="card detail__actions">
          {d.actions.map((action, index) => (
            <Button key={action} id={`action-${action}`} type={index === 0 ? 'primary' : 'default'} disabled={busy} onClick={() => setForm(action)}>
              {ACTION_BUTTON_LABELS[action]}
            </Button>
          ))}
        </View>
      ) : null}

      {d.sessions.length > 0 ? (
        <>
          <View className="section-title">调解记录</View>
          <View id="dispute-sessions" className="card">
            {d.sessions.map((s, i) => (
              <View key={s.id} className="disputes__record dispute-session">
                <View className="disputes__record-head">
                  <Text className="disputes__record-title">第 {i + 1} 次调解</Text>
                  <Text className="muted">{formatTime(s.heldAt)}</Text>
                </View>
                <View className="muted">
                  {s.place} · {s.participants.join('、')}
                </View>
                {s.notes ? <View className="timeline__note">{s.notes}</View> : null}
                <PhotoGrid block="detail-photos" urls={s.photos} />
              </View>
            ))}
            {notesHidden ? <View className="muted">调解笔录由调解员留存。</View> : null}
          </View>
        </>
      ) : null}

      {d.visits.length > 0 ? (
        <>
          <View className="section-title">回访</View>
          <View id="dispute-visits" className="card">
            {d.visits.map((v) => (
              <View key={v.id} className="disputes__record dispute-visit">
                <View className="disputes__record-head">
                  <Text className="disputes__record-title">{VISIT_METHOD_LABELS[v.method]}</Text>
                  <Text className="muted">{formatTime(v.createdAt)}</Text>
                </View>
                <View className="timeline__note">{v.note}</View>
                <PhotoGrid block="detail-photos" urls={v.photos} />
              </View>
            ))}
          </View>
        </>
      ) : null}

      <View className="section-title">办理进度</View>
      <Timeline id="dispute-timeline" steps={events} />

      {form ? <ActionForm action={form} dispute={d} busy={busy} onClose={() => setForm(null)} onSubmit={run} /> : null}
    </View>
  );
}

function Fact({ id, label, value }: { id?: string; label: string; value: string }) {
  return (
    <View id={id} className="detail__fact">
      <Text className="detail__fact-label">{label}</Text>
      <Text className="detail__fact-value">{value}</Text>
    </View>
  );
}
