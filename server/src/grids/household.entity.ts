import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A household (户): one flat of a building, identified by unit and room. */
@Entity('households')
@Index(['buildingId', 'unit', 'room'], { unique: true })
export class Household {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  buildingId!: number;

  /** 2单元 */
  @Column({ type: 'varchar', length: 32 })
  unit!: string;

  /** 301 */
  @Column({ type: 'varchar', length: 32 })
  room!: string;
}

export function householdLabel(buildingName: string, unit: string, room: string): string {
  return `${buildingName} ${unit} ${room}`;
}
