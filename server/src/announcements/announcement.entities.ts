import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A community notice (社区公告). It goes to a grid node (community, grid or micro-grid) or to one
 * building; `nodePath` is the node's materialized path (a building's: its micro-grid's), so who sees it
 * and who may post it are prefix tests like every other scope check.
 */
@Entity('announcements')
@Index(['communityId', 'id'])
export class AnnouncementRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** The community it belongs to: a resident's list starts from their community's notices. */
  @Column({ type: 'int' })
  communityId!: number;

  /** The grid node it was posted to (for a building: the building's micro-grid). */
  @Column({ type: 'int' })
  nodeId!: number;

  @Column({ type: 'varchar', length: 255 })
  nodePath!: string;

  /** Set when it is for one building only. */
  @Column({ type: 'int', nullable: true })
  buildingId!: number | null;

  @Column({ type: 'varchar', length: 40 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  /** JSON array of our own upload URLs, or null. */
  @Column({ type: 'text', nullable: true })
  photos!: string | null;

  /** Shown above the others while it lasts. */
  @Column({ type: 'boolean', default: false })
  pinned!: boolean;

  /** Residents no longer see it after this; null: until taken down. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'int' })
  authorId!: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}

/**
 * Who opened a notice, once per person; with the household they acted for then, so that reads are
 * counted per household (已读 N / M 户), not per person.
 */
@Entity('announcement_reads')
@Index(['announcementId', 'userId'], { unique: true })
@Index(['announcementId', 'householdId'])
export class AnnouncementReadRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  announcementId!: number;

  @Column({ type: 'int' })
  userId!: number;

  /** The reader's household within the notice's place; null for a reader counted in no household (staff). */
  @Column({ type: 'int', nullable: true })
  householdId!: number | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;
}
