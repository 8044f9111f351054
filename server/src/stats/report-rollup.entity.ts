import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Which breakdown a rollup row is: the whole node-day, or one category / intake channel / handling method. */
export const ROLLUP_FACETS = ['all', 'category', 'channel', 'method'] as const;
export type RollupFacet = (typeof ROLLUP_FACETS)[number];

/**
 * The dashboard's daily rollup (rollups.ts): for one grid node, one China day and one breakdown key, the
 * additive KPI counts of kpi.ts (all but `deferred`, which depends on `now`) of the reports under the node
 * RECEIVED that day, each as it stands now; `open` of those still being handled; `closedOnDay` the reports
 * under the node closed that day (the daily chart's second line, not a cohort count: facet `all` only).
 * A node's period is a SUM over its rows of the period's days; its children's breakdown a GROUP BY over
 * theirs. The primary key leads with (node, facet, day) so each of those is one index range.
 * Migration 1763900003200.
 */
@Entity('report_rollups')
@Index('IDX_report_rollups_day', ['day'])
export class ReportRollup {
  @PrimaryColumn({ type: 'int' })
  nodeId!: number;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  facet!: RollupFacet;

  /** The China day, `YYYY-MM-DD` (text compares in day order in both databases). */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  /** The category code, channel or handling method (`none` before acceptance); '' for facet `all`. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  facetKey!: string;

  @Column({ type: 'int', default: 0 }) received!: number;
  @Column({ type: 'int', default: 0 }) closed!: number;
  @Column({ type: 'int', default: 0 }) rejected!: number;
  @Column({ type: 'int', default: 0 }) merged!: number;
  @Column({ type: 'int', default: 0 }) extended!: number;
  @Column({ type: 'int', default: 0 }) closedOnTime!: number;
  @Column({ type: 'int', default: 0 }) rated!: number;
  @Column({ type: 'int', default: 0 }) ratingSum!: number;
  @Column({ type: 'int', default: 0 }) satisfied!: number;
  @Column({ type: 'int', default: 0 }) handled!: number;
  @Column({ type: 'double', default: 0 }) handleHoursSum!: number;
  @Column({ type: 'int', default: 0 }) open!: number;
  @Column({ type: 'int', default: 0 }) closedOnDay!: number;
}

/**
 * How far the rollup has caught up: reports whose `updatedAt` is at or after `upTo` (less a few seconds
 * for transactions still open) have not been folded in. One row, locked by whoever catches up.
 */
@Entity('rollup_watermarks')
export class RollupWatermark {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: string;

  /** The database's clock when the last catch-up began; null until the rollup is first built. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  upTo!: Date | null;
}
