import { And, In, IsNull, LessThan, LessThanOrEqual, MoreThan, Or, type DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { chinaDay, CONFIRMATION_REMINDER_DAYS, CONFIRMATION_WINDOW_DAYS, DUE_REMINDER_DAYS, MEDIATING_STATUSES, type DisputeEventAction } from '@linli/shared';
import { transactRetrying } from '../db/data-source';
import type { GridDirectory } from '../grids/grid-directory';
import { pathIds } from '../grids/grid-path';
import { staffOnNodes } from '../reports/report-notifications';
import { Dispute } from './dispute.entities';
import type { NotificationSink } from './dispute-notifications';
import type { DisputesService } from './disputes.service';

const DAY_MS = 24 * 3600_000;
const BATCH = 200;

export interface DisputeSweepResult {
  reminded: number;
  escalated: number;
  confirmationReminded: number;
}

/**
 * The clock of the mediation centre:
 * - a case under mediation whose 30 days end within 5 days: its mediator is reminded, once per due time;
 * - past its due time: supervised (督办) once per period, one level further up each time — the
 *   community's secretaries first, then the street's, then the district's;
 * - a written agreement whose 30-day window for judicial confirmation has 7 days left and no
 *   application: the mediator and the parties are reminded, once.
 * Safe with several server instances sweeping at once: each case is changed with a version-checked
 * UPDATE, so of two instances picking the same case exactly one wins and writes the event.
 */
export class DisputeSweeper {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly disputes: DisputesService,
    private readonly notifications: NotificationSink,
    private readonly options: { escalationPeriodMs: number } = { escalationPeriodMs: DAY_MS },
  ) {}

  async sweep(now = new Date()): Promise<DisputeSweepResult> {
    const result = { reminded: await this.remindDue(now), escalated: await this.escalateOverdue(now), confirmationReminded: await this.remindConfirmation(now) };
    if (result.reminded || result.escalated || result.confirmationReminded) this.notifications.kick();
    return result;
  }

  remindDue(now: Date): Promise<number> {
    const soon = new Date(now.getTime() + DUE_REMINDER_DAYS * DAY_MS);
    return this.each({ status: In(MEDIATING_STATUSES), dueAt: And(MoreThan(now), LessThanOrEqual(soon)), remindedAt: IsNull() }, (d) => ({
      change: { remindedAt: now },
      action: 'remind',
      note: `调解期限 ${chinaDay(new Date(d.dueAt!))} 将至，请抓紧调解`,
    }));
  }

  async escalateOverdue(now: Date): Promise<number> {
    await this.directory.ensureFresh();
    const periodAgo = new Date(now.getTime() - this.options.escalationPeriodMs);
    return this.each({ status: In(MEDIATING_STATUSES), dueAt: LessThan(now), lastEscalatedAt: Or(IsNull(), LessThan(periodAgo)) }, (d) => {
      const level = d.escalationLevel + 1;
      const target = this.levelUp(d.nodePath, level);
      return {
        change: { escalationLevel: level, lastEscalatedAt: now },
        action: 'escalate',
        note: `超过调解期限，第 ${level} 次督办，已报 ${target.name}`,
        audience: async (manager) => [...new Set([...(await staffOnNodes(manager, [target.id], ['secretary', 'admin'])), ...(d.mediatorUserId ? [d.mediatorUserId] : [])])],
      };
    });
  }

  remindConfirmation(now: Date): Promise<number> {
    // agreedAt in (now − 30 days, now − 23 days]: 7 days or fewer of the window are left.
    const windowOpen = new Date(now.getTime() - CONFIRMATION_WINDOW_DAYS * DAY_MS);
    const reminderFrom = new Date(now.getTime() - (CONFIRMATION_WINDOW_DAYS - CONFIRMATION_REMINDER_DAYS) * DAY_MS);
    return this.each(
      {
        status: In(['agreed', 'fulfilled', 'breached']),
        agreementForm: 'written',
        confirmationStatus: IsNull(),
        confirmationRemindedAt: IsNull(),
        agreedAt: And(MoreThan(windowOpen), LessThanOrEqual(reminderFrom)),
      },
      (d) => ({
        change: { confirmationRemindedAt: now },
        action: 'confirmation_remind',
        note: `申请司法确认的期限 ${chinaDay(new Date(new Date(d.agreedAt!).getTime() + CONFIRMATION_WINDOW_DAYS * DAY_MS - 1))} 届满，如需申请请尽快`,
      }),
    );
  }

  /** Every case matching `where`, each changed once by whichever instance gets to it first. */
  private async each(
    where: FindOptionsWhere<Dispute>,
    step: (d: Dispute) => { change: Partial<Dispute>; action: DisputeEventAction; note: string; audience?: (manager: EntityManager) => Promise<number[]> },
  ): Promise<number> {
    let done = 0;
    for (;;) {
      const due = await this.dataSource.getRepository(Dispute).find({ where, order: { id: 'ASC' }, take: BATCH });
      if (due.length === 0) return done;
      let won = 0;
      for (const dispute of due) {
        const { change, action, note, audience } = step(dispute);
        won += Number(
          await transactRetrying(this.dataSource, async (manager) => {
            const version = dispute.version + 1;
            const result = await manager.getRepository(Dispute).update({ id: dispute.id, version: dispute.version }, { ...change, version });
            if (!result.affected) return false;
            const updated = Object.assign(new Dispute(), dispute, change, { version });
            await this.disputes.recordEvent(manager, updated, action, null, null, null, note, [], audience ? await audience(manager) : undefined);
            return true;
          }),
        );
      }
      done += won;
      // Every candidate of this batch was taken by another instance: the rest will be too, or next sweep.
      if (won === 0) return done;
    }
  }

  /**
   * Who supervises at `level`: the coordinators' nodes over the case from the nearest up — its
   * community, then its street, then its district — stopping at the top.
   */
  private levelUp(nodePath: string, level: number) {
    const above = pathIds(nodePath)
      .map((id) => this.directory.node(id))
      .filter((n) => !!n && (n.level === 'community' || n.level === 'street' || n.level === 'district'))
      .reverse();
    const target = above[Math.min(level - 1, above.length - 1)];
    return target ?? { id: pathIds(nodePath)[0], name: '上级' };
  }
}
