import { In, type EntityManager } from 'typeorm';
import { AppError } from '../platform/errors';
import { UploadRow } from './upload.entity';

/** Notes that this server issued `url` for an image `uploaderId` uploaded. */
export async function recordUpload(manager: EntityManager, url: string, uploaderId: number): Promise<void> {
  await manager.getRepository(UploadRow).insert({ url, uploaderId });
}

/**
 * The one check of every field that names an image (report and progress photos, a reward's picture):
 * each URL must be one this server issued for an upload by `uploaderId` — the person acting, so staff
 * filing for a resident use their own uploads. Anything else (another host, `javascript:`, a URL of ours
 * never issued, someone else's upload) is 400 naming each bad one (`body.photos.1`). `unchanged` are
 * values the record already holds (a form sent back as it was), accepted as they are.
 */
export async function assertOwnPhotos(manager: EntityManager, uploaderId: number, urls: readonly string[], path = 'body.photos', unchanged: readonly (string | null)[] = []): Promise<void> {
  await assertOwnImages(manager, uploaderId, urls.map((url, i) => ({ path: `${path}.${i}`, url })), unchanged);
}

/** The same for a single image field (`body.imageUrl`). */
export async function assertOwnImage(manager: EntityManager, uploaderId: number, url: string | null | undefined, path: string, unchanged: readonly (string | null)[] = []): Promise<void> {
  if (url) await assertOwnImages(manager, uploaderId, [{ path, url }], unchanged);
}

async function assertOwnImages(manager: EntityManager, uploaderId: number, fields: { path: string; url: string }[], unchanged: readonly (string | null)[]): Promise<void> {
  const asked = fields.filter((f) => !unchanged.includes(f.url));
  if (asked.length === 0) return;
  const rows = await manager.getRepository(UploadRow).find({ select: { url: true, uploaderId: true }, where: { url: In([...new Set(asked.map((f) => f.url))]) } });
  // Compared here, byte for byte: the database's collation would match a URL whatever its letter case.
  const own = new Set(rows.filter((r) => r.uploaderId === uploaderId).map((r) => r.url));
  const bad = asked.filter((f) => !own.has(f.url));
  if (bad.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      '只能使用您本人上传的图片',
      bad.map((f) => ({ path: f.path, message: '只能使用您自己在这里上传的图片' })),
    );
  }
}
