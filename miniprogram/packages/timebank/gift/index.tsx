import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { HOURS_STEP, mayGiftHours } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { useMe } from '../../../hooks/useMe';
import { getMyTimebank, giftHours, hoursText } from '../../../services/timebank';
import './index.scss';

const AMOUNTS = [0.5, 1, 2, 3, 5, 10];

/**
 * Give banked hours to a member of the same household. The API has no list of a household's members,
 * so the family member's user number (shown on their 时间银行 page) is typed in.
 */
function Gift() {
  const { me } = useMe();
  const [balance, setBalance] = useState<number | null>(null);
  const [toUser, setToUser] = useState('');
  const [hours, setHours] = useState<number>(1);
  const [sending, setSending] = useState(false);

  const loadBalance = useCallback(() => {
    getMyTimebank()
      .then((page) => setBalance(page.balanceHours))
      .catch(() => undefined);
  }, []);
  useEffect(loadBalance, [loadBalance]);

  const submit = async () => {
    const toUserId = Number(toUser.trim());
    if (!Number.isInteger(toUserId) || toUserId <= 0) {
      void Taro.showToast({ title: '请填写家人的用户编号', icon: 'none' });
      return;
    }
    if (me && toUserId === me.id) {
      void Taro.showToast({ title: '不能赠予自己', icon: 'none' });
      return;
    }
    if (balance !== null && balance < hours) {
      void Taro.showToast({ title: `余额不足，当前 ${hoursText(balance)}`, icon: 'none' });
      return;
    }
    const { confirm } = await Taro.showModal({ title: '赠予时长', content: `把 ${hoursText(hours)}赠予用户编号 ${toUserId} 的家人？`, confirmColor: '#e8552d' });
    if (!confirm) return;
    setSending(true);
    try {
      const result = await giftHours({ toUserId, hours });
      setBalance(result.balanceHours);
      void Taro.showToast({ title: `已赠予：${result.entry.text}`, icon: 'none' });
      setToUser('');
    } catch {
      loadBalance(); // toasted (not of the household, balance too low…)
    } finally {
      setSending(false);
    }
  };

  return (
    <View id="gift-page" className="page gift">
      <View className="card gift__balance">
        <Text className="muted">我的时长余额</Text>
        <Text id="gift-balance" className="gift__balance-value">
          {balance === null ? '—' : hoursText(balance)}
        </Text>
      </View>

      <View className="section-title">家人的用户编号</View>
      <View id="gift-user" className="card gift__field">
        <Input type="number" placeholder="家人在「时间银行」页可以看到" value={toUser} onChange={setToUser} />
      </View>
      <View className="muted gift__hint">时长只能赠予同一住户的家庭成员。</View>

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
