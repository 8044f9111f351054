import type { DataSource, EntityManager } from 'typeorm';
import type { GridDirectory } from '../grids/grid-directory';
import { Consultation } from './consultation.entities';
import { scopeFigures } from './household-scope';

/**
 * The consultation page's freshness stamp (route.ts `freshness`): what it shows, read before building
 * it, so an unchanged page is answered 304. mount-routes.ts adds the caller (identity, roles, household
 * and how they belong to it: what decides their actions, their household's vote and what they see).
 *
 * - Phases, options, co-signs, votes and ballots (the viewer's household's vote too), comments and their
 *   content checks and hiding, progress, the timeline: `revision`, bumped by every one of them
 *   (touchConsultation), unlike `version`, the phase's optimistic lock, which a vote must not move.
 * - Whether voting is still open, which the clock alone changes: asked with the time of the request.
 * - Until the close keeps them, the tally's households and areas are today's: the scope's figures
 *   (one aggregate over its households), which any household or area change in scope moves.
 * - Grid node names (the scope's name): the tree's revision.
 */
export class ConsultationFreshness {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly now: () => Date,
  ) {}

  /** `GET /consultations/:id`: null when there is none (the handler answers 404). */
  async ofConsultation(id: number): Promise<string | null> {
    const c = await this.dataSource.getRepository(Consultation).findOne({
      select: { id: true, revision: true, votingEndsAt: true, scope: true, buildingId: true, scopePath: true, eligibleAtClose: true, eligibleAreaAtClose: true },
      where: { id },
    });
    if (!c) return null;
    await this.directory.ensureFresh();
    const votingOver = c.votingEndsAt !== null && new Date(c.votingEndsAt).getTime() <= this.now().getTime();
    const liveScope = c.eligibleAtClose === null || c.eligibleAreaAtClose === null ? await scopeFigures(this.dataSource.manager, c) : null;
    return JSON.stringify([c.revision, votingOver, liveScope, this.directory.revision]);
  }
}

/** Marks a change the consultation's page shows (see ConsultationFreshness), in the writer's transaction. */
export async function touchConsultation(manager: EntityManager, id: number): Promise<void> {
  await manager.getRepository(Consultation).update({ id }, { revision: () => 'revision + 1' });
}
