import { z } from 'zod';

/**
 * No identifier reaches a person: what the app shows (pages, toasts, notices, error messages) is plain
 * Chinese, every code going through a label in shared/. A lower-case run of three or more letters or
 * underscores (`passed`, `civil_code_general`, `outside every grid`) is taken for a leaked identifier;
 * the tests over notification texts, error messages (the fuzzer) and pages (the e2e) use this one rule.
 */
export const IDENTIFIER_LIKE = /[a-z_]{3,}/g;

/** The identifier-like words in a text a person reads (empty when it is plain). */
export function identifierLeaks(text: string): string[] {
  return text.match(IDENTIFIER_LIKE) ?? [];
}

type Issue = Parameters<z.core.$ZodErrorMap>[0];

/**
 * Validation messages in plain Chinese. zod's own (English, or its zh-CN locale's "期望 string") would
 * reach the resident through the app's error toast; a message written on a schema (refine) still wins.
 */
export function plainIssueMessage(issue: Issue): string {
  const origin = 'origin' in issue ? issue.origin : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必填' : '格式不对';
    case 'too_small':
      if (origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${issue.minimum} 个字`;
      if (origin === 'array' || origin === 'set') return `至少 ${issue.minimum} 项`;
      return `不能小于 ${issue.minimum}`;
    case 'too_big':
      if (origin === 'string') return `最多 ${issue.maximum} 个字`;
      if (origin === 'array' || origin === 'set') return `最多 ${issue.maximum} 项`;
      return `不能大于 ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'datetime' || issue.format === 'date' ? '时间格式不对' : '格式不对';
    case 'invalid_value':
      return '请从给出的选项中选择';
    case 'not_multiple_of':
      return `须为 ${issue.divisor} 的整数倍`;
    case 'unrecognized_keys':
      return '含有无法识别的内容';
    default:
      return '填写的内容不符合要求';
  }
}

z.config({ customError: plainIssueMessage });
