/**
 * Cursors no list ever issued: what `Number()` turns into Infinity, a negative, a fraction, a float
 * in disguise, a number past any id, or no number at all. Every list answers each with 400.
 */
export const GARBAGE_CURSORS: readonly string[] = [
  '1e400',
  '1E309',
  '-1e400',
  'Infinity',
  '-1',
  'abc',
  '1.5',
  '9'.repeat(300),
  '__proto__',
  '0',
  '1e3',
  '0x10',
  ' 7',
  '',
  '١٢',
];
