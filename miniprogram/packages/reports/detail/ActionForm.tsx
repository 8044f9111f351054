import { useEffect, useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Popup, TextArea } from '@nutui/nutui-react-taro';
import {
  HANDLING_METHODS,
  HANDLING_METHOD_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  REPORT_STATUS_INFO,
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
import { listAssignees, listDepartments, listReports, type Assignee } from '../../../services/reports';

/** The actions that open a form (rate and follow are on the page itself). */
export const FORM_ACTIONS = ['accept', 'dispatch', 'start', 'resolve', 'supervise', 'feedback', 'merge', 'reject'] as const satisfies readonly ReportAction[];
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
};

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
  const photos = usePhotoUploads();

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
      case 'supervise':
        return needNote() && onSubmit('supervise', { note: note.trim() });
      case 'feedback':
        return needNote() && onSubmit('feedback', { method: feedbackMethod, note: note.trim() });
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
      body = <Note id="action-note" value={note} onChange={setNote} placeholder="不予受理的理由，会告知反映人" />;
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
            <Input placeholder="如 SS20261123-0001" value={intoText} onChange={(value) => setIntoText(value)} />
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
          <Note id="action-note" value={note} onChange={setNote} placeholder="怎么解决的，反映人会看到" />
          <Label>现场照片（可不拍）</Label>
          <PhotoPicker uploads={photos} idPrefix="resolve" />
        </>
      );
      break;
    case 'supervise':
      body = <Note id="action-note" value={note} onChange={setNote} placeholder="督办意见，会通知承办人和上一级网格" />;
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
