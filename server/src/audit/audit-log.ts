import type { Context, Middleware } from 'koa';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What a service writes about the change it makes (an award: to whom, how many, why), inside the
 * change's own transaction: the request's audit row then commits with the change, or not at all.
 * Routes hand it to the service with `auditNoteOf(ctx)`; for callers that are not staff, or outside
 * a request (jobs, the seed), it records nothing.
 */
export interface AuditNote {
  record(manager: EntityManager, detail: Record<string, unknown>): Promise<void>;
}

export const NO_AUDIT: AuditNote = { record: async () => undefined };

export function auditNoteOf(ctx: Context): AuditNote {
  return (ctx.state.audit as AuditNote | undefined) ?? NO_AUDIT;
}

interface Recorded {
  id: number;
  status: number;
}

/**
 * Records every change a staff member asks for, with its outcome, and the reads a route marks as
 * audited (`ctx.state.auditedRead = {path}`: an export of people's phones). Written after the response is
 * decided; a failure to write is logged and never turns a done action into an error. When the service
 * already recorded the change in its transaction (AuditNote), that row is the request's row: it is
 * left as it is when the answer is the one it was written with, else given the final status (or, if
 * its transaction rolled back, the row is written afresh).
 */
export function auditStaffActions(dataSource: DataSource): Middleware {
  return async (ctx, next) => {
    const written: { row: Recorded | null } = { row: null };
    if (staffChange(ctx)) ctx.state.audit = noteFor(ctx, (row) => (written.row = row));
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } catch (err) {
      // Refused actions are recorded too, with the status the error middleware will answer.
      status = (err as { status?: number }).status ?? 500;
      throw err;
    } finally {
      if (staffChange(ctx) || auditedRead(ctx)) await finish(ctx, status, written.row);
    }
  };

  function noteFor(ctx: Context, remember: (row: Recorded) => void): AuditNote {
    return {
      async record(manager, detail) {
        // The answer a route gives when its handler returns (mount-routes.ts sets it before calling).
        const status = Number(ctx.state.successStatus ?? 200);
        const inserted = await manager.getRepository(AuditEntry).insert({ ...rowOf(ctx, status), detail: JSON.stringify(detail).slice(0, 1000) });
        remember({ id: Number(inserted.identifiers[0].id), status });
      },
    };
  }

  async function finish(ctx: Context, status: number, recorded: Recorded | null) {
    try {
      const repo = dataSource.getRepository(AuditEntry);
      if (recorded && recorded.status === status && status < 400) return;
      if (recorded) {
        const updated = await repo.update({ id: recorded.id, requestId: rowOf(ctx, status).requestId }, { status });
        if (updated.affected) return;
      }
      await repo.insert(rowOf(ctx, status));
    } catch (err) {
      ctx.state.log?.error({ err }, 'audit log write failed');
    }
  }
}

function staffChange(ctx: Context): boolean {
  const actor = ctx.state.actor;
  return !!actor && CHANGES.has(ctx.method) && actor.scopes.length > 0;
}

/** A staff member's read the route marked as audited (it set the path to record, with what was read). */
function auditedRead(ctx: Context): boolean {
  const actor = ctx.state.actor;
  return !!actor && !!ctx.state.auditedRead && actor.scopes.length > 0;
}

function rowOf(ctx: Context, status: number) {
  const actor = ctx.state.actor;
  const roles = [...new Set(actor.scopes.map((s: { role: string }) => s.role))].join(',');
  return {
    actorId: actor.userId,
    roles: roles.slice(0, 100),
    method: ctx.method,
    path: ((ctx.state.auditedRead as { path: string } | undefined)?.path ?? ctx.path).slice(0, 255),
    status,
    requestId: String(ctx.state.requestId ?? ''),
  };
}
