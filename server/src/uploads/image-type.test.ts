import { describe, expect, it } from 'vitest';
import { detectImageType, extForMime, mimeForExt } from './image-type';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('detectImageType', () => {
  it.each([
    ['JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image/jpeg', 'jpg'],
    ['JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1]), 'image/jpeg', 'jpg'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'), 'image/png', 'png'],
    ['GIF87a', bytes('GIF87a', [1, 0, 1, 0]), 'image/gif', 'gif'],
    ['GIF89a', bytes('GIF89a', [1, 0, 1, 0]), 'image/gif', 'gif'],
    ['WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp', 'webp'],
  ])('recognises %s by its first bytes', (_name, head, mime, ext) => {
    expect(detectImageType(head)).toEqual({ mime, ext });
  });

  it.each([
    ['empty', bytes()],
    ['plain text', bytes('hello, this is not a picture')],
    ['an SVG (script-capable, not accepted)', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a WAV file (RIFF but not WEBP)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['RIFF cut short before WEBP', bytes('RIFF', [0x24, 0, 0, 0], 'WEB')],
    ['JPEG cut to two bytes', bytes([0xff, 0xd8])],
    ['PNG with one signature byte wrong', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b])],
    ['PNG signature truncated', bytes([0x89, 0x50, 0x4e, 0x47])],
    ['GIF of an unknown version', bytes('GIF90a')],
    ['a PDF', bytes('%PDF-1.7')],
    ['magic number not at the start', bytes([0x00, 0xff, 0xd8, 0xff])],
  ])('refuses %s', (_name, head) => {
    expect(detectImageType(head)).toBeNull();
  });

  it('works on a Buffer as well as a Uint8Array', () => {
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))?.mime).toBe('image/jpeg');
  });
});

describe('extension ↔ content type', () => {
  it('maps both ways for every accepted type and nothing else', () => {
    for (const ext of ['jpg', 'png', 'gif', 'webp']) expect(extForMime(mimeForExt(ext)!)).toBe(ext);
    expect(mimeForExt('svg')).toBeNull();
    expect(mimeForExt('constructor')).toBeNull();
    expect(extForMime('image/svg+xml')).toBeNull();
  });
});
