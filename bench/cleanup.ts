import { openDatabase } from '../server/src/db/data-source';
import { escapeLike, LIKE_ESCAPE } from '../server/src/db/like';
import { reportLink } from '../server/src/reports/report-notifications';
import { parseReportNumber, reportCounterName } from '../server/src/reports/report-number';

type Database = Awaited<ReturnType<typeof openDatabase>>;

/**
 * The HTTP runs file thousands of reports (the submit runs, and 300 to read on the demo). Left in the
 * database they change the next run's figures — bigger queues, and a notification backlog the sweep
 * then drains — so the bench removes what it filed when it is done: the bench residents' reports
 * after the newest one there was before, with their events, follows, review cases and notices, and sets
 * the streets' day counters back to the highest number left (numbers stay gap-free).
 * Only on MySQL/MariaDB: on the embedded database each server process had its own throw-away file.
 */
export async function markBeforeBench(): Promise<number | null> {
  if (!process.env.DATABASE_URL) return null;
  return withDatabase(async (db) => Number((await db.query('SELECT COALESCE(MAX(id), 0) AS id FROM reports'))[0].id));
}

export async function removeBenchReports(afterId: number | null, residentOpenids: string[]): Promise<number> {
  if (afterId === null) return 0;
  return withDatabase((db) =>
    db.transaction(async (tx: Database['manager']) => {
      const filed: { id: number; number: string }[] = await tx.query(
        `SELECT r.id, r.number FROM reports r JOIN users u ON u.id = r.reporterId WHERE r.id > ? AND u.openid IN (${residentOpenids.map(() => '?').join(',')})`,
        [afterId, ...residentOpenids],
      );
      if (!filed.length) return 0;
      const ids = filed.map((r) => r.id);
      for (let i = 0; i < ids.length; i += 1000) await removeReports(tx, ids.slice(i, i + 1000));
      const counters = new Map<string, string>(); // counter name → its numbers, as a LIKE pattern
      for (const { number } of filed) {
        const parts = parseReportNumber(number);
        if (parts) counters.set(reportCounterName(parts.series, parts.day), `SS${parts.series === null ? '' : `${escapeLike(parts.series)}-`}${parts.day}-%`);
      }
      for (const [name, numbers] of counters) {
        await tx.query(
          `UPDATE system_counters SET value = (SELECT COALESCE(MAX(CAST(SUBSTRING_INDEX(number, '-', -1) AS UNSIGNED)), 0) FROM reports WHERE number LIKE ? ${LIKE_ESCAPE}) WHERE name = ?`,
          [numbers, name],
        );
      }
      return ids.length;
    }),
  );
}

async function removeReports(tx: Database['manager'], ids: number[]) {
  const list = ids.join(',');
  const links = ids.map((id) => `'${reportLink(id)}'`).join(',');
  await tx.query(`DELETE d FROM notification_deliveries d JOIN notifications n ON n.id = d.notificationId WHERE n.link IN (${links})`);
  await tx.query(`DELETE FROM notifications WHERE link IN (${links})`);
  await tx.query(`DELETE FROM report_events WHERE reportId IN (${list})`);
  await tx.query(`DELETE FROM report_followers WHERE reportId IN (${list})`);
  await tx.query(`DELETE FROM moderation_cases WHERE subjectType = 'report' AND subjectId IN (${list})`);
  await tx.query(`DELETE FROM reports WHERE id IN (${list})`);
}

async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ url: process.env.DATABASE_URL!, embeddedFile: null });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
