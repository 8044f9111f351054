import type { EntityManager } from 'typeorm';
import { areaHundredths, areaM2, VOTE_METHODS, type ConsultationTally, type OutcomeInput, type VoteMethod } from '@linli/shared';
import { Household } from '../grids/household.entity';
import { ConsultationOptionRow, ConsultationVote, type Consultation } from './consultation.entities';
import { scopeFigures, type ScopeFigures } from './household-scope';

/** The tally as the API shows it, and the same figures in whole hundredths of m² for decideOutcome. */
export interface CountedVotes {
  tally: ConsultationTally;
  figures: Omit<OutcomeInput, 'rule'>;
}

/** Once closed, the figures kept at close; before, the scope as it is now. */
export async function scopeOf(manager: EntityManager, c: Consultation): Promise<ScopeFigures> {
  if (c.eligibleAtClose !== null && c.eligibleAreaAtClose !== null) {
    return { households: c.eligibleAtClose, area: areaHundredths(c.eligibleAreaAtClose), withoutArea: 0 };
  }
  const now = await scopeFigures(manager, c);
  // Closed before areas were kept: the household count of the close, the area as it is now.
  return c.eligibleAtClose !== null ? { ...now, households: c.eligibleAtClose } : now;
}

/**
 * The household votes by option and by method, with their areas. Once voting has closed each vote is
 * counted with the area its household had then (ConsultationVote.areaM2AtClose); before, with today's.
 */
export async function countVotes(manager: EntityManager, c: Consultation, scope: ScopeFigures): Promise<CountedVotes> {
  const options = await manager.getRepository(ConsultationOptionRow).find({ where: { consultationId: c.id }, order: { position: 'ASC' } });
  const closed = c.eligibleAreaAtClose !== null;
  const rows: { optionId: unknown; method: VoteMethod; n: unknown; area: unknown }[] = await manager
    .getRepository(ConsultationVote)
    .createQueryBuilder('v')
    .leftJoin(Household, 'h', 'h.id = v.householdId')
    .select('v.optionId', 'optionId')
    .addSelect('v.method', 'method')
    .addSelect('COUNT(*)', 'n')
    .addSelect(`SUM(ROUND(COALESCE(${closed ? 'v.areaM2AtClose' : 'h.areaM2'}, 0) * 100))`, 'area')
    .where('v.consultationId = :id', { id: c.id })
    .groupBy('v.optionId')
    .addGroupBy('v.method')
    .getRawMany();
  const whole = (value: unknown) => Math.round(Number(value ?? 0));
  const byMethod = Object.fromEntries(VOTE_METHODS.map((m) => [m, 0])) as Record<VoteMethod, number>;
  const perOption = new Map<number, { votes: number; area: number }>();
  for (const row of rows) {
    const votes = whole(row.n);
    byMethod[row.method] = (byMethod[row.method] ?? 0) + votes;
    const sum = perOption.get(whole(row.optionId)) ?? { votes: 0, area: 0 };
    perOption.set(whole(row.optionId), { votes: sum.votes + votes, area: sum.area + whole(row.area) });
  }
  const counted = options.map((o) => ({ optionId: o.id, label: o.label, ...(perOption.get(o.id) ?? { votes: 0, area: 0 }) }));
  const votedHouseholds = counted.reduce((sum, o) => sum + o.votes, 0);
  const votedArea = counted.reduce((sum, o) => sum + o.area, 0);
  return {
    tally: {
      eligibleHouseholds: scope.households,
      votedHouseholds,
      eligibleAreaM2: areaM2(scope.area),
      votedAreaM2: areaM2(votedArea),
      byOption: counted.map((o) => ({ optionId: o.optionId, label: o.label, votes: o.votes, areaM2: areaM2(o.area) })),
      byMethod,
    },
    figures: {
      eligibleHouseholds: scope.households,
      votedHouseholds,
      inFavour: counted[0]?.votes ?? 0,
      eligibleArea: scope.area,
      votedArea,
      inFavourArea: counted[0]?.area ?? 0,
    },
  };
}

/** At close: each vote keeps its household's area of this moment (one statement), so the outcome can be read again later. */
export async function keepAreasAtClose(manager: EntityManager, c: Consultation): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(ConsultationVote)
    .set({ areaM2AtClose: () => 'COALESCE((SELECT h.areaM2 FROM households h WHERE h.id = consultation_votes.householdId), 0)' })
    .where('consultationId = :id', { id: c.id })
    .execute();
}
