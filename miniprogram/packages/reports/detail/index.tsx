import { useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Rate, TextArea } from '@nutui/nutui-react-taro';
import {
  HANDLING_METHOD_LABELS,
  INTAKE_CHANNEL_LABELS,
  PRIORITY_LABELS,
  reportStepLabels,
  isStaff,
  type ReportAction,
  type ReportDetail,
} from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { ModerationNotice } from '../../../components/ModerationNotice';
import { PhotoGrid } from '../../../components/PhotoGrid';
import { Timeline } from '../../../components/Timeline';
import { StatusTag } from '../../../components/StatusTag';
import { showError } from '../../../services/api';
import { callReporter, getReport, isStale, runReportAction } from '../../../services/reports';
import { callReportCaller } from '../../../services/residents';
import { useMe } from '../../../hooks/useMe';
import { useDetail } from '../../../hooks/useDetail';
import { formatTime } from '../../../utils/time';
import { a11y } from '../../../utils/a11y';
import { ActionForm, ACTION_BUTTON_LABELS, FORM_ACTIONS, type FormAction, type ActionBody } from './ActionForm';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';
import { DeskPage } from '../../../components/DeskPage';

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
  take: '已接手处理',
  return: '已退回',
  extend: '已申请延期',
  grant_extension: '已同意延期',
  deny_extension: '已不同意延期',
};

/** A report: header, timeline, and what the caller may do now (`detail.actions`). */
export default function ReportDetailPage() {
  const { params } = useRouter();
  const id = Number(params.id);
  const staff = isStaff(useMe().me);
  // Quietly: the page says what went wrong (not found, offline, error), not a toast as well.
  const { detail, setDetail, failed, load } = useDetail(() => getReport(id, { silent: true }), [id]);
  const [form, setForm] = useState<FormAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState('');

  const run = async <A extends ReportAction>(action: A, body: ActionBody<A>): Promise<boolean> => {
    if (!detail || busy) return false;
    setBusy(true);
    try {
      const updated = await runReportAction(detail, action, body);
      setDetail(updated);
      setForm(null);
      // A low rating reopens the report: say so, not 感谢 with a tick as if it were over.
      const reopened = action === 'rate' && updated.status === 'in_progress';
      void Taro.showToast({ title: reopened ? '已退回重新处理' : DONE_TOASTS[action], icon: reopened ? 'none' : 'success' });
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
      <View id="report-detail-page" className={pageClass('page desk-page')}>
        {failed ? <LoadFailed error={failed} onRetry={() => void load()} /> : <View className="card muted">正在加载…</View>}
      </View>
    );
  }

  // +1 is for neighbours who meet the same problem, not for the staff handling it.
  const actions = staff ? detail.actions.filter((action) => action !== 'follow') : detail.actions;
  const formActions = FORM_ACTIONS.filter((action) => actions.includes(action));
  const stepLabels = reportStepLabels(detail.events);
  const events = detail.events.map((event, index) => ({ ...event, label: stepLabels[index] })).reverse();
  // Reopened by the reporter's low rating and not yet resolved again.
  const reopened = detail.reopenCount > 0 && !['resolved', 'closed'].includes(detail.status);
  const reporterName = detail.reporter ? detail.reporter.nickname : '匿名居民';
  // The server sends the masked phone only to the staff over or on the report, never on an anonymous one;
  // the whole number is asked for on the tap (audited).
  const reporterPhone = detail.reporterPhoneMasked ?? null;

  // 办理进度: below the report on a phone, beside it at a desk (where the report and its history both fit the window).
  const history = (
    <>
      <View className="section-title">办理进度</View>
      <Timeline id="report-timeline" steps={events} />
    </>
  );

  return (
    <DeskPage id="report-detail-page" className={pageClass('detail')} side={history}>
      <ModerationNotice id="report-moderation" subject="report" state={detail.moderation} hint={detail.moderation === 'removed' ? '理由见办理进度' : undefined} />
      {reopened ? (
        <View id="report-reopened" className="card detail__reopened" {...a11y({ role: 'status' })}>
          <Text className="card-title">已退回重新处理</Text>
          <View className="muted">
            {staff ? '居民对上次办理不满意，请重新处理后再办结。' : '您对上次办理不满意，这件事已退回承办人重新处理。处理好后会通知您再评价一次。'}
          </View>
        </View>
      ) : null}
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
        {staff && (detail.overdue || detail.escalationLevel > 0 || detail.extensionRequest) ? (
          <View className="detail__marks">
            {detail.overdue ? (
              <Text id="report-overdue" className="mark mark--danger">
                已超期
              </Text>
            ) : null}
            {detail.extensionRequest ? (
              <Text id="report-extension-request" className="mark mark--warning">
                申请延期至 {formatTime(detail.extensionRequest.until)}，待审批
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
            <View id="report-reporter">
              <Fact
                label="反映人"
                value={reporterPhone ? `${reporterName} ${reporterPhone}` : reporterName}
                action={reporterPhone ? <CallButton id="report-call-reporter" onCall={() => void callReporter(detail.id)} /> : undefined}
              />
            </View>
          ) : null}
          {staff || detail.channel !== 'miniprogram' ? <Fact label="渠道" value={INTAKE_CHANNEL_LABELS[detail.channel]} /> : null}
          {detail.priority ? <Fact label="缓急" value={PRIORITY_LABELS[detail.priority]} /> : null}
          {detail.handlingMethod ? <Fact label="方式" value={HANDLING_METHOD_LABELS[detail.handlingMethod]} /> : null}
          {detail.dueAt && staff ? <Fact label="时限" value={`${formatTime(detail.dueAt)}${detail.extended ? '（已延期）' : ''}`} /> : null}
          {detail.supervisionDueAt && staff ? <Fact label="督办时限" value={formatTime(detail.supervisionDueAt)} /> : null}
          {detail.assignee || detail.department ? (
            <Fact label="承办" value={[detail.department?.name, detail.assignee?.nickname].filter(Boolean).join(' · ')} />
          ) : null}
          {detail.followers > 0 ? <Fact label="关注" value={`${detail.followers}人也遇到`} /> : null}
          {detail.rating !== null ? (
            <Fact label="评价" value={`${detail.rating} 星${reopened ? '（不满意，已退回重新处理）' : detail.rating <= 2 ? '（不满意）' : ''}`} />
          ) : null}
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

      {formActions.length > 0 || actions.includes('follow') || actions.includes('take') ? (
        <View id="report-actions" className="card detail__actions">
          {/* 我来处理: accept, take on and start in one tap (handled on site, by the category's time). */}
          {actions.includes('take') ? (
            <Button id="action-take" className="action-button action-take" type="primary" disabled={busy} onClick={() => void run('take', { priority: 'normal' })}>
              我来处理
            </Button>
          ) : null}
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
              type={index === 0 && !actions.includes('take') ? 'primary' : 'default'}
              disabled={busy}
              onClick={() => setForm(action)}
            >
              {action === 'dispatch' && detail.status === 'dispatched' ? '改派' : ACTION_BUTTON_LABELS[action]}
            </Button>
          ))}
        </View>
      ) : null}

      {form ? <ActionForm action={form} report={detail} busy={busy} onClose={() => setForm(null)} onSubmit={run} /> : null}
    </DeskPage>
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
