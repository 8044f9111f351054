import type { ZodError, ZodType } from 'zod';
import { AppError } from './errors';

/** Parses `value` with `schema` or throws VALIDATION_FAILED naming each bad field. */
export function parseInput<T>(schema: ZodType<T>, value: unknown, where: 'body' | 'query' | 'params'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed(result.error, where);
}

export function validationFailed(error: ZodError, where: string): AppError {
  const details = error.issues.slice(0, 20).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new AppError('VALIDATION_FAILED', '提交的内容有误', details);
}
