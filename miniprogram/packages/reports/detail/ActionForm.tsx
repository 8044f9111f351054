import { useEffect, useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Popup, TextArea } from '@nutui/nutui-react-taro';
import {
  HANDLING_METHODS,
  HANDLING_METHOD_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  MAX_EXTENSION_DAYS,
  REPORT_STATUS_INFO,
  type CannedReply,
  type CannedReplyKind,
  type Department,
  type HandlingMethod,
  type Priority,
  type ReportAction,
  type ReportActionBody,
  type ReportDetail,
  type ReportSummary,
} from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { usePhotoUploads } from '../../../hooks/usePhotoUploads';
import { formatTime } from '../../../utils/time';
import { listAssignees, listCannedReplies, listDepartments, listReports, type Assignee } from '../../../services/reports';

/** The actions that open a form (rate, follow and 我来处理 are on the page itself). */
export const FORM_ACTIONS = [
  'accept',
  'dispatch',
  'start',
  'resolve',
  'grant_extension',
  'deny_extension',
  'supervise',
  'feedback',
  'extend',
  'return',
  'merge',
  'reject',
] as const satisfies readonly ReportAction[];
export type FormAction = (typeof FORM_ACTIONS)[number];
export type ActionBody<A extends ReportAction> = Omit<ReportActionBody<A>, 'version'>;

export const ACTION_BUTTON_LABELS: Record<FormAction, string> = {
  accept: '受理',
  reject: '不予受理',
  merge: '合并重复',
  dispatch: '分流派单',
  start: '开始处理',
  resolve: '办结',
  supervise: '督办',
  feedback: '回访',
  return: '退回',
  extend: '申请延期',
  grant_extension: '同意延期',
  deny_extension: '不同意延期',
};

const FORM_TITLES: Record<FormAction, string> = {
  accept: '受理并研判',
  reject: '不予受理',
  merge: '合并到已有说事',
  dispatch: '分流派单',
  start: '开始处理',
  resolve: '办结',
  supervise: '督办',
  feedback: '回访',
  return: '退回派单',
  extend: '申请延期（缓办）',
  grant_extension: '同意延期',
  deny_extension: '不同意延期',
};

/** The text fields a community's 常用语 fill, by the kind of reply they are. */
const CANNED_KINDS: Partial<Record<FormAction, CannedReplyKind>> = { resolve: 'resolve', reject: 'reject', feedback: 'feedback' };

type Submit = <A extends ReportAction>(action: A, body: ActionBody<A>) => Promise<boolean>;

interface Props {
  action: FormAction;
  report: ReportDetail;
  busy: boolean;
  onClose: () => void;
  onSubmit: Submit;
}

const DUE_CHOICES = [
  { key: 'sla', label: '按类别时限', hours: 0 },
  { key: 'd1', label: '1天内', hours: 24 },
  { key: 'd3', label: '3天内', hours: 72 },
  { key: 'd7', label: '7天内', hours: 168 },
] as const;
type DueKey = (typeof DUE_CHOICES)[number]['key'];

/** 督办时限: none, or done within so many days. */
const SUPERVISE_DUE_CHOICES = [
  { key: 'none', label: '不设时限', days: 0 },
  { key: 'd1', label: '1天内', days: 1 },
  { key: 'd3', label: '3天内', days: 3 },
  { key: 'd7', label: '7天内', days: 7 },
] as const;
type SuperviseDueKey = (typeof SUPERVISE_DUE_CHOICES)[number]['key'];

/** How much longer a 缓办 asks for, counted from the current due time (or now). */
const EXTEND_CHOICES = [
  { key: 'd3', label: '延3天', days: 3 },
  { key: 'd7', label: '延7天', days: 7 },
  { key: 'd15', label: '延15天', days: 15 },
  { key: 'd30', label: '延30天', days: 30 },
] as const;
type ExtendKey = (typeof EXTEND_CHOICES)[number]['key'];

function extendedUntil(report: ReportDetail, days: number): Date {
  const from = Math.max(Date.now(), report.dueAt ? Date.parse(report.dueAt) : 0);
  // Never past what the server accepts (MAX_EXTENSION_DAYS from now).
  return new Date(Math.min(from + days * 86400_000, Date.now() + MAX_EXTENSION_DAYS * 86400_000 - 60_000));
}

/** 常用语 as chips: a tap puts the text in the field, where it can still be edited. */
function CannedPicker({ replies, onPick }: { replies: CannedReply[]; onPick: (text: string) => void }) {
  if (replies.length === 0) return null;
  return (
    <View id="canned-replies" className="action-form__canned">
      <Text className="action-form__canned-label muted">常用语</Text>
      {replies.map((reply) => (
        <Text key={reply.id} id={`canned-reply-${reply.id}`} className="action-form__canned-item canned-reply" onClick={() => onPick(reply.text)}>
          {reply.text}
        </Text>
      ))}
    </View>
  );
}

function Note({ id, value, onChange, placeholder }: { id: string; value: string; onChange: (v: string) => void; placeholder: string }) {
  return (
    <View id={id} className="action-form__note">
      <TextArea placeholder={placeholder} value={value} onChange={onChange} maxLength={500} showCount rows={3} autoSize />
    </View>
  );
}

function Label({ children }: { children: ReactNode }) {
  return <View className="action-form__label">{children}</View>;
}

/** One popup form per staff action; sends only what the contract's body asks for. */
export function ActionForm({ action, report, busy, onClose, onSubmit }: Props) {
  const [note, setNote] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [method, setMethod] = useState<HandlingMethod>('on_site');
  const [due, setDue] = useState<DueKey>('sla');
  const [dispatchTo, setDispatchTo] = useState<'person' | 'department'>(report.suggestedDepartment ? 'department' : 'person');
  const [assignees, setAssignees] = useState<Assignee[]>([]);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [assigneeId, setAssigneeId] = useState<number | null>(report.assignee?.id ?? null);
  const [departmentId, setDepartmentId] = useState<number | null>(report.suggestedDepartment?.id ?? report.department?.id ?? null);
  const [feedbackMethod, setFeedbackMethod] = useState<'visit' | 'call'>('visit');
  const [candidates, setCandidates] = useState<ReportSummary[]>([]);
  const [intoId, setIntoId] = useState<number | null>(null);
  const [intoText, setIntoText] = useState('');
  const [superviseDue, setSuperviseDue] = useState<SuperviseDueKey>('none');
  const [extendBy, setExtendBy] = useState<ExtendKey>('d7');
  const [canned, setCanned] = useState<CannedReply[]>([]);
  const photos = usePhotoUploads();
  const cannedKind = CANNED_KINDS[action];

  useEffect(() => {
    if (cannedKind) listCannedReplies(report.gridNodeId, cannedKind).then(setCanned).catch(() => undefined);
  }, [cannedKind, report.gridNodeId]);

  useEffect(() => {
    if (action === 'dispatch') {
      listAssignees(report.id).then(setAssignees).catch(() => undefined);
      listDepartments().then(setDepartments).catch(() => undefined);
    }
    if (action === 'merge') {
      listReports({ scope: 'queue', categoryCode: report.categoryCode, limit: 50 })
        .then((page) => setCandidates(page.items.filter((item) => item.id !== report.id && REPORT_STATUS_INFO[item.status].open)))
        .catch(() => undefined);
    }
  }, [action, report.id, report.categoryCode]);

  const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });
  const needNote = (min = 2) => {
    if (note.trim().length < min) {
      toast('请填写说明，至少 2 个字');
      return false;
    }
    return true;
  };
  const optionalNote = () => (note.trim() ? { note: note.trim() } : {});

  const submit = () => {
    switch (action) {
      case 'accept': {
        const hours = DUE_CHOICES.find((choice) => choice.key === due)?.hours ?? 0;
        const dueAt = hours ? new Date(Date.now() + hours * 3600_000).toISOString() : undefined;
        return onSubmit('accept', { priority, handlingMethod: method, ...(dueAt ? { dueAt } : {}), ...optionalNote() });
      }
      case 'reject':
        return needNote() && onSubmit('reject', { reason: note.trim() });
      case 'merge': {
        const typed = intoText.trim();
        const fromText = typed ? (candidates.find((item) => item.number === typed)?.id ?? (/^\d+$/.test(typed) ? Number(typed) : null)) : null;
        const target = fromText ?? intoId;
        if (!target) return toast(typed ? '找不到这个编号的说事' : '请选择要合并到的说事');
        return onSubmit('merge', { intoId: target });
      }
      case 'dispatch':
        if (dispatchTo === 'person') {
          if (!assigneeId) return toast('请选择处理人');
          return onSubmit('dispatch', { assigneeId, ...optionalNote() });
        }
        if (!departmentId) return toast('请选择部门');
        return onSubmit('dispatch', { departmentId, ...optionalNote() });
      case 'start':
        return onSubmit('start', optionalNote());
      case 'resolve':
        if (photos.uploading) return toast('照片还在上传，请稍候');
        if (photos.failed) return toast('有照片上传失败，请重试或删除');
        return needNote() && onSubmit('resolve', { result: note.trim(), photos: photos.urls });
      case 'supervise': {
        const days = SUPERVISE_DUE_CHOICES.find((choice) => choice.key === superviseDue)?.days ?? 0;
        return needNote() && onSubmit('supervise', { note: note.trim(), ...(days ? { dueAt: new Date(Date.now() + days * 86400_000).toISOString() } : {}) });
      }
      case 'feedback':
        return needNote() && onSubmit('feedback', { method: feedbackMethod, note: note.trim() });
      case 'return':
        return needNote() && onSubmit('return', { reason: note.trim() });
      case 'extend': {
        const days = EXTEND_CHOICES.find((choice) => choice.key === extendBy)?.days ?? 7;
        return needNote() && onSubmit('extend', { until: extendedUntil(report, days).toISOString(), reason: note.trim() });
      }
      case 'grant_extension':
        return onSubmit('grant_extension', optionalNote());
      case 'deny_extension':
        return needNote() && onSubmit('deny_extension', { reason: note.trim() });
    }
  };

  let body: ReactNode = null;
  switch (action) {
    case 'accept':
      body = (
        <>
          <Label>缓急程度</Label>
          <Choices idPrefix="accept-priority" small items={PRIORITIES.map((key) => ({ key, label: PRIORITY_LABELS[key] }))} selected={priority} onSelect={setPriority} />
          <Label>处置方式</Label>
          <Choices idPrefix="accept-method" small items={HANDLING_METHODS.map((key) => ({ key, label: HANDLING_METHOD_LABELS[key] }))} selected={method} onSelect={setMethod} />
          <Label>办理时限</Label>
          <Choices idPrefix="accept-due" small items={DUE_CHOICES.map((choice) => ({ key: choice.key, label: choice.label }))} selected={due} onSelect={setDue} />
          <Label>研判意见（可不填）</Label>
          <Note id="action-note" value={note} onChange={setNote} placeholder="情况核实、初步研判…" />
        </>
      );
      break;
    case 'reject':
      body = (
        <>
          <CannedPicker replies={canned} onPick={setNote} />
          <Note id="action-note" value={note} onChange={setNote} placeholder="不予受理的理由，会告知反映人" />
        </>
      );
      break;
    case 'merge':
      body = (
        <>
          <Label>同类的未办结说事</Label>
          {candidates.length === 0 ? <View className="muted">没有可合并的同类说事</View> : null}
          <Choices
            idPrefix="merge-into"
            small
            wide
            items={candidates.map((item) => ({ key: item.id, label: `${item.number} ${item.description.slice(0, 16)}` }))}
            selected={intoId}
            onSelect={setIntoId}
          />
          <Label>或输入编号</Label>
          <View id="merge-into-text" className="action-form__input">
            <Input placeholder="如 SS330199001-20261123-0001" value={intoText} onChange={(value) => setIntoText(value)} />
          </View>
        </>
      );
      break;
    case 'dispatch':
      body = (
        <>
          <Choices
            idPrefix="dispatch-mode"
            small
            items={[
              { key: 'person' as const, label: '派给人员' },
              { key: 'department' as const, label: '派给部门' },
            ]}
            selected={dispatchTo}
            onSelect={setDispatchTo}
          />
          {dispatchTo === 'person' ? (
            <>
              <Label>处理人</Label>
              {assignees.length === 0 ? <View className="muted">正在加载…</View> : null}
              <Choices
                idPrefix="dispatch-person"
                small
                wide
                items={assignees.map((person) => ({ key: person.id, label: person.nickname }))}
                selected={assigneeId}
                onSelect={setAssigneeId}
              />
            </>
          ) : (
            <>
              <Label>
                职能部门
                {report.suggestedDepartment ? <Text className="action-form__suggest">（建议：{report.suggestedDepartment.name}）</Text> : null}
              </Label>
              {departments.length === 0 ? <View className="muted">正在加载…</View> : null}
              <Choices
                idPrefix="dispatch-department"
                small
                wide
                items={departments.map((department) => ({ key: department.id, label: department.name }))}
                selected={departmentId}
                onSelect={setDepartmentId}
              />
            </>
          )}
          <Label>派单说明（可不填）</Label>
          <Note id="action-note" value={note} onChange={setNote} placeholder="需要处理人注意的事项" />
        </>
      );
      break;
    case 'start':
      body = <Note id="action-note" value={note} onChange={setNote} placeholder="说明（可不填），如：已联系物业，今天下午到场" />;
      break;
    case 'resolve':
      body = (
        <>
          <Label>办理结果</Label>
          <CannedPicker replies={canned} onPick={setNote} />
          <Note id="action-note" value={note} onChange={setNote} placeholder="怎么解决的，反映人会看到" />
          <Label>现场照片（可不拍）</Label>
          <PhotoPicker uploads={photos} idPrefix="resolve" />
        </>
      );
      break;
    case 'supervise':
      body = (
        <>
          <Label>督办时限</Label>
          <Choices idPrefix="supervise-due" small items={SUPERVISE_DUE_CHOICES.map((choice) => ({ key: choice.key, label: choice.label }))} selected={superviseDue} onSelect={setSuperviseDue} />
          <Label>督办意见</Label>
          <Note id="action-note" value={note} onChange={setNote} placeholder="督办意见，会通知承办人和上一级网格" />
        </>
      );
      break;
    case 'return':
      body = <Note id="action-note" value={note} onChange={setNote} placeholder="退回理由，如：不属于本部门职责，会通知派单人" />;
      break;
    case 'extend':
      body = (
        <>
          <Label>现时限：{report.dueAt ? formatTime(report.dueAt) : '未设'}</Label>
          <Choices idPrefix="extend-by" small items={EXTEND_CHOICES.map((choice) => ({ key: choice.key, label: choice.label }))} selected={extendBy} onSelect={setExtendBy} />
          <Label>延期至 {formatTime(extendedUntil(report, EXTEND_CHOICES.find((choice) => choice.key === extendBy)!.days).toISOString())}，由社区书记审批</Label>
          <Note id="action-note" value={note} onChange={setNote} placeholder="延期理由，如：需协调停水施工" />
        </>
      );
      break;
    case 'grant_extension':
    case 'deny_extension':
      body = (
        <>
          {report.extensionRequest ? <Label>申请延期至 {formatTime(report.extensionRequest.until)}（理由见办理进度）</Label> : null}
          <Note
            id="action-note"
            value={note}
            onChange={setNote}
            placeholder={action === 'grant_extension' ? '审批意见（可不填）' : '不同意的理由，会告知承办人'}
          />
        </>
      );
      break;
    case 'feedback':
      body = (
        <>
          <Choices
            idPrefix="feedback-method"
            small
            items={[
              { key: 'visit' as const, label: '上门走访' },
              { key: 'call' as const, label: '电话回访' },
            ]}
            selected={feedbackMethod}
            onSelect={setFeedbackMethod}
          />
          <CannedPicker replies={canned} onPick={setNote} />
          <Note id="action-note" value={note} onChange={setNote} placeholder="居民的意见和满意情况" />
        </>
      );
      break;
  }

  return (
    <Popup visible position="bottom" round closeable title={FORM_TITLES[action]} onClose={onClose} destroyOnClose>
      <View id={`form-${action}`} className="action-form">
        {body}
        <View className="action-form__submit">
          <Button id="action-submit" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void submit()}>
            确定{ACTION_BUTTON_LABELS[action]}
          </Button>
        </View>
      </View>
    </Popup>
  );
}
