import type { Middleware } from 'koa';
import type { ErrorBody, ErrorCode } from '@linli/shared';
import { AppError } from './errors';

/**
 * The one place where anything thrown becomes the contract's error shape. Unknown errors are logged
 * with their stack and answered as INTERNAL without it.
 */
export function errorMiddleware(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('NOT_FOUND', '请求的地址不存在');
    } catch (err) {
      const appError = toAppError(err);
      if (appError.code === 'INTERNAL') ctx.state.log?.error({ err }, 'unhandled error');
      ctx.status = appError.status;
      const body: ErrorBody = {
        error: { code: appError.code, message: appError.message, details: appError.details },
      };
      ctx.body = body;
    }
  };
}

/** Errors thrown by Koa's own pieces (body parser, ctx.throw) carry a status; map them onto the contract. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode;
  const type = (err as { type?: string })?.type;
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', '请求内容过大');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型');
  if (status === 400 && (type === 'entity.parse.failed' || type === 'encoding.unsupported' || isParseError(err))) {
    return new AppError('VALIDATION_FAILED', '提交的内容格式有误', [{ path: 'body', message: '内容格式有误' }]);
  }
  if (status && status >= 400 && status < 500) {
    // A library's own message is English (http-errors): a person reads a plain one.
    return new AppError(codeForStatus(status), '请求有误，请稍后再试');
  }
  return new AppError('INTERNAL', '服务器内部错误，请稍后再试');
}

function isParseError(err: unknown): boolean {
  return err instanceof SyntaxError || /JSON|parse/i.test((err as Error)?.message ?? '');
}

function codeForStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    429: 'RATE_LIMITED',
  };
  return byStatus[status] ?? 'VALIDATION_FAILED';
}
