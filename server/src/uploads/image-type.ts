import { UPLOAD_IMAGE_TYPES } from '@linli/shared';

export type ImageMime = (typeof UPLOAD_IMAGE_TYPES)[number];

export interface ImageType {
  mime: ImageMime;
  /** File extension used in storage keys, without the dot. */
  ext: ImageExt;
}

export type ImageExt = 'jpg' | 'png' | 'gif' | 'webp';

/** How many leading bytes `detectImageType` needs to decide every supported type. */
export const IMAGE_SIGNATURE_BYTES = 12;

const MIME_BY_EXT: Record<ImageExt, ImageMime> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The image type of a file, decided by its first bytes (magic numbers) only: the client's file name
 * and declared content type are never trusted. Null when it is none of the accepted types.
 */
export function detectImageType(head: Uint8Array): ImageType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
  if (startsWith(head, PNG_SIGNATURE)) return { mime: 'image/png', ext: 'png' };
  if (startsWithAscii(head, 0, 'GIF87a') || startsWithAscii(head, 0, 'GIF89a')) return { mime: 'image/gif', ext: 'gif' };
  // RIFF <4-byte little-endian size> WEBP
  if (startsWithAscii(head, 0, 'RIFF') && startsWithAscii(head, 8, 'WEBP')) return { mime: 'image/webp', ext: 'webp' };
  return null;
}

/** The content type for a storage key's extension (keys only ever carry extensions we chose). */
export function mimeForExt(ext: string): ImageMime | null {
  return Object.prototype.hasOwnProperty.call(MIME_BY_EXT, ext) ? MIME_BY_EXT[ext as ImageExt] : null;
}

export function extForMime(mime: string): ImageExt | null {
  const found = (Object.entries(MIME_BY_EXT) as [ImageExt, ImageMime][]).find(([, m]) => m === mime);
  return found ? found[0] : null;
}

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

function startsWithAscii(bytes: Uint8Array, offset: number, text: string): boolean {
  return startsWith(bytes, [...text].map((c) => c.charCodeAt(0)), offset);
}
