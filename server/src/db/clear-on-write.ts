import type { DataSource, EntitySubscriberInterface, InsertEvent, QueryRunner, RemoveEvent, SoftRemoveEvent, UpdateEvent } from 'typeorm';

/**
 * Calls `clear` whenever this process writes one of `entities` through TypeORM, and again when the
 * transaction that wrote them commits: a read between the write and the commit could otherwise cache
 * what the transaction is about to replace. Other processes' writes are not seen here; the caches that
 * use this expire after a few seconds for them.
 */
export function clearOnWrites(dataSource: DataSource, entities: readonly unknown[], clear: () => void): void {
  const pending = new WeakSet<QueryRunner>();
  const written = (event: InsertEvent<unknown> | UpdateEvent<unknown> | RemoveEvent<unknown> | SoftRemoveEvent<unknown>) => {
    if (!entities.includes(event.metadata.target)) return;
    clear();
    if (event.queryRunner?.isTransactionActive) pending.add(event.queryRunner);
  };
  const subscriber: EntitySubscriberInterface = {
    afterInsert: written,
    afterUpdate: written,
    afterRemove: written,
    afterSoftRemove: written,
    afterTransactionCommit: (event) => {
      if (!pending.has(event.queryRunner)) return;
      pending.delete(event.queryRunner);
      clear();
    },
    afterTransactionRollback: (event) => void pending.delete(event.queryRunner),
  };
  dataSource.subscribers.push(subscriber);
}
