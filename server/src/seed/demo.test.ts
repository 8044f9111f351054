import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '@linli/shared';
import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { openTestDatabase } from '../../test/harness';
import { seedDemo } from './demo';
import { GridDirectory } from '../grids/grid-directory';
import { LedgerAccount } from '../ledger/ledger.entities';
import { PointAward, Reward } from '../points/points.entities';
import { TimebankTaskRow } from '../timebank/timebank.entities';
import { DEMO_BUILDINGS, DEMO_CANNED_REPLIES, DEMO_OPENING_HOURS, DEMO_POINT_AWARDS, DEMO_REWARDS, DEMO_ROOMS, DEMO_TASKS, DEMO_UNITS, DEMO_USERS } from './demo-community';
import { demoLedgerPeople } from './demo-residents';
import { HouseholdMembership } from '../residents/membership.entity';
import { IsNull } from 'typeorm';
import { Dispute, MediatorRow } from '../disputes/dispute.entities';
import { DEMO_DISPUTES, DEMO_MEDIATORS } from './demo-disputes';
import { imageReviews } from '../moderation/image-review';
import { detectImageType } from '../uploads/image-type';
import { LocalDiskStorage } from '../uploads/storage';
import { UploadRow } from '../uploads/upload.entity';

describe('the demo seed', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.drop());

  const counts = async () => {
    const ds = database.dataSource;
    return {
      nodes: await ds.getRepository(GridNode).count(),
      buildings: await ds.getRepository(Building).count(),
      households: await ds.getRepository(Household).count(),
      users: await ds.getRepository(User).count(),
      roles: await ds.getRepository(RoleAssignment).count(),
      rewards: await ds.getRepository(Reward).count(),
      awards: await ds.getRepository(PointAward).count(),
      tasks: await ds.getRepository(TimebankTaskRow).count(),
      members: await ds.getRepository(HouseholdMembership).countBy({ status: 'verified' }),
      withoutArea: await ds.getRepository(Household).countBy({ areaM2: IsNull() }),
      mediators: await ds.getRepository(MediatorRow).count(),
      disputes: await ds.getRepository(Dispute).count(),
    };
  };

  it('creates the community of DESIGN.md, and a second run adds nothing', async () => {
    const first = await seedDemo(database.dataSource);
    const after = await counts();
    // 4 good deeds and the confirmed volunteer hours of the past task
    // The ledger's people: everyone demoLedgerPeople lists for a flat no demo user owns.
    const demoOwned = new Set(DEMO_USERS.filter((u) => u.home && (u.relation ?? 'owner') === 'owner').map((u) => u.home!.join('/')));
    const ledgerPeople = DEMO_BUILDINGS.flatMap((_b, i) =>
      DEMO_UNITS.flatMap((unit) => DEMO_ROOMS.flatMap((room) => demoLedgerPeople(i + 1, unit, room, demoOwned.has(`${i + 1}/${unit}/${room}`)))),
    ).length;
    const demoMembers = DEMO_USERS.filter((u) => u.home).length;
    expect(after).toEqual({ nodes: 9, buildings: 8, households: 192, users: DEMO_LOGINS.length + ledgerPeople, roles: 8, rewards: 6, awards: 5, tasks: 3, members: demoMembers + ledgerPeople, withoutArea: 0, mediators: 2, disputes: DEMO_DISPUTES.length });
    const ledgers = DEMO_REWARDS.length + DEMO_POINT_AWARDS.length + DEMO_OPENING_HOURS.length + DEMO_TASKS.length;
    const disputes = DEMO_MEDIATORS.length + DEMO_DISPUTES.length;
    // 常用语 of 桂花社区, every kind.
    const cannedReplies = Object.values(DEMO_CANNED_REPLIES).flat().length;
    expect(first.created).toBe(9 + 8 + 192 + 5 + 9 + DEMO_LOGINS.length + demoMembers + 2 * ledgerPeople + 8 + ledgers + disputes + cannedReplies);
    expect((await seedDemo(database.dataSource)).created).toBe(0);
    expect(await counts()).toEqual(after);
  });

  it('every demo resident is a verified member of a flat with an area; a family member lives beside the ledger owner', async () => {
    const ds = database.dataSource;
    const resident3 = await ds.getRepository(User).findOneByOrFail({ openid: 'demo-resident-3' });
    const flat = await ds.getRepository(HouseholdMembership).findBy({ householdId: resident3.householdId! });
    expect(flat.map((m) => [m.relation, m.status]).sort()).toEqual([['family', 'verified'], ['owner', 'verified']].concat(flat.length === 3 ? [['family', 'verified']] : []).sort());
    const owner = await ds.getRepository(User).findOneByOrFail({ id: flat.find((m) => m.relation === 'owner')!.userId });
    expect(owner.openid).toBeNull();
    expect((await ds.getRepository(Household).findOneByOrFail({ id: resident3.householdId! })).areaM2).toBeGreaterThan(50);
  });

  it('the demo ledgers balance: each unit sums to zero and only issuing accounts are below zero', async () => {
    const accounts = await database.dataSource.getRepository(LedgerAccount).find();
    for (const unit of ['points', 'hours'] as const) {
      expect(accounts.filter((a) => a.unit === unit).reduce((sum, a) => sum + a.balance, 0)).toBe(0);
    }
    expect(accounts.filter((a) => a.kind !== 'issuing' && a.balance < 0)).toEqual([]);
    // 6 h carried over to demo-resident-1, 4 h + 2 h confirmed to demo-volunteer-1
    const volunteer = await database.dataSource.getRepository(User).findOneByOrFail({ openid: 'demo-volunteer-1' });
    expect(accounts.find((a) => a.unit === 'hours' && a.kind === 'user' && a.ownerId === volunteer.id)?.balance).toBe(6 * 60);
  });

  it('completes a half-present seed instead of failing or duplicating', async () => {
    const users = database.dataSource.getRepository(User);
    await users.delete({ openid: 'demo-resident-6' });
    // The user and their membership of their flat.
    expect((await seedDemo(database.dataSource)).created).toBe(2);
    expect(await users.countBy({ openid: 'demo-resident-6' })).toBe(1);
  });

  it('the micro-grid boundaries tile the community: every sample point falls in exactly one (or an edge)', async () => {
    const directory = new GridDirectory(database.dataSource, 0);
    await directory.ensureFresh();
    for (let lat = 30.2781; lat < 30.282; lat += 0.0003) {
      for (let lng = 120.1481; lng < 120.154; lng += 0.0003) {
        expect(directory.locate(lat, lng)?.level).toBe('microgrid');
      }
    }
  });

  it('every demo building lies inside its own micro-grid', async () => {
    const directory = new GridDirectory(database.dataSource, 0);
    await directory.ensureFresh();
    for (const building of await database.dataSource.getRepository(Building).find()) {
      const { lat, lng } = JSON.parse(building.location!);
      expect(directory.locate(lat, lng)?.id).toBe(building.microgridId);
    }
  });
});

describe('the demo seed with the uploads storage (as the server and npm run seed run it)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let root: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-seed-uploads-'));
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const storedFiles = () => fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).length;

  it("gives every demo reward a picture of its own: a PNG in the uploads storage, the secretary's upload, its check passed", async () => {
    const storage = new LocalDiskStorage({ root });
    await seedDemo(database.dataSource, { storage });
    const ds = database.dataSource;
    const rewards = await ds.getRepository(Reward).find();
    expect(rewards.map((r) => r.name).sort()).toEqual(DEMO_REWARDS.map((r) => r.name).sort());
    const secretary = await ds.getRepository(User).findOneByOrFail({ openid: 'demo-secretary-1' });
    const pictures = new Set<string>();
    for (const reward of rewards) {
      expect(reward.imageUrl, reward.name).toMatch(/^\/api\/v1\/uploads\/files\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{16}\.png$/);
      const file = await storage.get(reward.imageUrl!.replace('/api/v1/uploads/files/', ''));
      const chunks: Buffer[] = [];
      for await (const chunk of file!.body) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      expect(detectImageType(bytes)?.mime).toBe('image/png');
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([320, 192]); // IHDR: 5 : 3, like the mall's card
      pictures.add(bytes.toString('base64'));
      expect(await ds.getRepository(UploadRow).findOneByOrFail({ url: reward.imageUrl! })).toMatchObject({ uploaderId: secretary.id });
    }
    expect(pictures.size).toBe(rewards.length);
    const reviews = await imageReviews(ds.manager, rewards.map((r) => r.imageUrl));
    expect([...reviews.values()]).toEqual(rewards.map(() => 'passed'));

    const files = storedFiles();
    expect(files).toBe(rewards.length);
    expect((await seedDemo(ds, { storage })).created).toBe(0);
    expect(storedFiles()).toBe(files);
  });
});
