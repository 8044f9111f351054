import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Button, Rate, TextArea } from '@nutui/nutui-react-taro';
import {
  HANDLING_METHOD_LABELS,
  INTAKE_CHANNEL_LABELS,
  mayVerifyMemberships,
  PRIORITY_LABELS,
  REPORT_ACTION_LABELS,
  isStaff,
  type ReportAction,
  type ReportDetail,
} from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { ModerationNotice } from '../../../components/ModerationNotice';
import { PhotoGrid } from '../../../components/PhotoGrid';
import { StatusTag } from '../../../components/StatusTag';
import { showError } from '../../../services/api';
import { ensureSession } from '../../../services/auth';
import { getReport, isStale, runReportAction } from '../../../services/reports';
import { callReportCaller, callResident } from '../../../services/residents';
import { getCachedUser } from '../../../services/session';
import { formatTime } from '../../../utils/time';
import { ActionForm, ACTION_BUTTON_LABELS, FORM_ACTIONS, type FormAction, type ActionBody } from './ActionForm';
import './index.scss';

const DONE_TOASTS: Record<ReportAction, string> = {
  accept: '已受理',
  reject: '已不予受理',
  merge: '已合并',
  dispatch: '已分流',
  start: '已开始处理',
  resolve: '已办结',
  supervise: '已督办',
  feedback: '已记录回访',
  rate: '感谢您的评价',
  follow: '已+1',
};

/** A report: header, timeline, and what the caller may do now (`detail.actions`). */
export default function ReportDetailPage() {
  const { params } = useRouter();
  const id = Number(params.id);
  const staff = isStaff(getCachedUser());
  // Staff over residents may call one back (the number is revealed on the tap, audited).
  const mayCall = mayVerifyMemberships(getCachedUser()?.roles ?? []);
  const [detail, setDetail] = useState<ReportDetail | null>(null);
  const [failed, setFailed] = useState(false);
  const [form, setForm] = useState<FormAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState('');

  const load = useCallback(async () => {
    setFailed(false);
    try {
      if (!(await ensureSession())) return;
      setDetail(await getReport(id));
    } catch {
      setFailed(true);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const run = async <A extends ReportAction>(action: A, body: ActionBody<A>): Promise<boolean> => {
    if (!detail || busy) return false;
    setBusy(true);
    try {
      const updated = await runReportAction(detail, action, body);
      setDetail(updated);
      setForm(null);
      void Taro.showToast({ title: DONE_TOASTS[action], icon: 'success' });
      return true;
    } catch (error) {
      if (isStale(error)) {
        setForm(null);
        void Taro.showToast({ title: '这件事刚被他人处理过，已为您刷新', icon: 'none', duration: 2500 });
        await load();
      } else {
        showError(error);
      }
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!detail) {
    return (
      <View id="report-detail-page" className="page">
        {failed ? <LoadFailed onRetry={() => void load()} /> : <View className="card muted">正在加载…</View>}
      </View>
    );
  }

  // +1 is for neighbours who meet the same problem, not for the staff handling it.
  const actions = staff ? detail.actions.filter((action) => action !== 'follow') : detail.actions;
  const formActions = FORM_ACTIONS.filter((action) => actions.includes(action));
  const events = [...detail.events].reverse();
  const reporterName = detail.reporter ? detail.reporter.nickname : '匿名居民';
  // A staff member who filed for nobody in particular is the reporter: no resident to call.
  const filedBy = detail.events.find((event) => event.action === 'submit')?.actor?.id;
  const callableReporter = mayCall && detail.reporter && !detail.caller && (detail.channel === 'miniprogram' || detail.reporter.id !== filedBy) ? detail.reporter : null;

  return (
    <View id="report-detail-page" className="page detail">
      <ModerationNotice id="report-moderation" state={detail.moderation} hint={detail.moderation === 'removed' ? '理由见下方办理进度' : undefined} />
      <View className="card detail__header">
        <View className="detail__top">
          <Text id="report-number" className="detail__number">
            {detail.number}
          </Text>
          <View id="report-status">
            <StatusTag status={detail.status} />
          </View>
        </View>
        <View className="detail__category">{detail.categoryName}</View>
        {staff && (detail.overdue || detail.escalationLevel > 0) ? (
          <View className="detail__marks">
            {detail.overdue ? (
              <Text id="report-overdue" className="mark mark--danger">
                已超期
              </Text>
            ) : null}
            {detail.escalationLevel > 0 ? (
              <Text id="report-escalation" className="mark mark--warning">
                督办 {detail.escalationLevel} 次
              </Text>
            ) : null}
          </View>
        ) : null}
        <View id="report-description-text" className="detail__description">
          {detail.description}
        </View>
        <PhotoGrid block="detail-photos" urls={detail.photos} />
        <View className="detail__facts">
          {detail.address ? <Fact label="位置" value={detail.address} /> : null}
          {detail.gridPath.length ? <Fact label="网格" value={detail.gridPath.slice(-2).join(' / ')} /> : null}
          <Fact label="提交" value={formatTime(detail.createdAt)} />
          {/* A caller staff recorded is who raised it (the staff member who filed shows in the timeline). */}
          {detail.caller ? (
            <View id="report-caller">
              <Fact
                label="反映人"
                value={`${detail.caller.name}${detail.caller.phoneMasked ? ` ${detail.caller.phoneMasked}` : ''}（未登记）`}
                action={detail.caller.phoneMasked ? <CallButton id="report-call-caller" onCall={() => void callReportCaller(detail.id)} /> : undefined}
              />
            </View>
          ) : staff ? (
            <Fact
              label="反映人"
              value={reporterName}
              action={callableReporter ? <CallButton id="report-call-reporter" onCall={() => void callResident(callableReporter.id)} /> : undefined}
            />
          ) : null}
          {staff || detail.channel !== 'miniprogram' ? <Fact label="渠道" value={INTAKE_CHANNEL_LABELS[detail.channel]} /> : null}
          {detail.priority ? <Fact label="缓急" value={PRIORITY_LABELS[detail.priority]} /> : null}
          {detail.handlingMethod ? <Fact label="方式" value={HANDLING_METHOD_LABELS[detail.handlingMethod]} /> : null}
          {detail.dueAt && staff ? <Fact label="时限" value={formatTime(detail.dueAt)} /> : null}
          {detail.assignee || detail.department ? (
            <Fact label="承办" value={[detail.department?.name, detail.assignee?.nickname].filter(Boolean).join(' · ')} />
          ) : null}
          {detail.followers > 0 ? <Fact label="关注" value={`${detail.followers}人也遇到`} /> : null}
          {detail.rating !== null ? <Fact label="评价" value={`${'★'.repeat(detail.rating)}${'☆'.repeat(5 - detail.rating)}`} /> : null}
          {detail.mergedIntoId ? <Fact label="合并至" value={`#${detail.mergedIntoId}`} /> : null}
          {detail.disputeId ? <Fact label="调解" value={`已转为矛盾纠纷调解（案件 #${detail.disputeId}）`} /> : null}
        </View>
      </View>

      {actions.includes('rate') ? (
        <View id="rate-card" className="card detail__rate">
          <Text className="card-title">问题解决了吗？请您评价</Text>
          <View className="muted">3 星及以上视为满意并办结；不满意会退回重新处理。</View>
          <View id="rate-stars" className="detail__stars">
            <Rate value={score} onChange={(value) => setScore(value)} />
          </View>
          <View id="rate-comment" className="detail__comment">
            <TextArea placeholder="说说办理得怎么样（可不填）" value={comment} onChange={(value) => setComment(value)} maxLength={200} rows={2} />
          </View>
          <Button
            id="rate-submit"
            type="primary"
            block
            loading={busy}
            disabled={busy}
            onClick={() => void run('rate', { score, ...(comment.trim() ? { comment: comment.trim() } : {}) })}
          >
            提交评价
          </Button>
        </View>
      ) : null}

      {formActions.length > 0 || actions.includes('follow') ? (
        <View id="report-actions" className="card detail__actions">
          {actions.includes('follow') ? (
            <Button id="action-follow" type="primary" fill="outline" disabled={busy} onClick={() => void run('follow', {})}>
              我也遇到了 +1
            </Button>
          ) : null}
          {formActions.map((action, index) => (
            <Button
              key={action}
              id={`action-${action}`}
              className={`action-button action-${action}`}
              type={index === 0 ? 'primary' : 'default'}
              disabled={busy}
              onClick={() => setForm(action)}
            >
              {action === 'dispatch' && detail.status === 'dispatched' ? '改派' : ACTION_BUTTON_LABELS[action]}
            </Button>
          ))}
        </View>
      ) : null}

      <View className="section-title">办理进度</View>
      <View id="report-timeline" className="card timeline">
        {events.map((event, index) => (
          <View key={event.id} className={`timeline__item timeline-event event-${event.action} ${index === 0 ? 'is-latest' : ''}`}>
            <View className="timeline__dot" />
            <View className="timeline__body">
              <View className="timeline__head">
                <Text className="timeline__action">{REPORT_ACTION_LABELS[event.action] ?? event.action}</Text>
                <Text className="timeline__time muted">{formatTime(event.createdAt)}</Text>
              </View>
              <View className="timeline__actor muted">{event.actor ? event.actor.nickname : '系统'}</View>
              {event.note ? <View className="timeline__note">{event.note}</View> : null}
              <PhotoGrid block="detail-photos" urls={event.photos} className="timeline__photos" />
            </View>
          </View>
        ))}
      </View>

      {form ? <ActionForm action={form} report={detail} busy={busy} onClose={() => setForm(null)} onSubmit={run} /> : null}
    </View>
  );
}

function Fact({ label, value, action }: { label: string; value: string; action?: ReactNode }) {
  return (
    <View className="detail__fact">
      <Text className="detail__fact-label">{label}</Text>
      <Text className="detail__fact-value">{value}</Text>
      {action}
    </View>
  );
}

function CallButton({ id, onCall }: { id: string; onCall: () => void }) {
  return (
    <Text id={id} className="detail__call" onClick={onCall}>
      拨打
    </Text>
  );
}
