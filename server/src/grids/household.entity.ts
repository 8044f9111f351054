import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { decimalNumber } from '../db/portable-columns';

/** A household (户): one flat of a building, identified by unit and room. */
@Entity('households')
@Index(['buildingId', 'unit', 'room'], { unique: true })
@Index('IDX_households_room', ['room'])
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

  /** 专有部分建筑面积 in m²; null while unknown (a Civil Code vote cannot then be held over it). */
  @Column({ type: 'decimal', precision: 10, scale: 2, nullable: true, transformer: decimalNumber })
  areaM2!: number | null;
}

export function householdLabel(buildingName: string, unit: string, room: string): string {
  return `${buildingName} ${unit} ${room}`;
}
