import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole } from '@linli/shared';

/** A staff role held on a grid node; it reaches that node's whole subtree. */
@Entity('role_assignments')
@Index(['userId', 'role', 'nodeId'], { unique: true })
export class RoleAssignment {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 16 })
  role!: StaffRole;

  @Index()
  @Column({ type: 'int' })
  nodeId!: number;
}
