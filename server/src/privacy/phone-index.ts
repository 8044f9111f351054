import { fieldHash } from './field-cipher';

/** Digits only: '138 5711-0001' and '13857110001' are one phone. */
export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

/**
 * What a user row stores of a phone: the encrypted number itself (the column's transformer encrypts),
 * a keyed hash for exact matches (ledger import, the roster check) and the last four digits for search.
 */
export function phoneColumns(phone: string | null): { phone: string | null; phoneHash: string | null; phoneTail: string | null } {
  if (!phone) return { phone: null, phoneHash: null, phoneTail: null };
  const digits = normalisePhone(phone);
  return { phone: digits, phoneHash: phoneHash(digits), phoneTail: digits.slice(-4) };
}

export function phoneHash(phone: string): string {
  return fieldHash(`phone:${normalisePhone(phone)}`);
}
