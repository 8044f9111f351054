import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { HOURS_STEP, mayGiftHours, type ResidentView } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { ResidentPicker } from '../../../components/ResidentPicker';
import { restricted } from '../../../components/Restricted';
import { useMe } from '../../../hooks/useMe';
import { householdMembers } from '../../../services/residents';
import { getMyTimebank, giftHours, hoursText } from '../../../services/timebank';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

const AMOUNTS = [0.5, 1, 2, 3, 5, 10];

/**
 * Give banked hours to a verified member of the same household, picked from the household's members
 * (`GET /me/household/members`: names and relations, no phones).
 */
function Gift() {
  const { me } = useMe();
  const [balance, setBalance] = useState<number | null>(null);
  const [family, setFamily] = useState<ResidentView[] | null>(null);
  const [toUser, setToUser] = useState<ResidentView | null>(null);
  const [hours, setHours] = useState<number>(1);
  const [sending, setSending] = useState(false);

  const loadBalance = useCallback(() => {
    getMyTimebank()
      .then((page) => setBalance(page.balanceHours))
      .catch(() => undefined);
  }, []);
  useEffect(loadBalance, [loadBalance]);

  // The household's other verified members, in the picker's shape (their room is the caller's).
  const household = me?.household ?? null;
  useEffect(() => {
    if (!household || household.membership.status !== 'verified') return;
    householdMembers()
      .then((members) =>
        setFamily(
          members
            .filter((m) => !m.me)
            .map((m) => ({ id: m.id, name: m.name, phoneMasked: null, usesApp: m.usesApp, households: [{ id: household.id, label: household.label, relation: m.relation, status: 'verified' as const }] })),
        ),
      )
      .catch(() => setFamily([]));
  }, [household?.id, household?.membership.status]);

  const submit = async () => {
    if (!toUser) {
      void Taro.showToast({ title: '请选择要赠予的家人', icon: 'none' });
      return;
    }
    if (balance !== null && balance < hours) {
      void Taro.showToast({ title: `余额不足，当前 ${hoursText(balance)}`, icon: 'none' });
      return;
    }
    const { confirm } = await Taro.showModal({ title: '赠予时长', content: `把 ${hoursText(hours)}赠予 ${toUser.name}？`, confirmColor: '#c23b17' });
    if (!confirm) return;
    setSending(true);
    try {
      const result = await giftHours({ toUserId: toUser.id, hours });
      setBalance(result.balanceHours);
      void Taro.showToast({ title: `已赠予：${result.entry.text}`, icon: 'none' });
      setToUser(null);
    } catch {
      loadBalance(); // toasted (not of the household, balance too low…)
    } finally {
      setSending(false);
    }
  };

  return (
    <View id="gift-page" className={pageClass('page gift')}>
      <View className="card gift__balance">
        <Text className="muted">我的时长余额</Text>
        <Text id="gift-balance" className="gift__balance-value">
          {balance === null ? '—' : hoursText(balance)}
        </Text>
      </View>

      <View className="section-title">赠予哪位家人</View>
      {household?.membership.status !== 'verified' ? (
        <View id="gift-no-household" className="card muted">
          住户核验通过后，才能把时长赠予同一住户的家人。
        </View>
      ) : family === null ? (
        <View className="card muted">正在加载本户成员…</View>
      ) : (
        <ResidentPicker idPrefix="gift-user" people={family} selected={toUser} onSelect={setToUser} />
      )}
      <View className="muted gift__hint">时长只能赠予同一住户的已核验成员。</View>

      <View className="section-title">赠予多少</View>
      <Choices idPrefix="gift-hours" items={AMOUNTS.map((h) => ({ key: h, label: `${h} 小时` }))} selected={hours} onSelect={setHours} />
      <View className="muted gift__hint">以 {HOURS_STEP} 小时为单位。</View>

      <View className="block-button">
        <Button id="gift-submit" type="primary" size="large" block loading={sending} disabled={sending} onClick={() => void submit()}>
          赠予
        </Button>
      </View>
    </View>
  );
}

export default restricted(Gift, mayGiftHours);
