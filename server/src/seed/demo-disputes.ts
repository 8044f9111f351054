import type { EntityManager } from 'typeorm';
import { chinaDay, type AgreementForm, type DisputeEventAction, type DisputeStatus, type DisputeType, type FailureAdvice, type PartyRole } from '@linli/shared';
import { Dispute, DisputeEventRow, DisputePartyRow, DisputeSessionRow, MediatorRow } from '../disputes/dispute.entities';
import { GridNode } from '../grids/grid-node.entity';
import { User } from '../identity/user.entity';
import { nextDailyNumber } from '../reports/report-number';

const DAY = 24 * 3600_000;

/** The two demo mediators and their pools. */
export const DEMO_MEDIATORS = [
  { openid: 'demo-mediator-1', nodeCode: '330199001001', name: '沈国华', phone: '13857115678', studio: '「老娘舅」调解工作室', specialties: ['neighbour', 'marriage_family', 'property_management'] },
  { openid: 'demo-mediator-2', nodeCode: '330199001', name: '何雅琴', phone: '13857116789', studio: '锦华街道人民调解委员会', specialties: ['contract', 'labour', 'damages', 'consumer'] },
] as const;

interface DemoCase {
  title: string;
  description: string;
  type: DisputeType;
  /** the applicant (a demo resident) and the other side (not a user) */
  applicant: string;
  respondent: string;
  /** where the case stands, and how long ago it was registered */
  status: DisputeStatus;
  daysAgo: number;
  mediator?: 'demo-mediator-1' | 'demo-mediator-2';
  session?: string;
  agreement?: { form: AgreementForm; terms: string; performance: string; inDays: number };
  failure?: { advice: FailureAdvice; reason: string };
}

/** A few cases in different states, in 桂花社区 (the applicants' micro-grids). Found again by title. */
export const DEMO_DISPUTES: DemoCase[] = [
  {
    title: '楼上装修噪音扰民',
    description: '2号楼401室装修半个多月，每天早上7点就开始电钻施工，中午也不停，家里老人休息不好，协商过两次没有结果。',
    type: 'neighbour',
    applicant: 'demo-resident-4',
    respondent: '赵先生（2号楼401室）',
    status: 'registered',
    daysAgo: 1,
  },
  {
    title: '物业费与漏水维修纠纷',
    description: '卫生间顶部漏水三个月，物业一直未修，业主因此拒交物业费，物业公司催缴并威胁停止服务。',
    type: 'property_management',
    applicant: 'demo-resident-3',
    respondent: '桂花物业服务有限公司',
    status: 'mediating',
    daysAgo: 12,
    mediator: 'demo-mediator-1',
    session: '双方到场。物业承认维修拖延，同意先查明漏水原因；业主表示修好后补交物业费。约定下周再调。',
  },
  {
    title: '共用楼道堆放杂物纠纷',
    description: '1号楼102室长期在共用楼道堆放纸箱和旧家具，影响通行和消防安全，邻居多次提醒未果，双方发生口角。',
    type: 'neighbour',
    applicant: 'demo-resident-1',
    respondent: '孙女士（1号楼103室）',
    status: 'agreed',
    daysAgo: 14,
    mediator: 'demo-mediator-1',
    session: '背对背调解后面对面协商，双方同意清理楼道并互相谅解。',
    agreement: { form: 'written', terms: '孙女士于协议签订后七日内清理楼道内全部杂物\n今后双方均不在共用楼道堆放物品\n双方互相谅解，不再因此事发生争执', performance: '孙女士自行清理，社区网格员现场确认', inDays: 7 },
  },
  {
    title: '房屋租赁押金退还纠纷',
    description: '租期届满退租后，房东以墙面污损为由扣留押金3000元，租客认为属于正常使用损耗，要求全额退还。',
    type: 'contract',
    applicant: 'demo-resident-2',
    respondent: '周先生（房东）',
    status: 'ruled',
    daysAgo: 25,
    mediator: 'demo-mediator-2',
    session: '双方对墙面修复费用分歧较大，房东坚持扣留全部押金。',
    failure: { advice: 'speedy_trial', reason: '双方对修复费用各执一词，经两次调解未能达成一致' },
  },
];

/** Pools, then the cases; each found by a natural key first, so a second run adds nothing. */
export async function seedDemoDisputes(manager: EntityManager, communityCode: string): Promise<number> {
  let created = 0;
  const userId = async (openid: string) => (await manager.getRepository(User).findOneByOrFail({ openid })).id;
  const node = (code: string) => manager.getRepository(GridNode).findOneByOrFail({ code });
  const mediatorIds = new Map<string, { id: number; userId: number; name: string; studio: string }>();
  for (const demo of DEMO_MEDIATORS) {
    const pool = await node(demo.nodeCode);
    const uid = await userId(demo.openid);
    let row = await manager.getRepository(MediatorRow).findOneBy({ userId: uid, nodeId: pool.id });
    if (!row) {
      row = await manager.getRepository(MediatorRow).save(
        manager.getRepository(MediatorRow).create({ userId: uid, nodeId: pool.id, nodePath: pool.path, name: demo.name, phone: demo.phone, specialties: JSON.stringify(demo.specialties), studio: demo.studio, active: true }),
      );
      created++;
    }
    mediatorIds.set(demo.openid, { id: row.id, userId: uid, name: demo.name, studio: demo.studio });
  }
  const community = await node(communityCode);
  const secretaryId = await userId('demo-secretary-1');
  for (const demo of DEMO_DISPUTES) {
    if (await manager.getRepository(Dispute).existsBy({ title: demo.title, nodeId: community.id })) continue;
    await seedCase(manager, demo, { applicantId: await userId(demo.applicant), community, secretaryId, mediator: demo.mediator ? mediatorIds.get(demo.mediator)! : null });
    created++;
  }
  return created;
}

async function seedCase(
  manager: EntityManager,
  demo: DemoCase,
  ids: { applicantId: number; community: GridNode; secretaryId: number; mediator: { id: number; userId: number; name: string; studio: string } | null },
): Promise<void> {
  const applicant = await manager.getRepository(User).findOneByOrFail({ id: ids.applicantId });
  const registeredAt = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - demo.daysAgo * DAY);
  const at = (days: number) => new Date(registeredAt.getTime() + days * DAY);
  const repo = manager.getRepository(Dispute);
  const dispute = await repo.save(
    repo.create({
      number: await nextDailyNumber(manager, registeredAt, 'dispute_number', 'TJ'),
      title: demo.title,
      description: demo.description,
      type: demo.type,
      source: 'application',
      riskLevel: demo.type === 'contract' ? 'yellow' : 'normal',
      amount: demo.type === 'contract' ? 3000 : null,
      peopleInvolved: 2,
      status: demo.status,
      version: 0,
      nodeId: ids.community.id,
      nodePath: ids.community.path,
      createdById: ids.applicantId,
      mediatorId: ids.mediator?.id ?? null,
      mediatorUserId: ids.mediator?.userId ?? null,
      acceptedAt: ids.mediator ? at(1) : null,
      dueAt: ids.mediator ? at(31) : null,
      createdAt: registeredAt,
    }),
  );
  const events: Partial<DisputeEventRow>[] = [{ action: 'register', actorId: ids.applicantId, toStatus: 'registered', createdAt: registeredAt }];
  const step = (action: DisputeEventAction, actorId: number, fromStatus: DisputeStatus, toStatus: DisputeStatus | null, note: string, when: Date) =>
    events.push({ action, actorId, fromStatus, toStatus, note, createdAt: when });
  await manager.getRepository(DisputePartyRow).insert([
    { disputeId: dispute.id, role: 'applicant' as PartyRole, name: applicant.realName ?? applicant.nickname, phone: applicant.phone, userId: applicant.id },
    { disputeId: dispute.id, role: 'respondent' as PartyRole, name: demo.respondent, phone: null, userId: null },
  ]);
  const m = ids.mediator;
  if (m) step('accept', ids.secretaryId, 'registered', 'accepted', `受理，已告知当事人权利义务；调解员：${m.name}（${m.studio}）`, at(1));
  if (m && demo.session) {
    await manager.getRepository(DisputeSessionRow).insert({
      disputeId: dispute.id,
      heldAt: at(3),
      place: m.studio,
      participants: JSON.stringify([applicant.realName ?? applicant.nickname, demo.respondent, m.name]),
      notes: demo.session,
      photos: '[]',
      recordedById: m.userId,
    });
    step('session', m.userId, 'accepted', 'mediating', `第 1 次调解 · ${m.studio}`, at(3));
  }
  const patch: Partial<Dispute> = {};
  if (m && demo.agreement) {
    const deadline = chinaDay(new Date(Date.now() + demo.agreement.inDays * DAY));
    Object.assign(patch, { agreedAt: at(4), agreementForm: demo.agreement.form, agreementFacts: demo.description, agreementTerms: demo.agreement.terms, agreementPerformance: demo.agreement.performance, performanceDeadline: deadline });
    step('agree', m.userId, 'mediating', 'agreed', `达成书面协议，履行期限 ${deadline}`, at(4));
  }
  if (m && demo.failure) {
    Object.assign(patch, { failedAt: at(10), failureAdvice: demo.failure.advice, failureReason: demo.failure.reason });
    step('fail', m.userId, 'mediating', 'failed', `调解不成（转速裁法庭）：${demo.failure.reason}`, at(10));
    if (demo.status === 'ruled') {
      Object.assign(patch, { ruledAt: at(20), rulingNote: '判决房东退还押金2000元，租客承担墙面修复费1000元', rulingCourt: '青溪区人民法院速裁法庭' });
      step('ruling', m.userId, 'failed', 'ruled', '青溪区人民法院速裁法庭：判决房东退还押金2000元，租客承担墙面修复费1000元', at(20));
    }
  }
  await manager.getRepository(DisputeEventRow).insert(events.map((e) => ({ ...e, disputeId: dispute.id, fromStatus: e.fromStatus ?? null, note: e.note ?? null, photos: null })));
  await repo.update({ id: dispute.id }, { ...patch, version: events.length - 1 });
}
