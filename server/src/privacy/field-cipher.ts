import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { ValueTransformer } from 'typeorm';

const PREFIX = 'enc:v1:';

/**
 * The key for personal fields at rest (phone numbers): FIELD_ENCRYPTION_KEY (32 bytes, base64), or
 * derived from JWT_SECRET, or a fixed development key. Read from the environment once.
 */
function key(): Buffer {
  const configured = process.env.FIELD_ENCRYPTION_KEY;
  if (configured) {
    const bytes = Buffer.from(configured, 'base64');
    if (bytes.length !== 32) throw new Error('FIELD_ENCRYPTION_KEY must be 32 bytes, base64');
    return bytes;
  }
  return createHash('sha256').update(`linli-field-key:${process.env.JWT_SECRET ?? 'development'}`).digest();
}
let cachedKey: Buffer | null = null;
const fieldKey = () => (cachedKey ??= key());

/** AES-256-GCM; the stored text is `enc:v1:` + base64(iv ‖ tag ‖ ciphertext). */
export function encryptField(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', fieldKey(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function decryptField(stored: string): string {
  // Rows written before encryption was introduced are still plain text.
  if (!stored.startsWith(PREFIX)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', fieldKey(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** A keyed hash (HMAC-SHA256 under a key derived from the field key): equal inputs match, the input cannot be read back. */
export function fieldHash(plain: string): string {
  return createHmac('sha256', fieldKey()).update(`linli-field-hash:${plain}`).digest('hex');
}

/** For a nullable column: encrypted on the way in, decrypted on the way out. */
export const encryptedColumn: ValueTransformer = {
  to: (value: string | null | undefined) => (value == null ? value : encryptField(value)),
  from: (value: string | null) => (value == null ? value : decryptField(value)),
};
