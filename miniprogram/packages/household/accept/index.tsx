import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { inviteCodeFromParams, MEMBERSHIP_RELATION_LABELS, type MyHousehold } from '@linli/shared';
import { ensureSession } from '../../../services/auth';
import { acceptInvite } from '../../../services/residents';
import { HOME_PAGE } from '../../../services/session';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

/**
 * 用邀请码加入: the code an owner gave — typed, or filled in from the scanned QR (`?code=`) or
 * mini-program code (`scene=c=…`) — makes the caller a verified member of the owner's household.
 */
export default function AcceptInvite() {
  const { params } = useRouter();
  const [code, setCode] = useState(() => inviteCodeFromParams(params) ?? '');
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState<MyHousehold | null>(null);

  useEffect(() => {
    void ensureSession();
  }, []);

  const typed = code.trim().toUpperCase();
  const valid = /^[A-Z0-9]{6,16}$/.test(typed);

  const accept = async () => {
    if (!valid || busy) return;
    setBusy(true);
    try {
      const me = await acceptInvite(typed);
      setJoined(me.households.find((h) => h.current) ?? null);
      void Taro.showToast({ title: '已加入住户', icon: 'success' });
    } catch {
      // toasted: used, expired, unknown…
    } finally {
      setBusy(false);
    }
  };

  if (joined) {
    return (
      <View id="accept-page" className={pageClass('page accept')}>
        <View id="accept-done" className="card accept__done">
          <Text className="accept__done-title">欢迎回家</Text>
          <Text id="accept-household" className="accept__done-household">
            {joined.label}
          </Text>
          <Text className="muted">您已是本户已核验的{MEMBERSHIP_RELATION_LABELS[joined.membership.relation]}，可以参与本楼的议事了。</Text>
          <View className="block-button accept__home">
            <Button id="accept-home" type="primary" size="large" block onClick={() => void Taro.switchTab({ url: HOME_PAGE })}>
              回到首页
            </Button>
          </View>
        </View>
      </View>
    );
  }

  return (
    <View id="accept-page" className={pageClass('page accept')}>
      <View className="muted accept__intro">业主在「我的住户 › 邀请家人/租户」生成邀请码，一次有效，72 小时内使用。</View>
      <View className="section-title">邀请码</View>
      <View id="accept-code" className="card accept__field">
        <Input placeholder="8 位字母或数字" value={code} maxLength={16} onChange={setCode} />
      </View>
      <View className="block-button">
        <Button id="accept-submit" type="primary" size="large" block disabled={!valid || busy} loading={busy} onClick={() => void accept()}>
          加入住户
        </Button>
      </View>
    </View>
  );
}
