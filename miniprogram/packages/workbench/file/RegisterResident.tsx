import { useCallback, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { MEMBERSHIP_RELATION_LABELS, MEMBERSHIP_RELATIONS, phoneNumber, type HouseholdSummary, type MembershipRelation, type ResidentView } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { HouseholdPicker } from '../../../components/HouseholdPicker';
import { registerResident } from '../../../services/residents';

interface Props {
  /** What was searched for: a name typed there fills the name. */
  initialName: string;
  onRegistered: (resident: ResidentView) => void;
  onCancel: () => void;
}

/** 登记新居民: a person without WeChat (many elderly), by name, phone, flat and relation — verified by that act. */
export function RegisterResident({ initialName, onRegistered, onCancel }: Props) {
  const [name, setName] = useState(/^\d/.test(initialName) ? '' : initialName);
  const [phone, setPhone] = useState(/^1\d{10}$/.test(initialName) ? initialName : '');
  const [household, setHousehold] = useState<HouseholdSummary | null>(null);
  const [relation, setRelation] = useState<MembershipRelation>('owner');
  const [busy, setBusy] = useState(false);
  const onPicked = useCallback((picked: HouseholdSummary | null) => setHousehold(picked), []);

  const submit = async () => {
    if (busy) return;
    const typedPhone = phone.trim();
    const checked = typedPhone ? phoneNumber.safeParse(typedPhone) : null;
    const problem = !name.trim() ? '请填写姓名' : checked && !checked.success ? '请填写 11 位手机号，或留空' : !household ? '请选择住户' : null;
    if (problem) return void Taro.showToast({ title: problem, icon: 'none' });
    setBusy(true);
    try {
      const resident = await registerResident({ name: name.trim(), householdId: household!.id, relation, ...(checked?.success ? { phone: checked.data } : {}) });
      void Taro.showToast({ title: `已登记 ${resident.name}`, icon: 'none' });
      onRegistered(resident);
    } catch {
      // toasted (already registered in that flat…)
    } finally {
      setBusy(false);
    }
  };

  return (
    <View id="register-resident" className="card file__register">
      <Text className="card-title">登记新居民</Text>
      <View className="muted">为没有使用小程序的居民（如老人）登记，登记即为已核验的住户成员。</View>
      <View id="register-name" className="file__field">
        <Input placeholder="姓名" value={name} maxLength={32} onChange={setName} />
      </View>
      <View id="register-phone" className="file__field">
        <Input type="digit" placeholder="手机号（没有可不填）" value={phone} maxLength={13} onChange={setPhone} />
      </View>
      <HouseholdPicker idPrefix="register" onChange={onPicked} />
      <View className="section-title">身份</View>
      <Choices
        idPrefix="register-relation"
        items={MEMBERSHIP_RELATIONS.map((key) => ({ key, label: MEMBERSHIP_RELATION_LABELS[key] }))}
        selected={relation}
        onSelect={setRelation}
      />
      <View className="file__register-actions">
        <Button onClick={onCancel}>取消</Button>
        <Button id="register-submit" type="primary" loading={busy} disabled={busy} onClick={() => void submit()}>
          登记{household ? ` ${household.label}` : ''}
        </Button>
      </View>
    </View>
  );
}
