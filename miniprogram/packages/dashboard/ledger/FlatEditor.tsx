import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { MEMBERSHIP_RELATION_LABELS, MEMBERSHIP_RELATIONS, MEMBERSHIP_STATUS_LABELS, type HouseholdMembersView, type MembershipRelation } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { householdMembers, registerResident, removeMember, setHouseholdArea } from '../../../services/ledger';

const RELATION_CHOICES = MEMBERSHIP_RELATIONS.map((r) => ({ key: r, label: MEMBERSHIP_RELATION_LABELS[r] }));

/** One flat fixed by hand: its floor area, and who belongs to it (remove with a reason, add a person). */
export function FlatEditor({ householdId }: { householdId: number }) {
  const [view, setView] = useState<HouseholdMembersView | null>(null);
  const [area, setArea] = useState('');
  const [removing, setRemoving] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [draft, setDraft] = useState<{ name: string; phone: string; relation: MembershipRelation }>({ name: '', phone: '', relation: 'family' });
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const loaded = await householdMembers(householdId);
    setView(loaded);
    setArea(loaded.household.areaM2 === null ? '' : String(loaded.household.areaM2));
  }, [householdId]);
  useEffect(() => {
    setView(null);
    setRemoving(null);
    load().catch(() => undefined);
  }, [load]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      await load();
      void Taro.showToast({ title: done, icon: 'success' });
      return true;
    } catch {
      return false;
    } finally {
      setBusy(false);
    }
  };

  const saveArea = () => {
    const value = area.trim() === '' ? null : Number(area);
    if (value !== null && !(value > 0)) return void Taro.showToast({ title: '面积应为正数，单位平方米', icon: 'none' });
    void act(() => setHouseholdArea(householdId, value === null ? null : Math.round(value * 100) / 100), '面积已保存');
  };
  const confirmRemove = async (membershipId: number, version: number) => {
    if (reason.trim().length < 2) return void Taro.showToast({ title: '请写明移出原因，本人会看到', icon: 'none' });
    if (await act(() => removeMember(membershipId, reason.trim(), version), '已移出')) {
      setRemoving(null);
      setReason('');
    }
  };
  const add = async () => {
    if (!draft.name.trim()) return void Taro.showToast({ title: '请填写姓名', icon: 'none' });
    const phone = draft.phone.replace(/[\s-]/g, '');
    if (await act(() => registerResident({ name: draft.name.trim(), householdId, relation: draft.relation, ...(phone ? { phone } : {}) }), '已添加')) {
      setDraft({ name: '', phone: '', relation: 'family' });
    }
  };

  if (!view) return <View className="card muted">正在加载这户…</View>;
  return (
    <View id="ledger-flat" className="card ledger__flat">
      <Text className="card-title">{view.household.label}</Text>
      <View className="ledger__field">
        <Text className="ledger__label">建筑面积（㎡）</Text>
        <Input id="ledger-area" className="ledger__input" type="digit" value={area} placeholder="不知道可留空" onChange={setArea} />
        <Button id="ledger-area-save" size="small" type="primary" disabled={busy} onClick={saveArea}>
          保存
        </Button>
      </View>

      <Text className="ledger__list-title">这户的成员</Text>
      {view.members.length === 0 ? <View className="muted">这户还没有登记成员</View> : null}
      {view.members.map((m) => (
        <View key={m.membershipId} id={`ledger-member-${m.membershipId}`} className="ledger__member">
          <View className="ledger__member-main">
            <Text className="ledger__member-name">{m.person.name}</Text>
            <Text className="muted">
              {MEMBERSHIP_RELATION_LABELS[m.relation]}
              {m.person.phoneMasked ? ` · ${m.person.phoneMasked}` : ''}
              {m.person.usesApp ? ' · 已用小程序' : ''}
              {m.status === 'pending' ? ` · ${MEMBERSHIP_STATUS_LABELS.pending}` : ''}
            </Text>
          </View>
          {removing === m.membershipId ? (
            <View className="ledger__remove">
              <Input id="ledger-remove-reason" className="ledger__input" value={reason} placeholder="移出原因（本人可见）" onChange={setReason} />
              <Button id="ledger-remove-confirm" size="small" type="danger" disabled={busy} onClick={() => void confirmRemove(m.membershipId, m.version)}>
                确认移出
              </Button>
            </View>
          ) : (
            <Button id={`ledger-remove-${m.membershipId}`} size="small" onClick={() => setRemoving(m.membershipId)}>
              移出
            </Button>
          )}
        </View>
      ))}

      <Text className="ledger__list-title">添加成员（没有微信也可以）</Text>
      <View className="ledger__add">
        <Input id="ledger-add-name" className="ledger__input" value={draft.name} maxLength={32} placeholder="姓名" onChange={(name) => setDraft({ ...draft, name })} />
        <Input id="ledger-add-phone" className="ledger__input" type="number" value={draft.phone} maxLength={13} placeholder="手机号（可不填）" onChange={(phone) => setDraft({ ...draft, phone })} />
        <Choices idPrefix="ledger-add-relation" small items={RELATION_CHOICES} selected={draft.relation} onSelect={(relation) => setDraft({ ...draft, relation })} />
        <Button id="ledger-add-submit" type="primary" disabled={busy} onClick={() => void add()}>
          添加到这户
        </Button>
      </View>
    </View>
  );
}
