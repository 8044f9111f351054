import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A functional department (职能部门: city management, water, police…) that handles dispatched reports. */
@Entity('departments')
export class Department {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The grid node (usually a street or district) the department serves. */
  @Column({ type: 'int' })
  nodeId!: number;
}
