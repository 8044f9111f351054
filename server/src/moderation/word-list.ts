import fs from 'node:fs';

/**
 * The local sensitive-word list: the whole check in development, and a second opinion beside
 * WeChat's in production (a community adds its own words, e.g. a local scam's phone-number bait).
 * Each word carries the label a reviewer sees. Kept short and plain on purpose: it is a net for the
 * obvious, not a classifier.
 */
export interface SensitiveWord {
  word: string;
  /** WeChat's label code, so both sources read the same in the review queue (see MODERATION_LABELS). */
  label: number;
  /** `risky`: certainly not for publication; `review`: a person should look. */
  suggest: 'risky' | 'review';
}

const RISKY = (label: number, words: string[]): SensitiveWord[] => words.map((word) => ({ word, label, suggest: 'risky' as const }));
const REVIEW = (label: number, words: string[]): SensitiveWord[] => words.map((word) => ({ word, label, suggest: 'review' as const }));

export const DEFAULT_SENSITIVE_WORDS: SensitiveWord[] = [
  ...RISKY(20003, ['傻逼', '煞笔', '操你', '草泥马', '去死吧', '王八蛋', '狗日的', '滚你妈']),
  ...RISKY(20006, ['卖枪', '出售枪支', '代办假证', '办假证', '赌博网站', '网络赌博', '贩毒', '冰毒']),
  ...RISKY(20008, ['刷单返利', '稳赚不赔', '内部中奖', '冒充公检法', '安全账户转账']),
  ...RISKY(20002, ['裸聊', '约炮', '色情服务']),
  ...REVIEW(10001, ['加微信', '加v信', '加vx', '代开发票', '低价代购', '日赚', '兼职刷单']),
  ...REVIEW(20012, ['他妈的', '你妈的']),
];

/**
 * What a match is made on: full-width folded (NFKC), lower case, and without the spaces, punctuation
 * and symbols people put between characters to slip past a list ("傻 逼", "加-微-信").
 */
export function normalizeForMatching(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

export interface WordListMatch {
  suggest: 'risky' | 'review' | 'pass';
  /** The label of the worst match (100 when nothing matched). */
  label: number;
  words: string[];
}

export class WordList {
  private readonly entries: { normalized: string; entry: SensitiveWord }[];

  constructor(words: SensitiveWord[]) {
    const seen = new Set<string>();
    this.entries = [];
    for (const entry of words) {
      const normalized = normalizeForMatching(entry.word);
      if (!normalized || seen.has(normalized)) continue;
      seen.add(normalized);
      this.entries.push({ normalized, entry });
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every listed word the text contains; the verdict is the worst of them. */
  match(text: string): WordListMatch {
    const haystack = normalizeForMatching(text);
    const hits = this.entries.filter(({ normalized }) => haystack.includes(normalized)).map(({ entry }) => entry);
    if (hits.length === 0) return { suggest: 'pass', label: 100, words: [] };
    const worst = hits.find((h) => h.suggest === 'risky') ?? hits[0];
    return { suggest: worst.suggest, label: worst.label, words: hits.map((h) => h.word) };
  }
}

/**
 * The default list plus the lines of MODERATION_WORDS_FILE: `word` (held for review, label 其他) or
 * `word<TAB>label<TAB>risky|review`. Lines starting with # are comments.
 */
export function loadWordList(file: string | undefined): WordList {
  const extra: SensitiveWord[] = [];
  if (file) {
    for (const raw of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const [word, label, suggest] = line.split('\t');
      extra.push({ word, label: Number(label) || 21000, suggest: suggest === 'risky' ? 'risky' : 'review' });
    }
  }
  return new WordList([...DEFAULT_SENSITIVE_WORDS, ...extra]);
}
