import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CannedReplyKind } from '@linli/shared';

/** 常用语: one canned text of a community, for one kind of note (canned-replies.ts). */
@Entity('canned_replies')
@Index('IDX_canned_replies_community_kind', ['communityId', 'kind'])
export class CannedReplyRow {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** The community (grid node) whose staff use it. */
  @Column({ type: 'int' })
  communityId!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: CannedReplyKind;

  @Column({ type: 'varchar', length: 200 })
  text!: string;

  /** The secretary or admin who wrote it. */
  @Column({ type: 'int', nullable: true })
  createdById!: number | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt!: Date;
}
