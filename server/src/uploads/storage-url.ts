import path from 'node:path';

/** How the browser or phone gets an image kept in object storage. */
export type S3Delivery = 'signed' | 'public' | 'proxy';

export interface S3StorageConfig {
  kind: 's3';
  bucket: string;
  /** Prepended to every key (`linli/uploads/` → `linli/uploads/2026/11/23/….jpg`); empty for the bucket's root. */
  prefix: string;
  /** The S3 API's address (https://cos.ap-shanghai.myqcloud.com, https://oss-cn-hangzhou.aliyuncs.com, http://minio:9000); unset → AWS. */
  endpoint: string | undefined;
  region: string;
  /** `bucket` in the path (MinIO, s3rver) instead of the host name (COS, OSS, AWS). */
  forcePathStyle: boolean;
  delivery: S3Delivery;
  /** With `public`: where the bucket (or a CDN in front of it) serves the objects, keys appended. */
  publicUrl: string | undefined;
  /** With `signed`: how long a redirect's signed URL works. */
  signedUrlSeconds: number;
  accessKeyId: string;
  secretAccessKey: string;
}

export type StorageConfig = { kind: 'local'; root: string } | S3StorageConfig;

const DELIVERIES: readonly S3Delivery[] = ['signed', 'public', 'proxy'];

/**
 * STORAGE_URL: unset → local disk under `<DATA_DIR>/uploads` (one machine); `file:///srv/linli/uploads`
 * → local disk there; `s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true&delivery=…&publicUrl=…`
 * → an S3-compatible object store, with the key pair from STORAGE_ACCESS_KEY_ID / STORAGE_SECRET_ACCESS_KEY
 * (never in the URL, which may reach a log). Anything malformed stops the start with the reason.
 */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StorageConfig {
  const raw = env.STORAGE_URL?.trim();
  if (!raw) return { kind: 'local', root: path.join(dataDir, 'uploads') };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`STORAGE_URL is not a URL: "${raw}"`);
  }
  if (url.protocol === 'file:') return { kind: 'local', root: path.resolve(decodeURIComponent(url.pathname)) };
  if (url.protocol !== 's3:') throw new Error(`STORAGE_URL must start with s3:// or file://, not "${url.protocol}"`);
  if (url.username || url.password) throw new Error('STORAGE_URL must not carry credentials: set STORAGE_ACCESS_KEY_ID and STORAGE_SECRET_ACCESS_KEY');
  const bucket = url.hostname;
  if (!bucket) throw new Error('STORAGE_URL names no bucket: s3://<bucket>/<prefix>');
  const accessKeyId = env.STORAGE_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.STORAGE_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) throw new Error('STORAGE_ACCESS_KEY_ID and STORAGE_SECRET_ACCESS_KEY are required with an s3:// STORAGE_URL');
  const query = url.searchParams;
  const publicUrl = query.get('publicUrl')?.replace(/\/+$/, '') || undefined;
  const delivery = (query.get('delivery') ?? (publicUrl ? 'public' : 'signed')) as S3Delivery;
  if (!DELIVERIES.includes(delivery)) throw new Error(`STORAGE_URL delivery must be one of ${DELIVERIES.join(', ')}, not "${delivery}"`);
  if (delivery === 'public' && !publicUrl) throw new Error('STORAGE_URL delivery=public needs publicUrl=<where the bucket serves its objects>');
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) throw new Error('STORAGE_URL publicUrl must be an http(s) URL');
  const endpoint = query.get('endpoint') || undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint)) throw new Error('STORAGE_URL endpoint must be an http(s) URL');
  const signedUrlSeconds = Number(query.get('signedUrlSeconds') ?? 900);
  if (!Number.isInteger(signedUrlSeconds) || signedUrlSeconds < 60 || signedUrlSeconds > 7 * 24 * 3600) {
    throw new Error('STORAGE_URL signedUrlSeconds must be a whole number of seconds from 60 to 604800');
  }
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  return {
    kind: 's3',
    bucket,
    prefix: prefix ? `${prefix}/` : '',
    endpoint,
    region: query.get('region') || 'us-east-1',
    forcePathStyle: ['true', '1', 'on'].includes(query.get('forcePathStyle') ?? ''),
    delivery,
    publicUrl,
    signedUrlSeconds,
    accessKeyId,
    secretAccessKey,
  };
}
