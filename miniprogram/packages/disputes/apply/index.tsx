import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import {
  DISPUTE_SOURCE_LABELS,
  DISPUTE_TYPE_LABELS,
  DISPUTE_TYPES,
  PARTY_ROLE_LABELS,
  RISK_LEVEL_LABELS,
  RISK_LEVELS,
  STAFF_DISPUTE_SOURCES,
  type CreateDisputeBody,
  type DisputePartyInput,
  type DisputeType,
  type PartyRole,
  type RiskLevel,
} from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { useMe } from '../../../hooks/useMe';
import { createDispute, disputeDetailUrl, isRegistrar } from '../../../services/disputes';
import '../disputes.scss';
import { pageClass } from '../../../hooks/useElderMode';

type StaffSource = (typeof STAFF_DISPUTE_SOURCES)[number];
interface PartyDraft {
  key: number;
  role: PartyRole;
  name: string;
  phone: string;
}

let draftKey = 0;
const party = (role: PartyRole, name = ''): PartyDraft => ({ key: ++draftKey, role, name, phone: '' });

/**
 * 申请调解: a resident applies for mediation of their dispute (they are the applicant); staff register a
 * walk-in, a referral (police, court, government) or their own finding, for the parties.
 */
export default function ApplyForMediation() {
  const { me } = useMe();
  const staff = isRegistrar(me);
  const [title, setTitle] = useState('');
  const [type, setType] = useState<DisputeType>('neighbour');
  const [description, setDescription] = useState('');
  const [source, setSource] = useState<StaffSource>('walk_in');
  const [risk, setRisk] = useState<RiskLevel>('normal');
  const [parties, setParties] = useState<PartyDraft[]>(() => [party('applicant'), party('respondent')]);
  const [sending, setSending] = useState(false);

  // A resident is the applicant: their name goes in first.
  useEffect(() => {
    if (me && !staff) setParties((list) => list.map((p, i) => (i === 0 && !p.name ? { ...p, name: me.nickname } : p)));
  }, [me, staff]);

  const update = (key: number, change: Partial<PartyDraft>) => setParties((list) => list.map((p) => (p.key === key ? { ...p, ...change } : p)));

  const problem = (): string | null => {
    if (title.trim().length < 2) return '请写一个简短的标题';
    if (description.trim().length < 10) return '请把纠纷经过说清楚，至少 10 个字';
    if (parties.some((p) => !p.name.trim())) return '请填写每位当事人的姓名';
    if (parties.some((p) => p.phone.trim() && !/^1\d{10}$/.test(p.phone.replace(/[\s-]/g, '')))) return '请填写 11 位手机号';
    return null;
  };

  const submit = async () => {
    if (sending) return;
    const message = problem();
    if (message) {
      void Taro.showToast({ title: message, icon: 'none' });
      return;
    }
    setSending(true);
    try {
      const body: CreateDisputeBody = {
        title: title.trim(),
        description: description.trim(),
        type,
        source: staff ? source : 'application',
        parties: parties.map((p): DisputePartyInput => ({ role: p.role, name: p.name.trim(), ...(p.phone.trim() ? { phone: p.phone.trim() } : {}) })),
        ...(staff ? { riskLevel: risk } : {}),
      };
      const created = await createDispute(body);
      void Taro.showToast({ title: staff ? '已登记' : '已提交，请等待受理', icon: 'success' });
      void Taro.redirectTo({ url: disputeDetailUrl(created.id) });
    } catch {
      // The API client showed the error; the draft stays.
    } finally {
      setSending(false);
    }
  };

  return (
    <View id="dispute-apply-page" className={pageClass('page disputes')}>
      <View className="card disputes__intro">
        <Text className="card-title">{staff ? '登记矛盾纠纷' : '人民调解 · 免费、自愿、保密'}</Text>
        <View className="muted">
          {staff
            ? '来访、移送或排查发现的纠纷，登记后由社区书记受理并指派调解员。'
            : '邻里、家庭、物业、租赁等纠纷，可以申请社区人民调解委员会调解。受理后会指派调解员与您联系，一般在 30 日内调结。'}
        </View>
      </View>

      {staff ? (
        <>
          <View className="section-title">来源</View>
          <Choices idPrefix="dispute-source" small items={STAFF_DISPUTE_SOURCES.map((key) => ({ key, label: DISPUTE_SOURCE_LABELS[key] }))} selected={source} onSelect={setSource} />
        </>
      ) : null}

      <View className="section-title">1. 纠纷类型</View>
      <Choices idPrefix="dispute-type" small items={DISPUTE_TYPES.map((key) => ({ key, label: DISPUTE_TYPE_LABELS[key] }))} selected={type} onSelect={setType} />

      <View className="section-title">2. 标题</View>
      <View id="dispute-title" className="card disputes__field">
        <Input placeholder="如：楼上装修噪音扰民" value={title} maxLength={60} onChange={setTitle} />
      </View>

      <View className="section-title">3. 纠纷经过和您的诉求</View>
      <View id="dispute-description" className="card disputes__field">
        <TextArea placeholder="什么时候、和谁、因为什么事发生纠纷，协商过没有，您希望怎么解决" value={description} onChange={setDescription} maxLength={2000} showCount rows={5} autoSize />
      </View>

      <View className="section-title">4. 当事人</View>
      {parties.map((p, index) => (
        <View key={p.key} id={`party-${index}`} className={`card disputes__party party-${p.role}`}>
          <View className="disputes__party-head">
            <Text className="disputes__party-role">{PARTY_ROLE_LABELS[p.role]}</Text>
            {index >= 2 ? (
              <Text className="disputes__party-remove" onClick={() => setParties((list) => list.filter((x) => x.key !== p.key))}>
                删除
              </Text>
            ) : null}
          </View>
          <View className={`disputes__input party-${index}-name`}>
            <Input placeholder={p.role === 'respondent' ? '对方姓名或称呼，如：401室赵先生' : '姓名'} value={p.name} maxLength={32} onChange={(value) => update(p.key, { name: value })} />
          </View>
          <View className={`disputes__input party-${index}-phone`}>
            <Input placeholder="手机号（可不填）" type="number" value={p.phone} maxLength={11} onChange={(value) => update(p.key, { phone: value })} />
          </View>
        </View>
      ))}
      <View id="party-add" className="disputes__add" onClick={() => setParties((list) => [...list, party('third_party')])}>
        + 添加第三人
      </View>
      <View className="muted disputes__hint">对方的联系方式只有调解员看得到，不会告诉其他当事人。</View>

      {staff ? (
        <>
          <View className="section-title">风险等级</View>
          <Choices idPrefix="dispute-risk" small items={RISK_LEVELS.map((key) => ({ key, label: RISK_LEVEL_LABELS[key] }))} selected={risk} onSelect={setRisk} />
        </>
      ) : null}

      <View className="block-button">
        <Button id="dispute-submit" type="primary" size="large" block loading={sending} disabled={sending} onClick={() => void submit()}>
          {sending ? '正在提交…' : staff ? '登记' : '提交申请'}
        </Button>
      </View>
    </View>
  );
}
