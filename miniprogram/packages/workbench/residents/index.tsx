import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import {
  MEMBERSHIP_METHOD_LABELS,
  MEMBERSHIP_REJECT_REASONS,
  MEMBERSHIP_RELATION_LABELS,
  MEMBERSHIP_RELATIONS,
  MEMBERSHIP_STATUS_LABELS,
  membershipRules,
  type MembershipQueuePage,
  type MembershipRelation,
  type MembershipStatus,
  type PendingMembershipView,
} from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { ListFooter } from '../../../components/ListFooter';
import { useCursorList } from '../../../hooks/useCursorList';
import { ApiError, showError } from '../../../services/api';
import { ensureSession } from '../../../services/auth';
import { callResident, listMemberships, rejectMembership, verifyMembership } from '../../../services/residents';
import { formatTime } from '../../../utils/time';
import './index.scss';

const STATUS_FILTERS: Array<{ key: MembershipStatus; label: string }> = (['pending', 'verified', 'rejected', 'removed'] as const).map((key) => ({
  key,
  label: MEMBERSHIP_STATUS_LABELS[key],
}));

type Decision = { id: number; kind: 'verify' | 'reject' };

/**
 * 住户核验 (the 待核验 queue): each request with what the person claims — name, phone (masked, and
 * whether WeChat confirmed it), relation, flat and its area — beside the ledger's people of that flat;
 * 通过 (correcting the relation if need be) or 驳回 with a reason the person reads.
 */
export default function MembershipQueue() {
  const [status, setStatus] = useState<MembershipStatus>('pending');
  const [decision, setDecision] = useState<Decision | null>(null);
  const [relation, setRelation] = useState<MembershipRelation>('owner');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const fetchPage = useCallback((cursor: string | null) => listMemberships({ status, cursor }), [status]);
  const list = useCursorList<PendingMembershipView, MembershipQueuePage>(fetchPage);

  const reload = useCallback(async () => {
    if (!(await ensureSession())) return;
    await list.refresh();
  }, [list.refresh]);
  const firstShow = useRef(true);
  useEffect(() => {
    void reload();
  }, [reload]);
  useDidShow(() => {
    if (firstShow.current) {
      firstShow.current = false;
      return;
    }
    void reload();
  });
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  const open = (m: PendingMembershipView, kind: Decision['kind']) => {
    setDecision({ id: m.id, kind });
    setRelation(m.relation);
    setReason('');
  };

  const decide = async (m: PendingMembershipView) => {
    if (!decision || busy) return;
    if (decision.kind === 'reject' && reason.trim().length < 2) return void Taro.showToast({ title: '请选择或写明驳回原因', icon: 'none' });
    setBusy(true);
    try {
      const done = decision.kind === 'verify' ? await verifyMembership(m, relation) : await rejectMembership(m, reason.trim());
      void Taro.showToast({ title: decision.kind === 'verify' ? `已通过：${done.person.name}` : '已驳回，已通知本人', icon: 'none' });
      setDecision(null);
      list.setItems((items) => items.filter((item) => item.id !== m.id));
      void list.refresh(); // the count beside the filters too
    } catch (error) {
      // Decided by a colleague meanwhile: say so and show the queue as it is now.
      if (error instanceof ApiError && error.status === 409) {
        void Taro.showToast({ title: error.message, icon: 'none', duration: 2500 });
        setDecision(null);
        void list.refresh();
      } else showError(error);
    } finally {
      setBusy(false);
    }
  };

  const count = list.last?.counts.pending ?? null;

  return (
    <View id="membership-queue-page" className="page memberships">
      <View className="muted memberships__intro">
        居民在小程序里申请加入住户后，请核对台账或上门确认。{count !== null ? `辖区内待核验 ${count} 条。` : ''}
      </View>
      <Choices idPrefix="membership-status" small items={STATUS_FILTERS} selected={status} onSelect={setStatus} />

      <View id="membership-list" className="memberships__list">
        {list.items.map((m) => (
          <View key={m.id} id={`membership-${m.id}`} className="card memberships__card membership-card">
            <View className="memberships__columns">
              <View className="memberships__claim">
                <Text className="memberships__caption">申请人所述</Text>
                <View className="memberships__person">
                  <Text className="memberships__name">{m.person.name}</Text>
                  {m.person.phoneMasked ? (
                    <>
                      <Text className="memberships__phone">{m.person.phoneMasked}</Text>
                      <Button id={`membership-call-${m.id}`} size="mini" fill="outline" type="primary" onClick={() => void callResident(m.person.id)}>
                        拨打
                      </Button>
                    </>
                  ) : (
                    <Text className="muted">未留手机号</Text>
                  )}
                </View>
                <View className="memberships__marks">
                  {m.person.phoneMasked ? (
                    <Text className={`mark ${m.person.phoneVerified ? 'mark--success' : 'mark--plain'}`}>{m.person.phoneVerified ? '手机号经微信验证' : '手机号未经微信验证'}</Text>
                  ) : null}
                  <Text className="mark">{MEMBERSHIP_RELATION_LABELS[m.relation]}</Text>
                  {status !== 'pending' ? <Text className="mark mark--plain">{MEMBERSHIP_METHOD_LABELS[m.method]}</Text> : null}
                </View>
                <Text className="memberships__flat">{m.household.label}</Text>
                <Text className="muted">
                  {m.household.areaM2 !== null ? `建筑面积 ${m.household.areaM2} ㎡` : '面积未登记'} · 申请于 {formatTime(m.createdAt)}
                </Text>
                {m.reason ? <Text className="muted memberships__reason">原因：{m.reason}</Text> : null}
              </View>

              <View className="memberships__ledger membership-ledger">
                <Text className="memberships__caption">台账与已核验成员</Text>
                {m.members.length === 0 ? (
                  <Text className="muted">这户在台账中暂无登记成员</Text>
                ) : (
                  m.members.map((member) => (
                    <View key={member.id} className="memberships__member">
                      <Text className="memberships__member-name">{member.name}</Text>
                      <Text className="muted">
                        {MEMBERSHIP_RELATION_LABELS[member.relation]} · {member.phoneMasked ?? '无电话'} · {MEMBERSHIP_METHOD_LABELS[member.method]}
                      </Text>
                    </View>
                  ))
                )}
              </View>
            </View>

            {membershipRules.mayVerify(m) && decision?.id !== m.id ? (
              <View className="memberships__actions">
                <Button id={`membership-reject-${m.id}`} onClick={() => open(m, 'reject')}>
                  驳回
                </Button>
                <Button id={`membership-verify-${m.id}`} type="primary" onClick={() => open(m, 'verify')}>
                  通过
                </Button>
              </View>
            ) : null}

            {decision?.id === m.id && decision.kind === 'verify' ? (
              <View id={`membership-verify-form-${m.id}`} className="memberships__form">
                <Text className="memberships__form-title">核实后的身份</Text>
                <Choices
                  idPrefix={`membership-relation-${m.id}`}
                  small
                  items={MEMBERSHIP_RELATIONS.map((key) => ({ key, label: MEMBERSHIP_RELATION_LABELS[key] }))}
                  selected={relation}
                  onSelect={setRelation}
                />
                {relation !== m.relation ? <Text className="muted">将由「{MEMBERSHIP_RELATION_LABELS[m.relation]}」更正为「{MEMBERSHIP_RELATION_LABELS[relation]}」</Text> : null}
                <View className="memberships__actions">
                  <Button onClick={() => setDecision(null)}>取消</Button>
                  <Button id={`membership-verify-confirm-${m.id}`} type="primary" loading={busy} disabled={busy} onClick={() => void decide(m)}>
                    确认通过
                  </Button>
                </View>
              </View>
            ) : null}

            {decision?.id === m.id && decision.kind === 'reject' ? (
              <View id={`membership-reject-form-${m.id}`} className="memberships__form">
                <Text className="memberships__form-title">驳回原因（申请人会看到）</Text>
                <Choices
                  idPrefix={`membership-reason-${m.id}`}
                  small
                  wide
                  items={MEMBERSHIP_REJECT_REASONS.map((text, index) => ({ key: index, label: text }))}
                  selected={MEMBERSHIP_REJECT_REASONS.findIndex((text) => text === reason)}
                  onSelect={(index) => setReason(MEMBERSHIP_REJECT_REASONS[index])}
                />
                <View className="memberships__reason-input">
                  <TextArea placeholder="或写明原因" value={reason} maxLength={500} rows={2} autoSize onChange={setReason} />
                </View>
                <View className="memberships__actions">
                  <Button onClick={() => setDecision(null)}>取消</Button>
                  <Button id={`membership-reject-confirm-${m.id}`} type="danger" loading={busy} disabled={busy} onClick={() => void decide(m)}>
                    确认驳回
                  </Button>
                </View>
              </View>
            ) : null}
          </View>
        ))}
      </View>
      {!list.loading && !list.failed && list.items.length === 0 ? (
        <View id="membership-queue-empty" className="card empty-card muted">
          {status === 'pending' ? '没有待核验的申请' : `没有${MEMBERSHIP_STATUS_LABELS[status]}的记录`}
        </View>
      ) : null}
      <ListFooter list={list} />
    </View>
  );
}
