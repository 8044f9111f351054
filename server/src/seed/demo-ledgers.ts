import type { DataSource, EntityManager } from 'typeorm';
import { toMinutes, volunteerPoints } from '@linli/shared';
import { GridDirectory } from '../grids/grid-directory';
import { User } from '../identity/user.entity';
import { accountId, hasEntry, transfer } from '../ledger/ledger';
import { Reward } from '../points/points.entities';
import { PointsService } from '../points/points.service';
import { TimebankClaimRow, TimebankTaskRow } from '../timebank/timebank.entities';
import { MediaCheckRow } from '../moderation/moderation.entities';
import { newStorageKey, type FileStorage } from '../uploads/storage';
import { recordUpload } from '../uploads/upload-registry';
import { demoRewardPicture } from './demo-pictures';
import { DEMO_BUILDINGS, DEMO_OPENING_HOURS, DEMO_POINT_AWARDS, DEMO_REWARDS, DEMO_TASKS } from './demo-community';

/**
 * The demo community's points mall, awards and time bank. Each piece is found by a natural key first
 * (reward name, award source, task title, entry source key), so a second run adds nothing.
 */
export async function seedDemoLedgers(
  dataSource: DataSource,
  manager: EntityManager,
  ids: { communityId: number; communityPath: string; secretaryId: number; buildingPaths: Map<number, { nodeId: number; path: string; location: { lat: number; lng: number } }> },
  storage?: FileStorage,
): Promise<number> {
  let created = 0;
  const { communityId } = ids;
  // The community's accounts: issuing (points and hours) and the mall's sink.
  await accountId(manager, 'points', 'issuing', communityId);
  await accountId(manager, 'points', 'sink', communityId);
  const hoursIssuing = await accountId(manager, 'hours', 'issuing', communityId);

  const rewards = manager.getRepository(Reward);
  for (const reward of DEMO_REWARDS) {
    if (await rewards.existsBy({ communityId, name: reward.name })) continue;
    const imageUrl = storage ? await storeRewardPicture(manager, storage, reward.name, ids.secretaryId) : null;
    await rewards.insert({ communityId, ...reward, imageUrl, active: true, createdById: ids.secretaryId });
    created++;
  }

  const userId = async (openid: string) => (await manager.getRepository(User).findOneByOrFail({ openid })).id;
  // The directory is not consulted: every award here names its community.
  const points = new PointsService(dataSource, new GridDirectory(dataSource));
  for (const award of DEMO_POINT_AWARDS) {
    const outcome = await points.award(manager, {
      userId: await userId(award.openid),
      rule: 'good_deed',
      sourceKey: `demo:${award.openid}`,
      points: award.points,
      note: award.note,
      communityId,
      awardedById: ids.secretaryId,
    });
    created += Number(outcome.awarded);
  }

  for (const opening of DEMO_OPENING_HOURS) {
    const sourceKey = `demo:opening:${opening.openid}`;
    if (await hasEntry(manager, 'hours', sourceKey)) continue;
    await transfer(manager, {
      unit: 'hours',
      fromAccountId: hoursIssuing,
      toAccountId: await accountId(manager, 'hours', 'user', await userId(opening.openid)),
      amount: toMinutes(opening.hours),
      reason: 'opening',
      memo: '时间银行开户，转入线下登记的志愿时长',
      sourceKey,
    });
    created++;
  }

  const tasks = manager.getRepository(TimebankTaskRow);
  const day = 24 * 3600_000;
  for (const demo of DEMO_TASKS) {
    if (await tasks.existsBy({ communityId, title: demo.title, posterId: ids.secretaryId })) continue;
    const place = ids.buildingPaths.get(demo.building)!;
    const start = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 + demo.startInDays * day + 2 * 3600_000);
    const end = new Date(start.getTime() + demo.hours * 3600_000);
    const ended = end.getTime() < Date.now();
    const minutes = toMinutes(demo.hours);
    const task = await tasks.save(
      tasks.create({
        communityId,
        scopeNodeId: communityId,
        scopePath: ids.communityPath,
        title: demo.title,
        description: demo.description,
        startAt: start,
        endAt: end,
        minutes,
        capacity: demo.capacity,
        claimed: demo.attended.length,
        status: ended ? 'ended' : 'open',
        version: 0,
        fundedBy: 'community',
        posterId: ids.secretaryId,
        payerAccountId: hoursIssuing,
        escrowAccountId: 0,
        lat: place.location.lat,
        lng: place.location.lng,
        address: `${DEMO_BUILDINGS[demo.building - 1].name}楼下`,
        closedAt: ended ? end : null,
      }),
    );
    const escrow = await accountId(manager, 'hours', 'escrow', task.id);
    await tasks.update({ id: task.id }, { escrowAccountId: escrow });
    const title = `「${demo.title}」`;
    const earned = volunteerPoints('community', true, minutes);
    await transfer(manager, { unit: 'hours', fromAccountId: hoursIssuing, toAccountId: escrow, amount: minutes * demo.capacity, reason: 'task_escrow', memo: `发布任务${title}`, sourceKey: `task:${task.id}:escrow` });
    for (const openid of demo.attended) {
      const volunteerId = await userId(openid);
      const claim = await manager.getRepository(TimebankClaimRow).save(
        manager.getRepository(TimebankClaimRow).create({
          taskId: task.id,
          userId: volunteerId,
          status: 'confirmed',
          version: 3,
          checkedInAt: start,
          checkedOutAt: end,
          settledAt: end,
          settledById: ids.secretaryId,
          creditedMinutes: minutes,
          adjustReason: null,
          points: earned,
        }),
      );
      await transfer(manager, { unit: 'hours', fromAccountId: escrow, toAccountId: await accountId(manager, 'hours', 'user', volunteerId), amount: minutes, reason: 'task_pay', memo: `志愿服务${title}`, sourceKey: `claim:${claim.id}:pay` });
      await points.award(manager, { userId: volunteerId, rule: 'volunteer_hour', sourceKey: `claim:${claim.id}`, points: earned, note: `${title}${demo.hours} 小时`, communityId });
    }
    if (ended && demo.capacity > demo.attended.length) {
      const unspent = minutes * (demo.capacity - demo.attended.length);
      await transfer(manager, { unit: 'hours', fromAccountId: escrow, toAccountId: hoursIssuing, amount: unspent, reason: 'task_release', memo: `任务${title}已结束，未用的时长退回` });
    }
    created++;
  }
  return created;
}

/**
 * A demo reward's picture, stored like any upload: in the uploads storage under a server-made key,
 * recorded as the secretary's upload (so their edit form may send it back). Its image check is
 * recorded as passed with source `seed`: the server drew it here, nobody sent it.
 */
async function storeRewardPicture(manager: EntityManager, storage: FileStorage, name: string, secretaryId: number): Promise<string | null> {
  const png = demoRewardPicture(name);
  if (!png) return null;
  const { url } = await storage.put(newStorageKey('png'), png, 'image/png');
  await recordUpload(manager, url, secretaryId);
  const secretary = await manager.getRepository(User).findOneByOrFail({ id: secretaryId });
  await manager.getRepository(MediaCheckRow).insert({ url, status: 'pass', source: 'seed', label: null, traceId: null, openid: secretary.openid ?? '', attempts: 0 });
  return url;
}
