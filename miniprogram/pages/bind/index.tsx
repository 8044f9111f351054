import { useCallback, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import {
  MEMBERSHIP_METHOD_LABELS,
  MEMBERSHIP_RELATION_LABELS,
  MEMBERSHIP_RELATIONS,
  MEMBERSHIP_STATUS_LABELS,
  membershipRules,
  type HouseholdSummary,
  type Me,
  type MembershipRelation,
  type MyHousehold,
} from '@linli/shared';
import { Choices } from '../../components/Choices';
import { HouseholdPicker } from '../../components/HouseholdPicker';
import { useMe } from '../../hooks/useMe';
import { api } from '../../services/api';
import { isWeapp } from '../../services/auth';
import { ACCEPT_INVITE_PAGE, confirmPhone, INVITE_PAGE, joinHousehold, membershipTone, sortedHouseholds } from '../../services/me';
import './index.scss';
import { pageClass } from '../../hooks/useElderMode';

/**
 * 一楼一码: the building a scanned code chose — `?buildingId=<id>` (the H5 link) or the mini-program
 * code's `scene` `b=<id>` (URL-encoded by WeChat).
 */
export function scannedBuildingId(params: Record<string, string | undefined>): number | null {
  const direct = Number(params.buildingId);
  if (Number.isInteger(direct) && direct > 0) return direct;
  if (!params.scene) return null;
  let scene = params.scene;
  try {
    scene = decodeURIComponent(scene);
  } catch {
    // keep it as given
  }
  const match = /(?:^|&)b=(\d+)(?:&|$)/.exec(scene);
  return match ? Number(match[1]) : null;
}

/**
 * 我的住户: where each of the person's requests stands (待核验 with who will verify, 已核验, 未通过 /
 * 已移出 with the reason), the current one picked among the verified, and a request to join another:
 * building → unit → room → relation → `PUT /me/household`.
 */
export default function Bind() {
  const { params } = useRouter();
  const [scanned] = useState(() => scannedBuildingId(params));
  const { me, replace } = useMe();
  const [household, setHousehold] = useState<HouseholdSummary | null>(null);
  const [communityName, setCommunityName] = useState<string | null>(null);
  const [relation, setRelation] = useState<MembershipRelation | null>(null);
  const [busy, setBusy] = useState(false);

  const onPicked = useCallback((picked: HouseholdSummary | null, community: string | null) => {
    setHousehold(picked);
    setCommunityName(community);
  }, []);

  /** Runs one action that answers with the fresh `Me`; the API client toasts failures. */
  const act = async (run: () => Promise<Me>, done: (me: Me) => string) => {
    if (busy) return;
    setBusy(true);
    try {
      const fresh = await run();
      replace(fresh);
      void Taro.showToast({ title: done(fresh), icon: 'none', duration: 2500 });
      void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
    } catch {
      // toasted
    } finally {
      setBusy(false);
    }
  };

  const submit = () => {
    if (!household || !relation) return;
    void act(
      () => joinHousehold(household.id, relation),
      (fresh) => (fresh.households.find((h) => h.id === household.id)?.membership.status === 'verified' ? '已核验，欢迎回家' : '已提交，等待网格员核验'),
    );
  };

  const withdraw = async (item: MyHousehold) => {
    const { confirm } = await Taro.showModal({ title: '撤回申请', content: `撤回加入 ${item.label} 的申请？`, confirmColor: '#e8552d' });
    if (!confirm) return;
    void act(
      async () => {
        await api.post(`/memberships/${item.membership.id}/remove`, { reason: '本人撤回申请' });
        return api.get<Me>('/me');
      },
      () => '已撤回',
    );
  };

  const pending = me?.households.find((h) => h.membership.status === 'pending') ?? null;
  const households = sortedHouseholds(me?.households ?? []);

  return (
    <View id="bind-page" className={pageClass(`page bind ${pending ? '' : 'bind--form'}`)}>
      {households.length > 0 ? <View className="section-title">我的住户</View> : null}
      {households.map((item) => (
        <View key={item.id} id={`my-household-${item.id}`} className={`card bind__household my-household my-household--${item.membership.status}`}>
          <View className="bind__household-head">
            <Text className="bind__household-label">{item.label}</Text>
            <Text className={`mark ${membershipTone(item.membership.status)} my-household-status`}>{MEMBERSHIP_STATUS_LABELS[item.membership.status]}</Text>
            {item.current ? <Text className="mark mark--plain bind__current-mark">当前</Text> : null}
          </View>
          <View className="muted bind__household-line">
            身份：{MEMBERSHIP_RELATION_LABELS[item.membership.relation]}
            {item.membership.status === 'verified' ? ` · ${MEMBERSHIP_METHOD_LABELS[item.membership.method]}` : ''}
          </View>
          <HouseholdState item={item} me={me!} />
          <View className="bind__household-actions">
            {item.membership.status === 'verified' && !item.current ? (
              <Button id={`switch-household-${item.id}`} size="small" type="primary" disabled={busy} onClick={() => void act(() => joinHousehold(item.id), () => `已切换到 ${item.label}`)}>
                设为当前住户
              </Button>
            ) : null}
            {membershipRules.mayInvite(item.membership) ? (
              <Button id={`invite-${item.id}`} size="small" type="primary" fill="outline" onClick={() => void Taro.navigateTo({ url: `${INVITE_PAGE}?householdId=${item.id}` })}>
                邀请家人/租户
              </Button>
            ) : null}
            {item.membership.status === 'pending' && isWeapp && !me?.phoneVerified ? (
              <Button
                id="bind-phone-verify"
                size="small"
                type="primary"
                openType="getPhoneNumber"
                disabled={busy}
                onGetPhoneNumber={(e) => {
                  const code = (e.detail as { code?: string }).code;
                  if (!code) return void Taro.showToast({ title: '未获得手机号授权，可等待网格员核验', icon: 'none' });
                  void act(
                    () => confirmPhone(code),
                    (fresh) => (fresh.households.find((h) => h.id === item.id)?.membership.status === 'verified' ? '手机号与台账一致，已核验' : '手机号已确认，台账中没有这个号码，请等待网格员核验'),
                  );
                }}
              >
                用手机号快速核验
              </Button>
            ) : null}
            {item.membership.status === 'pending' ? (
              <Button id={`withdraw-${item.id}`} size="small" disabled={busy} onClick={() => void withdraw(item)}>
                撤回申请
              </Button>
            ) : null}
          </View>
        </View>
      ))}

      <View id="bind-invite-entry" className="card bind__invite" onClick={() => void Taro.navigateTo({ url: ACCEPT_INVITE_PAGE })}>
        <View className="bind__invite-main">
          <Text className="bind__invite-title">有业主给的邀请码？</Text>
          <Text className="muted">输入邀请码或扫业主的二维码，直接加入</Text>
        </View>
        <Text className="bind__arrow">›</Text>
      </View>

      <View className="section-title bind__join-title">申请加入住户</View>
      {pending ? (
        <View id="bind-pending-note" className="card muted">
          您加入 {pending.label} 的申请正在核验，核验后才能再申请其他住户。
        </View>
      ) : (
        <>
          <View className="muted bind__hint">选择您家的房号并说明身份，网格员核验后即可参与本楼议事和表决；核验前也可以说事。</View>
          <HouseholdPicker idPrefix="bind" initialBuildingId={scanned} onChange={onPicked} />
          {household ? (
            <>
              <View className="section-title">5. 您的身份</View>
              <Choices
                idPrefix="bind-relation"
                items={MEMBERSHIP_RELATIONS.map((key) => ({ key, label: MEMBERSHIP_RELATION_LABELS[key] }))}
                selected={relation}
                onSelect={setRelation}
              />
            </>
          ) : null}
          <View className="bind__footer">
            <View className="bind__summary-row">
              <Text className="muted">{communityName ?? '申请加入'}</Text>
              <Text id="bind-summary" className="bind__summary">
                {household ? `${household.label}${relation ? ` · ${MEMBERSHIP_RELATION_LABELS[relation]}` : ''}` : '请依次选择'}
              </Text>
            </View>
            <Button id="bind-confirm" className="bind-confirm" type="primary" size="large" block disabled={!household || !relation} loading={busy} onClick={submit}>
              {household && !relation ? '请选择您的身份' : '提交申请'}
            </Button>
          </View>
        </>
      )}
    </View>
  );
}

/** What a household's membership means now, in words: who verifies, or why it ended. */
function HouseholdState({ item, me }: { item: MyHousehold; me: Me }) {
  const { status, reason } = item.membership;
  if (status === 'pending') {
    const workers = item.current && me.household?.id === item.id ? me.household.gridWorkers : [];
    return (
      <View className="bind__state bind__state--pending my-household-pending">
        <Text>等待网格员核验您的住户信息，核验前可以说事，暂不能联名和表决。</Text>
        {workers.length > 0 ? (
          <View className="bind__workers">
            核验人：
            {workers.map((w) => `${w.nickname}${w.phoneMasked ? `（${w.phoneMasked}）` : ''}`).join('、')}
          </View>
        ) : null}
      </View>
    );
  }
  if (status === 'rejected' || status === 'removed') {
    return (
      <View className="bind__state bind__state--ended my-household-reason">
        {status === 'rejected' ? '未通过原因：' : '移出原因：'}
        {reason ?? '—'}
      </View>
    );
  }
  return null;
}
