import type { Middleware } from 'koa';
import type { DataSource } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every change a staff member asks for, with its outcome, and the reads a route marks as
 * audited (`ctx.state.audit = {path}`: an export of people's phones). Written after the response is
 * decided; a failure to write is logged and never turns a done action into an error.
 */
export function auditStaffActions(dataSource: DataSource): Middleware {
  return async (ctx, next) => {
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } catch (err) {
      // Refused actions are recorded too, with the status the error middleware will answer.
      status = (err as { status?: number }).status ?? 500;
      throw err;
    } finally {
      await record(ctx, status);
    }
  };

  async function record(ctx: Parameters<Middleware>[0], status: number) {
    const actor = ctx.state.actor;
    const audited = ctx.state.audit as { path: string } | undefined;
    if (!actor || !(CHANGES.has(ctx.method) || audited) || actor.scopes.length === 0) return;
    const roles = [...new Set(actor.scopes.map((s: { role: string }) => s.role))].join(',');
    try {
      await dataSource.getRepository(AuditEntry).insert({
        actorId: actor.userId,
        roles: roles.slice(0, 100),
        method: ctx.method,
        path: (audited?.path ?? ctx.path).slice(0, 255),
        status,
        requestId: String(ctx.state.requestId ?? ''),
      });
    } catch (err) {
      ctx.state.log?.error({ err }, 'audit log write failed');
    }
  }
}
