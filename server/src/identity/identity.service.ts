import { In, type DataSource } from 'typeorm';
import { maskPhone, type LoginResult, type Me, type MeHousehold, type MyHousehold, type Role, type StaffRole, type UpdateSettingsBody } from '@linli/shared';
import { Building } from '../grids/building.entity';
import { pathIds } from '../grids/grid-path';
import type { GridDirectory } from '../grids/grid-directory';
import { Household, householdLabel } from '../grids/household.entity';
import { unauthenticated } from '../platform/errors';
import { HouseholdMembership } from '../residents/membership.entity';
import { householdLabels, membershipInfo } from '../residents/membership-view';
import type { Actor } from './actor';
import type { ActorCache } from './actor-cache';
import { RoleAssignment } from './role-assignment.entity';
import type { TokenService } from './tokens';
import { User } from './user.entity';

export interface LoginProfile {
  unionid?: string | null;
  sessionKey?: string | null;
}

export class IdentityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly tokens: TokenService,
    /** Actors kept a few seconds per user (actor-cache.ts); without one, every request reads them. */
    private readonly actorCache?: ActorCache,
  ) {}

  /** First login with an openid creates a resident (no household yet), as WeChat's first login does. */
  async login(openid: string, profile: LoginProfile = {}): Promise<LoginResult> {
    const user = await this.findOrCreate(openid);
    if (profile.sessionKey || profile.unionid) {
      await this.users.update({ id: user.id }, { sessionKey: profile.sessionKey ?? null, unionid: profile.unionid ?? user.unionid });
    }
    const { token, expiresAt } = await this.tokens.issue(user.id);
    return { token, expiresAt, user: await this.me(user.id) };
  }

  private get users() {
    return this.dataSource.getRepository(User);
  }

  private async findOrCreate(openid: string): Promise<User> {
    const existing = await this.users.findOneBy({ openid });
    if (existing) return existing;
    try {
      return await this.users.save(this.users.create({ openid, nickname: `邻居${openid.slice(-4)}` }));
    } catch (err) {
      // Two first logins at once: the unique openid let one insert win; read that one.
      const winner = await this.users.findOneBy({ openid });
      if (winner) return winner;
      throw err;
    }
  }

  /** The caller behind a verified token: the user and the staff roles held on grid nodes. */
  async loadActor(userId: number): Promise<Actor> {
    return this.actorCache ? this.actorCache.get(userId, () => this.readActor(userId)) : this.readActor(userId);
  }

  private async readActor(userId: number): Promise<Actor> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user || user.deletedAt) throw unauthenticated('账号不存在，请重新登录');
    await this.directory.ensureFresh();
    const [assignments, membership] = await Promise.all([
      this.dataSource.getRepository(RoleAssignment).findBy({ userId }),
      user.householdId ? this.dataSource.getRepository(HouseholdMembership).findOneBy({ userId, householdId: user.householdId, status: 'verified' }) : null,
    ]);
    const scopes = assignments.flatMap((a) => {
      const node = this.directory.node(a.nodeId);
      return node ? [{ role: a.role, nodeId: a.nodeId, nodePath: node.path }] : [];
    });
    return {
      userId: user.id,
      nickname: user.nickname,
      householdId: membership ? membership.householdId : null,
      householdRelation: membership ? membership.relation : null,
      departmentId: user.departmentId,
      scopes,
    };
  }

  async me(userId: number): Promise<Me> {
    const actor = await this.loadActor(userId);
    const user = (await this.users.findOneBy({ id: userId }))!;
    const memberships = await this.dataSource.getRepository(HouseholdMembership).find({ where: { userId }, order: { id: 'ASC' } });
    const current = memberships.find((m) => m.householdId === user.householdId && (m.status === 'verified' || m.status === 'pending'));
    const household = current ? await this.householdView(current) : null;
    const staffRoles = [...new Set(actor.scopes.map((s) => s.role))];
    const roles: Role[] = [...(actor.householdId ? (['resident'] as const) : []), ...staffRoles];
    return {
      id: user.id,
      nickname: user.nickname,
      avatarUrl: user.avatarUrl,
      roles,
      scopes: actor.scopes.map(({ role, nodeId }) => ({ role, nodeId })),
      householdId: household ? household.id : null,
      household,
      households: await this.myHouseholds(memberships, current?.householdId ?? null),
      phoneMasked: maskPhone(user.phone),
      phoneVerified: user.phoneVerifiedAt !== null,
      settings: { showNameOnLeaderboard: !!user.showNameOnLeaderboard },
    };
  }

  /** The person's own choices (their name on leaderboards). */
  async updateSettings(userId: number, body: UpdateSettingsBody): Promise<Me> {
    await this.users.update({ id: userId }, { showNameOnLeaderboard: body.showNameOnLeaderboard });
    return this.me(userId);
  }

  /** Every membership of the person with its household's label; the removed and rejected too, with the reason. */
  private async myHouseholds(memberships: HouseholdMembership[], currentId: number | null): Promise<MyHousehold[]> {
    const places = await householdLabels(this.dataSource.manager, memberships.map((m) => m.householdId));
    return memberships.flatMap((m) => {
      const place = places.get(m.householdId);
      if (!place) return [];
      return [{ id: m.householdId, label: place.label, buildingId: place.buildingId, microgridId: place.microgridId, current: m.householdId === currentId, membership: membershipInfo(m) }];
    });
  }

  private async householdView(membership: HouseholdMembership): Promise<MeHousehold | null> {
    const household = await this.dataSource.getRepository(Household).findOneBy({ id: membership.householdId });
    if (!household) return null;
    const building = (await this.dataSource.getRepository(Building).findOneBy({ id: household.buildingId }))!;
    const microgrid = this.directory.node(building.microgridId);
    return {
      id: household.id,
      buildingId: building.id,
      buildingName: building.name,
      unit: household.unit,
      room: household.room,
      label: householdLabel(building.name, household.unit, household.room),
      microgridId: building.microgridId,
      path: this.directory.pathOf(building.microgridId),
      gridWorkers: microgrid ? await this.staffCovering(microgrid.path, 'grid_worker') : [],
      membership: membershipInfo(membership),
    };
  }

  /** Staff holding `role` on the node of `path` or any node above it, nearest first. */
  private async staffCovering(path: string, role: StaffRole) {
    const ancestorIds = pathIds(path);
    const assignments = await this.dataSource.getRepository(RoleAssignment).findBy({ role, nodeId: In(ancestorIds) });
    assignments.sort((a, b) => ancestorIds.indexOf(b.nodeId) - ancestorIds.indexOf(a.nodeId));
    const userIds = [...new Set(assignments.map((a) => a.userId))];
    if (userIds.length === 0) return [];
    const users = await this.users.findBy({ id: In(userIds) });
    const byId = new Map(users.map((u) => [u.id, u]));
    return userIds.map((id) => byId.get(id)!).map((u) => ({ id: u.id, nickname: u.nickname, phoneMasked: maskPhone(u.phone) }));
  }
}
