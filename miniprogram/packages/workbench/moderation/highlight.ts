export interface TextPart {
  text: string;
  /** One of the matched words. */
  hit: boolean;
}

/** The text cut at every literal occurrence of the words (longest first, case-insensitive), for highlighting. */
export function splitByWords(text: string, words: string[]): TextPart[] {
  const needles = [...new Set(words.filter(Boolean).map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return [{ text, hit: false }];
  const lower = text.toLowerCase();
  const parts: TextPart[] = [];
  let plain = 0;
  let i = 0;
  while (i < text.length) {
    const needle = needles.find((n) => lower.startsWith(n, i));
    if (!needle) {
      i += 1;
      continue;
    }
    if (i > plain) parts.push({ text: text.slice(plain, i), hit: false });
    parts.push({ text: text.slice(i, i + needle.length), hit: true });
    i += needle.length;
    plain = i;
  }
  if (plain < text.length) parts.push({ text: text.slice(plain), hit: false });
  return parts;
}
