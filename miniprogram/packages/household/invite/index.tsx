import { useEffect, useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import {
  INVITABLE_RELATIONS,
  INVITE_ACCEPT_PAGE,
  INVITE_TTL_HOURS,
  inviteLink,
  MEMBERSHIP_RELATION_LABELS,
  membershipRules,
  type HouseholdMemberView,
  type InviteView,
  type MembershipRelation,
} from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { useMe } from '../../../hooks/useMe';
import { isWeapp } from '../../../services/auth';
import { createInvite, householdMembers, inviteImage } from '../../../services/residents';
import { formatTime } from '../../../utils/time';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

/**
 * 邀请家人/租户: a verified owner makes a one-time code (72 h) for a family member or tenant, shown as
 * letters to read out and as a code to scan (a mini-program code on WeChat, a QR of the H5 link
 * elsewhere, both drawn by the server), and shared as a WeChat card or a copied link.
 */
export default function Invite() {
  const { params } = useRouter();
  const { me } = useMe();
  const householdId = Number(params.householdId) || me?.householdId || null;
  const household = me?.households.find((h) => h.id === householdId) ?? null;
  const [relation, setRelation] = useState<MembershipRelation>('family');
  const [invite, setInvite] = useState<InviteView | null>(null);
  const [image, setImage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [members, setMembers] = useState<HouseholdMemberView[] | null>(null);

  // Who is in the household already (the members route answers for the current household only).
  useEffect(() => {
    if (!me || !householdId || me.householdId !== householdId) return;
    householdMembers()
      .then(setMembers)
      .catch(() => setMembers(null));
  }, [me?.householdId, householdId]);

  useShareAppMessage(() => ({
    title: invite && household ? `邀请您以${MEMBERSHIP_RELATION_LABELS[invite.relation]}身份加入 ${household.label}` : '邻里 · 加入住户',
    path: invite ? `/${INVITE_ACCEPT_PAGE}?code=${invite.code}` : `/${INVITE_ACCEPT_PAGE}`,
  }));

  const make = async () => {
    if (!householdId || busy) return;
    setBusy(true);
    setImage(null);
    try {
      const made = await createInvite(householdId, relation);
      setInvite(made);
      setImage(await inviteImage(made.code).catch(() => null));
    } catch {
      // toasted
    } finally {
      setBusy(false);
    }
  };

  const copy = (data: string, title: string) => void Taro.setClipboardData({ data }).then(() => Taro.showToast({ title, icon: 'none' }));
  const link = invite && process.env.TARO_ENV === 'h5' ? `${window.location.origin}${inviteLink(invite.code)}` : null;

  if (me && (!household || !membershipRules.mayInvite(household.membership))) {
    return (
      <View id="invite-page" className={pageClass('page invite')}>
        <View id="invite-not-owner" className="card muted">
          只有已核验的业主可以邀请家人或租户。如果您是业主，请先在「我的住户」申请加入并等待网格员核验。
        </View>
      </View>
    );
  }

  return (
    <View id="invite-page" className={pageClass('page invite')}>
      <View className="card invite__household">
        <Text className="muted">邀请加入</Text>
        <Text id="invite-household" className="invite__household-label">
          {household?.label ?? ''}
        </Text>
      </View>

      <View className="section-title">1. 邀请谁</View>
      <Choices
        idPrefix="invite-relation"
        items={INVITABLE_RELATIONS.map((key) => ({ key, label: MEMBERSHIP_RELATION_LABELS[key] }))}
        selected={relation}
        onSelect={(key) => {
          setRelation(key);
          setInvite(null);
          setImage(null);
        }}
      />
      <View className="muted invite__hint">
        对方用邀请码加入后即为本户已核验的{MEMBERSHIP_RELATION_LABELS[relation]}，无需网格员再核验。{relation === 'tenant' ? '按民法典规则表决时，租户不代表本户投票。' : ''}
      </View>

      {!invite ? (
        <View className="block-button">
          <Button id="invite-create" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void make()}>
            生成邀请码
          </Button>
        </View>
      ) : (
        <View id="invite-result" className="card invite__result">
          <Text className="muted">请对方在「我的住户 › 有业主给的邀请码」输入，或扫下方二维码</Text>
          <Text id="invite-code" className="invite__code">
            {invite.code}
          </Text>
          <Text id="invite-expiry" className="muted">
            {MEMBERSHIP_RELATION_LABELS[invite.relation]}邀请 · 一次有效 · {formatTime(invite.expiresAt)} 前（{INVITE_TTL_HOURS} 小时内）使用
          </Text>
          {image ? (
            <Image id="invite-qr" className="invite__qr" src={image} mode="aspectFit" showMenuByLongpress />
          ) : (
            <View className="invite__qr invite__qr--placeholder muted">{busy ? '正在生成二维码…' : '二维码暂不可用，可直接告诉对方邀请码'}</View>
          )}
          <View className="invite__actions">
            {isWeapp ? (
              <Button id="invite-share" type="primary" openType="share">
                发给微信好友
              </Button>
            ) : (
              <Button id="invite-copy-link" type="primary" disabled={!link} onClick={() => link && copy(link, '邀请链接已复制')}>
                复制邀请链接
              </Button>
            )}
            <Button id="invite-copy-code" onClick={() => copy(invite.code, '邀请码已复制')}>
              复制邀请码
            </Button>
          </View>
          <View className="invite__again" onClick={() => void make()}>
            重新生成（原邀请码仍可使用，直至过期）
          </View>
        </View>
      )}

      {members && members.length > 0 ? (
        <>
          <View className="section-title">本户成员</View>
          <View id="invite-members" className="card invite__members">
            {members.map((member) => (
              <View key={member.id} className="invite__member">
                <Text>
                  {member.name}
                  {member.me ? '（我）' : ''}
                </Text>
                <Text className="muted">
                  {MEMBERSHIP_RELATION_LABELS[member.relation]}
                  {member.usesApp ? '' : ' · 未使用小程序'}
                </Text>
              </View>
            ))}
          </View>
        </>
      ) : null}
    </View>
  );
}
