import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { conflict } from '../platform/errors';

/** A row lock where the database has one (MySQL/MariaDB); the embedded database serialises transactions. */
export function withLock<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  manager: EntityManager,
  mode: 'pessimistic_write' | 'pessimistic_read' = 'pessimistic_write',
): SelectQueryBuilder<T> {
  return manager.connection.options.type === 'sqljs' ? query : query.setLock(mode);
}

/**
 * Writes a versioned row only if nobody changed it since it was read (its version is still
 * `loadedVersion`); otherwise 409 CONFLICT with `staleMessage`.
 */
export async function saveIfUnchanged<T extends { id: number; createdAt: Date; updatedAt: Date }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  row: T,
  loadedVersion: number,
  staleMessage: string,
): Promise<void> {
  const { id, createdAt: _created, updatedAt: _updated, ...fields } = row;
  const result = await manager.getRepository(entity).update({ id, version: loadedVersion } as never, fields as never);
  if (!result.affected) throw conflict(staleMessage);
}
