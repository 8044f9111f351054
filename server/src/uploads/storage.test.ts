import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorageKey, LocalDiskStorage, newStorageKey } from './storage';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('storage keys', () => {
  it('are dated in UTC with 16 random hex digits and the extension, and never repeat', () => {
    const now = new Date('2026-11-23T23:30:00+08:00'); // 15:30 UTC the same day
    const keys = Array.from({ length: 200 }, () => newStorageKey('png', now));
    for (const key of keys) expect(key).toMatch(/^2026\/11\/23\/[0-9a-f]{16}\.png$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(newStorageKey('jpg', new Date('2027-01-01T00:30:00+08:00'))).toMatch(/^2026\/12\/31\//);
  });

  it.each([
    '../../etc/passwd',
    '2026/11/23/../../../etc/passwd',
    '2026/11/23/0123456789abcdef.svg',
    '2026/11/23/0123456789ABCDEF.png',
    '2026/11/23/0123456789abcdef.png/',
    '/2026/11/23/0123456789abcdef.png',
    '2026/13/23/0123456789abcdef.png',
    '2026\\11\\23\\0123456789abcdef.png',
    '2026/11/23/0123456789abcdef.png\0',
  ])('refuses %j as a key', (key) => {
    expect(isStorageKey(key)).toBe(false);
  });
});

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'linli-storage-'));
    storage = new LocalDiskStorage({ root });
  });
  afterAll(() => fs.rm(root, { recursive: true, force: true }));

  it('stores bytes under the key, leaves no temporary file, and gives them back with the type', async () => {
    const key = '2026/11/23/00112233aabbccdd.png';
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect(await storage.put(key, bytes, 'image/png')).toEqual({ url: `/api/v1/uploads/files/${key}` });
    expect(await fs.readdir(path.join(root, '2026/11/23'))).toEqual(['00112233aabbccdd.png']);
    const file = await storage.get(key);
    expect(file?.contentType).toBe('image/png');
    expect(file?.size).toBe(bytes.length);
    expect(await readAll(file!.body)).toEqual(bytes);
  });

  it('answers null for a missing file and for anything that is not a key', async () => {
    expect(await storage.get('2026/11/23/ffffffffffffffff.jpg')).toBeNull();
    expect(await storage.get('../../etc/passwd')).toBeNull();
  });

  it('refuses to write under a key it did not make or of another type', async () => {
    await expect(storage.put('../evil.png', Buffer.from('x'), 'image/png')).rejects.toThrow();
    await expect(storage.put('2026/11/23/00112233aabbccdd.jpg', Buffer.from('x'), 'image/png')).rejects.toThrow();
  });

  it('uses the configured public URL prefix', async () => {
    const other = new LocalDiskStorage({ root, publicBaseUrl: 'https://cdn.example.com/u/' });
    const key = '2026/11/24/0000000000000001.gif';
    expect(await other.put(key, Buffer.from('GIF89a'), 'image/gif')).toEqual({ url: `https://cdn.example.com/u/${key}` });
  });
});
