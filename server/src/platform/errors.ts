import { ERROR_STATUS, type ErrorCode, type ErrorDetail } from '@linli/shared';

/**
 * The one error type the server throws on purpose. The error middleware turns it (and anything
 * else thrown) into the contract's `{error: {code, message, details}}`.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在`);
export const forbidden = (message = '没有权限执行此操作') => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = '请先登录') => new AppError('UNAUTHENTICATED', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);

/** 400 VALIDATION_FAILED about one field, for rules a schema cannot express (a date in the past, an unknown id). */
export const fieldError = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);
