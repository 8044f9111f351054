import type { DataSource } from 'typeorm';
import { UPLOAD_MAX_BYTES, type UploadResult } from '@linli/shared';
import { AppError, notFound } from '../platform/errors';
import { detectImageType } from './image-type';
import { payloadTooLarge } from './multipart';
import type { ModerationService } from '../moderation/moderation.service';
import { newStorageKey, type FileStorage, type StoredFile } from './storage';
import { recordUpload } from './upload-registry';

export interface UploadsServiceOptions {
  /** Largest accepted image, in bytes (default UPLOAD_MAX_BYTES, 10 MB). */
  maxBytes?: number;
  /** Each image is handed to the content check as it arrives, so its verdict is in before it is used. */
  moderation?: Pick<ModerationService, 'imageUploaded'>;
  /** Where each upload is recorded with its uploader: photo fields accept only the caller's own (upload-registry.ts). */
  dataSource?: DataSource;
  now?: () => Date;
}

/** Accepting an image: decided by its content, limited in size, stored under a key the server picks. */
export class UploadsService {
  readonly maxBytes: number;
  private readonly now: () => Date;
  private readonly moderation?: Pick<ModerationService, 'imageUploaded'>;
  private readonly dataSource?: DataSource;

  constructor(
    private readonly storage: FileStorage,
    options: UploadsServiceOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? UPLOAD_MAX_BYTES;
    this.now = options.now ?? (() => new Date());
    this.moderation = options.moderation;
    this.dataSource = options.dataSource;
  }

  async saveImage(bytes: Uint8Array, uploaderId?: number): Promise<UploadResult> {
    if (bytes.length > this.maxBytes) throw payloadTooLarge(this.maxBytes);
    const type = detectImageType(bytes);
    if (!type) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只能上传 JPEG、PNG、GIF 或 WebP 格式的图片');
    const key = newStorageKey(type.ext, this.now());
    const { url } = await this.storage.put(key, bytes, type.mime);
    if (uploaderId !== undefined && this.dataSource) await recordUpload(this.dataSource.manager, url, uploaderId);
    if (uploaderId !== undefined) await this.moderation?.imageUploaded(url, uploaderId);
    return { url };
  }

  /** Where the storage sends a client for this key instead (a signed or public URL), or null: streamed through us (`open`). */
  redirectFor(key: string): Promise<{ url: string; maxAgeSeconds: number } | null> {
    return this.storage.redirectUrl?.(key) ?? Promise.resolve(null);
  }

  /** The stored image of a key; 404 when there is none or the key is not one the server made. */
  async open(key: string): Promise<StoredFile> {
    const file = await this.storage.get(key);
    if (!file) throw notFound('图片');
    return file;
  }
}
