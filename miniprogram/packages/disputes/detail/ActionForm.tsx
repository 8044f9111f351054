import { useEffect, useState, type ReactNode } from 'react';
import { View, Picker } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Popup, TextArea } from '@nutui/nutui-react-taro';
import {
  AGREEMENT_FORM_LABELS,
  AGREEMENT_FORMS,
  chinaDay,
  CONFIRMATION_STATUS_LABELS,
  DISPUTE_TYPE_LABELS,
  FAILURE_ADVICE,
  FAILURE_ADVICE_LABELS,
  PARTY_ROLE_LABELS,
  RISK_LEVEL_LABELS,
  RISK_LEVELS,
  VISIT_METHOD_LABELS,
  VISIT_METHODS,
  type AgreementForm,
  type ConfirmationStatus,
  type DisputeAction,
  type DisputeActionBody,
  type DisputeDetail,
  type FailureAdvice,
  type Mediator,
  type PartyRole,
  type RiskLevel,
  type VisitMethod,
} from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { usePhotoUploads } from '../../../hooks/usePhotoUploads';
import { listMediators } from '../../../services/disputes';

export type ActionBody<A extends DisputeAction> = Omit<DisputeActionBody<A>, 'version'>;
type Submit = <A extends DisputeAction>(action: A, body: ActionBody<A>) => Promise<boolean>;

export const ACTION_BUTTON_LABELS: Record<DisputeAction, string> = {
  accept: '受理并指派',
  decline: '不予受理',
  assign: '改派调解员',
  session: '记录调解',
  agree: '达成协议',
  fail: '调解不成',
  fulfil: '已履行',
  breach: '未履行',
  ruling: '速裁结果',
  visit: '回访',
  extend: '延长期限',
  confirmation: '司法确认',
  close: '结案归档',
};

const FORM_TITLES: Record<DisputeAction, string> = {
  accept: '受理并指派调解员',
  decline: '不予受理',
  assign: '改派调解员',
  session: '调解记录',
  agree: '调解协议',
  fail: '调解终结',
  fulfil: '协议已履行',
  breach: '协议未履行',
  ruling: '速裁法庭判决',
  visit: '回访记录',
  extend: '延长调解期限（须经双方同意）',
  confirmation: '司法确认',
  close: '结案归档',
};

interface Props {
  action: DisputeAction;
  dispute: DisputeDetail;
  busy: boolean;
  onClose: () => void;
  onSubmit: Submit;
}

function Text2({ id, value, onChange, placeholder, rows = 3 }: { id: string; value: string; onChange: (v: string) => void; placeholder: string; rows?: number }) {
  return (
    <View id={id} className="action-form__note">
      <TextArea placeholder={placeholder} value={value} onChange={onChange} maxLength={2000} rows={rows} autoSize />
    </View>
  );
}

function Line({ id, value, onChange, placeholder }: { id: string; value: string; onChange: (v: string) => void; placeholder: string }) {
  return (
    <View id={id} className="action-form__input">
      <Input placeholder={placeholder} value={value} onChange={onChange} maxLength={60} />
    </View>
  );
}

function Label({ children }: { children: ReactNode }) {
  return <View className="action-form__label">{children}</View>;
}

const pad = (n: number) => String(n).padStart(2, '0');
const localTime = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** One popup form per action; sends only what the contract's body asks for. */
export function ActionForm({ action, dispute, busy, onClose, onSubmit }: Props) {
  const now = new Date();
  const [text, setText] = useState('');
  const [second, setSecond] = useState(action === 'confirmation' ? (dispute.confirmation?.court ?? '') : '');
  const [third, setThird] = useState('');
  const [mediators, setMediators] = useState<Mediator[]>([]);
  const [mediatorId, setMediatorId] = useState<number | null>(null);
  const [risk, setRisk] = useState<RiskLevel>(dispute.riskLevel);
  const [day, setDay] = useState(localDay(now));
  const [time, setTime] = useState(localTime(now));
  const [place, setPlace] = useState(dispute.mediator?.studio ?? '');
  const [participants, setParticipants] = useState(() => [...dispute.parties.map((p) => p.name), dispute.mediator?.name].filter(Boolean).join('、'));
  const [newParty, setNewParty] = useState<{ role: PartyRole; name: string; phone: string }>({ role: 'respondent', name: '', phone: '' });
  const [form, setForm] = useState<AgreementForm>('written');
  const [deadline, setDeadline] = useState(chinaDay(new Date(Date.now() + 7 * 24 * 3600_000)));
  const [advice, setAdvice] = useState<FailureAdvice>('speedy_trial');
  const [visitMethod, setVisitMethod] = useState<VisitMethod>('visit');
  const [confirmation, setConfirmation] = useState<ConfirmationStatus>(dispute.confirmation?.status === 'applied' ? 'confirmed' : 'applied');
  const photos = usePhotoUploads();
  const noRespondent = !dispute.parties.some((p) => p.role === 'respondent');

  useEffect(() => {
    if (action === 'accept' || action === 'assign') listMediators(dispute.nodeId).then((items) => setMediators(items.filter((m) => m.id !== dispute.mediator?.id))).catch(() => undefined);
  }, [action, dispute.nodeId, dispute.mediator?.id]);

  const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });
  const need = (value: string, message: string) => {
    if (value.trim().length < 2) {
      toast(message);
      return false;
    }
    return true;
  };
  const optional = (key: 'note', value: string) => (value.trim() ? { [key]: value.trim() } : {});
  const photosReady = () => {
    if (photos.uploading) return toast('照片还在上传，请稍候'), false;
    if (photos.failed) return toast('有照片上传失败，请重试或删除'), false;
    return true;
  };

  const submit = () => {
    switch (action) {
      case 'accept':
      case 'assign':
        if (!mediatorId) return toast('请选择调解员');
        return action === 'accept'
          ? onSubmit('accept', { mediatorId, riskLevel: risk, ...optional('note', text) })
          : onSubmit('assign', { mediatorId, ...optional('note', text) });
      case 'decline':
        return need(text, '请写明不予受理的理由') && onSubmit('decline', { reason: text.trim() });
      case 'session': {
        if (!place.trim()) return toast('请填写调解地点');
        const names = participants.split(/[、,，\s]+/).map((n) => n.trim()).filter(Boolean);
        if (names.length === 0) return toast('请填写参加人员');
        if (!need(text, '请记录调解情况') || !photosReady()) return;
        const heldAt = new Date(`${day}T${time}:00`);
        const parties = newParty.name.trim() ? [{ role: newParty.role, name: newParty.name.trim(), ...(newParty.phone.trim() ? { phone: newParty.phone.trim() } : {}) }] : [];
        return onSubmit('session', { heldAt: heldAt.toISOString(), place: place.trim(), participants: names, notes: text.trim(), photos: photos.urls, parties });
      }
      case 'agree':
        if (!need(text, '请写明协议内容') || !need(second, '请写明履行方式')) return;
        return onSubmit('agree', { form, terms: text.trim(), performance: second.trim(), deadline, ...(third.trim() ? { facts: third.trim() } : {}) });
      case 'fail':
        return need(text, '请写明调解不成的原因') && onSubmit('fail', { advice, reason: text.trim() });
      case 'fulfil':
        return onSubmit('fulfil', optional('note', text));
      case 'breach':
        return need(text, '请写明未履行的情况') && onSubmit('breach', { note: text.trim() });
      case 'ruling':
        return need(text, '请写明裁判结果') && onSubmit('ruling', { note: text.trim(), ...(second.trim() ? { court: second.trim() } : {}) });
      case 'visit':
        return need(text, '请记录回访情况') && photosReady() && onSubmit('visit', { method: visitMethod, note: text.trim(), photos: photos.urls });
      case 'extend':
        return need(text, '请写明延期理由') && onSubmit('extend', { reason: text.trim() });
      case 'confirmation':
        return need(second, '请填写受理法院') && onSubmit('confirmation', { status: confirmation, court: second.trim(), ...optional('note', text) });
      case 'close':
        return onSubmit('close', optional('note', text));
    }
  };

  let body: ReactNode = null;
  switch (action) {
    case 'accept':
    case 'assign':
      body = (
        <>
          <Label>调解员</Label>
          {mediators.length === 0 ? <View className="muted">正在加载…</View> : null}
          <Choices
            idPrefix={`${action}-mediator`}
            wide
            items={mediators.map((m) => ({
              key: m.id,
              label: `${m.name} · ${m.studio ?? m.nodeName}${m.specialties.length ? `（擅长${m.specialties.slice(0, 3).map((t) => DISPUTE_TYPE_LABELS[t]).join('、')}）` : ''} · 在办 ${m.activeCases}`,
            }))}
            selected={mediatorId}
            onSelect={setMediatorId}
          />
          {action === 'accept' ? (
            <>
              <Label>风险等级</Label>
              <Choices idPrefix="accept-risk" small items={RISK_LEVELS.map((key) => ({ key, label: RISK_LEVEL_LABELS[key] }))} selected={risk} onSelect={setRisk} />
            </>
          ) : null}
          <Label>说明（可不填）</Label>
          <Text2 id="action-note" value={text} onChange={setText} placeholder={action === 'accept' ? '已告知当事人权利义务…' : '改派原因'} />
        </>
      );
      break;
    case 'session':
      body = (
        <>
          <Label>调解时间</Label>
          <View className="action-form__when">
            <Picker mode="date" value={day} onChange={(e) => setDay(String(e.detail.value))}>
              <View id="session-day" className="action-form__date">{day}</View>
            </Picker>
            <Picker mode="time" value={time} onChange={(e) => setTime(String(e.detail.value))}>
              <View id="session-time" className="action-form__date">{time}</View>
            </Picker>
          </View>
          <Label>地点</Label>
          <Line id="session-place" value={place} onChange={setPlace} placeholder="如：社区调解室" />
          <Label>参加人员（用顿号隔开）</Label>
          <Line id="session-participants" value={participants} onChange={setParticipants} placeholder="如：张三、李四、调解员王五" />
          <Label>调解情况</Label>
          <Text2 id="action-note" value={text} onChange={setText} placeholder="各方陈述、争议焦点、调解过程和结果" rows={5} />
          <Label>签字笔录照片（可不拍）</Label>
          <PhotoPicker uploads={photos} idPrefix="session" />
          <Label>{noRespondent ? '补录被申请人（本案尚无）' : '补录当事人（可不填）'}</Label>
          <Choices idPrefix="session-party-role" small items={(['respondent', 'applicant', 'third_party'] as const).map((key) => ({ key, label: PARTY_ROLE_LABELS[key] }))} selected={newParty.role} onSelect={(role) => setNewParty((p) => ({ ...p, role }))} />
          <Line id="session-party-name" value={newParty.name} onChange={(name) => setNewParty((p) => ({ ...p, name }))} placeholder="姓名" />
          <Line id="session-party-phone" value={newParty.phone} onChange={(phone) => setNewParty((p) => ({ ...p, phone }))} placeholder="手机号（可不填）" />
        </>
      );
      break;
    case 'agree':
      body = (
        <>
          <Choices idPrefix="agree-form" small items={AGREEMENT_FORMS.map((key) => ({ key, label: AGREEMENT_FORM_LABELS[key] }))} selected={form} onSelect={setForm} />
          {form === 'oral' ? <View className="muted">口头协议记入调解记录，不出具协议书，不能申请司法确认。</View> : null}
          <Label>协议内容（每条一行）</Label>
          <Text2 id="agree-terms" value={text} onChange={setText} placeholder="各方当事人的权利义务，如：被申请人于七日内清理楼道杂物" rows={4} />
          <Label>履行方式</Label>
          <Text2 id="agree-performance" value={second} onChange={setSecond} placeholder="如：自行清理，网格员现场确认" rows={2} />
          <Label>履行期限</Label>
          <Picker mode="date" value={deadline} start={chinaDay(new Date())} onChange={(e) => setDeadline(String(e.detail.value))}>
            <View id="agree-deadline" className="action-form__date">{deadline}</View>
          </Picker>
          <Label>纠纷事实和争议事项（可不填，默认用登记的情况）</Label>
          <Text2 id="agree-facts" value={third} onChange={setThird} placeholder="写进协议书的事实和争议事项" />
        </>
      );
      break;
    case 'fail':
      body = (
        <>
          <Label>引导当事人</Label>
          <Choices idPrefix="fail-advice" small items={FAILURE_ADVICE.map((key) => ({ key, label: FAILURE_ADVICE_LABELS[key] }))} selected={advice} onSelect={setAdvice} />
          <Label>原因</Label>
          <Text2 id="action-note" value={text} onChange={setText} placeholder="调解不成的原因" />
        </>
      );
      break;
    case 'ruling':
      body = (
        <>
          <Label>法院</Label>
          <Line id="ruling-court" value={second} onChange={setSecond} placeholder="如：青溪区人民法院速裁法庭" />
          <Label>裁判结果</Label>
          <Text2 id="action-note" value={text} onChange={setText} placeholder="判决或调解书的主要内容" />
        </>
      );
      break;
    case 'visit':
      body = (
        <>
          <Choices idPrefix="visit-method" small items={VISIT_METHODS.map((key) => ({ key, label: VISIT_METHOD_LABELS[key] }))} selected={visitMethod} onSelect={setVisitMethod} />
          <Text2 id="action-note" value={text} onChange={setText} placeholder="协议履行情况、当事人意见" />
          <Label>照片（可不拍）</Label>
          <PhotoPicker uploads={photos} idPrefix="visit" />
        </>
      );
      break;
    case 'confirmation':
      body = (
        <>
          <Choices
            idPrefix="confirmation-status"
            small
            items={(dispute.confirmation ? (['confirmed', 'rejected'] as const) : (['applied', 'confirmed', 'rejected'] as const)).map((key) => ({ key, label: CONFIRMATION_STATUS_LABELS[key] }))}
            selected={confirmation}
            onSelect={setConfirmation}
          />
          <Label>受理法院</Label>
          <Line id="confirmation-court" value={second} onChange={setSecond} placeholder="如：青溪区人民法院" />
          <Label>说明（可不填）</Label>
          <Text2 id="action-note" value={text} onChange={setText} placeholder="如：双方已共同向法院提交申请" />
        </>
      );
      break;
    default:
      body = (
        <Text2
          id="action-note"
          value={text}
          onChange={setText}
          placeholder={{ decline: '不予受理的理由，会告知申请人', fulfil: '履行情况（可不填）', breach: '哪一方、哪些条款未履行', extend: '延期理由（须经双方同意）', close: '结案说明（可不填）' }[action as 'decline'] ?? ''}
        />
      );
  }

  return (
    <Popup visible position="bottom" round closeable title={FORM_TITLES[action]} onClose={onClose} destroyOnClose>
      <View id={`form-${action}`} className="action-form">
        {body}
        <View className="action-form__submit">
          <Button id="action-submit" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void submit()}>
            确定
          </Button>
        </View>
      </View>
    </Popup>
  );
}
