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
    };
  };

  it('creates the community of DESIGN.md, and a second run adds nothing', async () => {
    const first = await seedDemo(database.dataSource);
    const after = await counts();
    expect(after).toEqual({ nodes: 9, buildings: 8, households: 192, users: DEMO_LOGINS.length, roles: 6 });
    expect(first.created).toBe(9 + 8 + 192 + 5 + 9 + DEMO_LOGINS.length + 6);
    expect((await seedDemo(database.dataSource)).created).toBe(0);
    expect(await counts()).toEqual(after);
  });

  it('completes a half-present seed instead of failing or duplicating', async () => {
    const users = database.dataSource.getRepository(User);
    await users.delete({ openid: 'demo-resident-6' });
    expect((await seedDemo(database.dataSource)).created).toBe(1);
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
