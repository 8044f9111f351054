import path from 'node:path';
import { CHECK_IN_EARLY_MS, MAX_GOOD_DEED_POINTS } from '@linli/shared';
import { rateLimitsFromEnv, type DEFAULT_RATE_LIMITS } from './platform/rate-limit';
import { storageConfigFromEnv, type StorageConfig } from './uploads/storage-url';

export interface AwardLimits {
  maxPerAward: number;
  monthlyMax: number;
}

/** Everything the server reads from the environment, read once (DESIGN.md "Configuration"). */
export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  /** mysql://user:pass@host:3306/db; null → the embedded database under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  devLogin: boolean;
  jwtSecret: string;
  tokenTtlSeconds: number;
  wechat: { appId: string; secret: string; apiBase: string } | null;
  /** Folder of the H5 build served at `/`, if it exists. */
  h5Dir: string;
  /** Seed the demo community on start (default: on with the embedded database). */
  seedDemo: boolean;
  bodyLimit: string;
  logLevel: string;
  /** How often the background jobs (escalation, auto-close, WeChat deliveries) run; 0 = never. */
  jobIntervalMs: number;
  /** An overdue report is supervised again after this long. */
  escalationPeriodMs: number;
  /**
   * TRUST_PROXY: how many proxies in front of the server append to X-Forwarded-For (and set
   * X-Forwarded-Proto/Host); 0 (off, the default) → the connection's own address is the client's.
   */
  trustProxy: number;
  /** Origins allowed to call the API from a browser (CORS_ORIGINS, comma-separated); none by default. */
  corsOrigins: string[];
  /** null: no rate limits (RATE_LIMITS=off; the default under NODE_ENV=test). */
  rateLimits: typeof DEFAULT_RATE_LIMITS | null;
  /** A secretary's good-deed awards: POINTS_AWARD_MAX at once, POINTS_AWARD_MONTHLY_MAX per secretary and China month. */
  awards: AwardLimits;
  /** TIMEBANK_CHECK_IN_OPENS_MINUTES: how long before a task's start check-in opens (it closes at the end). */
  checkInOpensMs: number;
  /** STORAGE_URL: where uploads live (local disk by default; an S3-compatible store for several instances). */
  storage: StorageConfig;
  replicas: ReplicaConfig;
  moderation: {
    /** MODERATION_WORDS_FILE: more sensitive words, one per line (see moderation/word-list.ts). */
    wordsFile: string | undefined;
    /** WX_PUSH_TOKEN: the token of WeChat's message push, which brings image-check verdicts. */
    pushToken: string | null;
    /** PUBLIC_BASE_URL: where WeChat can fetch our uploaded images (required with WeChat's checks). */
    publicBaseUrl: string | null;
  };
}

export interface ReplicaConfig {
  /** DATABASE_REPLICA_URLS: read replicas of DATABASE_URL (comma-separated); none → every query on the primary. */
  urls: string[];
  /** READ_YOUR_WRITES_SECONDS: after a user's write, their reads stay on the primary this long. */
  readYourWritesMs: number;
  /** REPLICA_MAX_LAG_SECONDS: a replica further behind than this (or not replicating) is not read from. */
  maxLagSeconds: number;
  /** How often each instance looks at every replica's lag. */
  checkMs: number;
}

const DEV_JWT_SECRET = 'linli-dev-secret-do-not-use-in-production';
const repoRoot = path.resolve(__dirname, '../..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const production = nodeEnv === 'production';
  if (production && !env.JWT_SECRET) {
    throw new Error('JWT_SECRET is required when NODE_ENV=production');
  }
  if (env.WX_APPID && env.WX_SECRET && !env.PUBLIC_BASE_URL) {
    // WeChat's image check fetches our uploads by URL: without it every photo would wait for a person.
    throw new Error('PUBLIC_BASE_URL is required with WX_APPID/WX_SECRET: WeChat fetches uploaded images from it to check them');
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  const dataDir = path.resolve(env.DATA_DIR || path.join(repoRoot, '.data'));
  const wechat =
    env.WX_APPID && env.WX_SECRET
      ? { appId: env.WX_APPID, secret: env.WX_SECRET, apiBase: env.WX_API_BASE || 'https://api.weixin.qq.com' }
      : null;
  return {
    env: nodeEnv,
    port: Number(env.PORT || 3000),
    databaseUrl,
    dataDir,
    // Dev login is never on in production, whatever DEV_LOGIN says.
    devLogin: !production && env.DEV_LOGIN !== 'off' && env.DEV_LOGIN !== 'false' && env.DEV_LOGIN !== '0',
    jwtSecret: env.JWT_SECRET || DEV_JWT_SECRET,
    tokenTtlSeconds: Number(env.TOKEN_TTL_SECONDS || 7 * 24 * 3600),
    wechat,
    h5Dir: path.resolve(env.H5_DIR || path.join(repoRoot, 'dist/h5')),
    seedDemo: env.SEED_DEMO ? env.SEED_DEMO === 'on' || env.SEED_DEMO === 'true' : !databaseUrl && !production,
    bodyLimit: env.BODY_LIMIT || '256kb',
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    jobIntervalMs: Number(env.JOB_INTERVAL_MS ?? 60_000),
    escalationPeriodMs: Number(env.ESCALATION_PERIOD_HOURS ?? 24) * 3600_000,
    trustProxy: trustedProxyHops(env.TRUST_PROXY),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimits: rateLimitsFromEnv({ ...env, RATE_LIMITS: env.RATE_LIMITS ?? (nodeEnv === 'test' ? 'off' : 'on') }),
    awards: {
      maxPerAward: wholeNumber(env, 'POINTS_AWARD_MAX', 50, 1, MAX_GOOD_DEED_POINTS),
      monthlyMax: wholeNumber(env, 'POINTS_AWARD_MONTHLY_MAX', 500, 1, 1_000_000),
    },
    checkInOpensMs: wholeNumber(env, 'TIMEBANK_CHECK_IN_OPENS_MINUTES', CHECK_IN_EARLY_MS / 60_000, 0, 24 * 60) * 60_000,
    storage: storageConfigFromEnv(env, dataDir),
    replicas: replicaConfig(env, databaseUrl),
    moderation: {
      wordsFile: env.MODERATION_WORDS_FILE || undefined,
      pushToken: env.WX_PUSH_TOKEN || null,
      publicBaseUrl: env.PUBLIC_BASE_URL || null,
    },
  };
}

/**
 * Off unless set: trusting X-Forwarded-For from anyone lets a client name any address it likes (and
 * so escape the per-address limits). A number n trusts the n rightmost entries, the ones the server's
 * own proxies appended; the client is the leftmost of those.
 */
function trustedProxyHops(value: string | undefined): number {
  const setting = value?.trim().toLowerCase() ?? '';
  if (['', 'off', 'false', '0'].includes(setting)) return 0;
  if (/^[1-9]$/.test(setting)) return Number(setting);
  throw new Error(`TRUST_PROXY must be off or the number of proxies in front of the server (e.g. 1 behind one nginx), not "${value}"`);
}

/** A whole number from the environment within [min, max], or the default when unset; anything else stops the start. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/**
 * Replicas only beside a MySQL/MariaDB primary. The read-your-writes window must outlast the largest
 * lag a replica may have and still be read from, plus one look at the lag: then a user's read after
 * their write, on any instance, goes to the primary or to a replica that already has the write.
 */
function replicaConfig(env: NodeJS.ProcessEnv, databaseUrl: string | null): ReplicaConfig {
  const urls = (env.DATABASE_REPLICA_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length && !databaseUrl) throw new Error('DATABASE_REPLICA_URLS needs DATABASE_URL: replicas copy a MySQL/MariaDB primary');
  for (const url of urls) if (!/^(mysql|mariadb):\/\//.test(url)) throw new Error(`DATABASE_REPLICA_URLS: "${url.replace(/\/\/[^@]*@/, '//…@')}" is not a mysql:// or mariadb:// URL`);
  const checkMs = 1000;
  const maxLagSeconds = wholeNumber(env, 'REPLICA_MAX_LAG_SECONDS', 2, 0, 3600);
  const readYourWritesSeconds = wholeNumber(env, 'READ_YOUR_WRITES_SECONDS', 10, 1, 3600);
  if (urls.length && readYourWritesSeconds * 1000 <= maxLagSeconds * 1000 + 2 * checkMs) {
    throw new Error(`READ_YOUR_WRITES_SECONDS (${readYourWritesSeconds}) must exceed REPLICA_MAX_LAG_SECONDS (${maxLagSeconds}) by more than 2 s`);
  }
  return { urls, readYourWritesMs: readYourWritesSeconds * 1000, maxLagSeconds, checkMs };
}
