import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mimeForExt } from './image-type';
import { DEFAULT_PUBLIC_BASE_URL, isStorageKey, type FileStorage, type StoredFile } from './storage';
import type { S3StorageConfig } from './storage-url';

/** How long the URL handed to WeChat's image check works: its verdict is due within minutes, a person takes over after 30. */
const IMAGE_CHECK_URL_SECONDS = 24 * 3600;

/**
 * Uploads in an S3-compatible object store (Tencent COS, Aliyun OSS, MinIO, AWS S3), so every
 * instance reads what any of them stored. The URL issued for an upload, the one a `photos` field must
 * carry (upload-registry.ts), never expires:
 * - `signed` (default): our own `/api/v1/uploads/files/<key>`, answered with a redirect to a signed URL
 *   of the object that works `signedUrlSeconds`; the bucket stays private and the bytes do not pass
 *   through us. WeChat's image check is handed a signed URL of its own (24 h).
 * - `public`: `<publicUrl>/<key>` directly (a public-read bucket or a CDN in front of it).
 * - `proxy`: our own URL, streamed through this server from the bucket (a store clients cannot reach).
 */
export class S3Storage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly config: S3StorageConfig) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksums only where the S3 API requires them: COS, OSS and older MinIO refuse the SDK's newer
      // default (a CRC32 trailer on every upload, checked on every download).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 3000, requestTimeout: 30_000 },
      maxAttempts: 3,
    });
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<{ url: string }> {
    if (!isStorageKey(key)) throw new Error(`not a storage key: ${key}`);
    if (mimeForExt(key.slice(key.lastIndexOf('.') + 1)) !== contentType) throw new Error(`key ${key} does not match ${contentType}`);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: this.objectKey(key),
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: contentType,
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
    return { url: this.config.delivery === 'public' ? `${this.config.publicUrl}/${key}` : `${DEFAULT_PUBLIC_BASE_URL}/${key}` };
  }

  async get(key: string): Promise<StoredFile | null> {
    const contentType = mimeForExt(key.slice(key.lastIndexOf('.') + 1));
    if (!isStorageKey(key) || !contentType) return null;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      return { body: object.Body as Readable, contentType, size: Number(object.ContentLength) };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async redirectUrl(key: string): Promise<{ url: string; maxAgeSeconds: number } | null> {
    if (!isStorageKey(key)) return null;
    if (this.config.delivery === 'public') return { url: `${this.config.publicUrl}/${key}`, maxAgeSeconds: 86_400 };
    // The redirect is cached for half the signed URL's life, so a cached one never leads to an expired URL.
    if (this.config.delivery === 'signed') return { url: await this.signedUrl(key, this.config.signedUrlSeconds), maxAgeSeconds: Math.floor(this.config.signedUrlSeconds / 2) };
    return null;
  }

  async outsideUrl(key: string): Promise<string | null> {
    if (!isStorageKey(key)) return null;
    if (this.config.delivery === 'public') return `${this.config.publicUrl}/${key}`;
    if (this.config.delivery === 'signed') return this.signedUrl(key, IMAGE_CHECK_URL_SECONDS);
    return null;
  }

  /** Signing is local (no request to the store): a URL for a key that holds nothing answers 404 there. */
  private signedUrl(key: string, seconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }), { expiresIn: seconds });
  }

  private objectKey(key: string): string {
    return `${this.config.prefix}${key}`;
  }

  destroy(): void {
    this.client.destroy();
  }
}

function isMissing(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);
}
