import { promisify } from 'node:util';
import zlib from 'node:zlib';

const inflateRaw = promisify(zlib.inflateRaw);

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export type ZipProblem = 'damaged' | 'too_large';

/**
 * Whether a zip (an .xlsx) is whole before a streaming parser reads it: every entry inflates to its
 * declared size and checksum, and all of them together to at most `maxUncompressedBytes` (a zip bomb
 * stops there). The streaming reader (exceljs on unzipper) loses an inflate error and waits forever,
 * so damage is found here instead. Returns null when the zip is sound.
 */
export async function checkZip(file: Buffer, maxUncompressedBytes: number): Promise<ZipProblem | null> {
  const end = findEndOfCentralDirectory(file);
  if (end < 0) return 'damaged';
  const entries = file.readUInt16LE(end + 10);
  let at = file.readUInt32LE(end + 16);
  let budget = maxUncompressedBytes;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > file.length || file.readUInt32LE(at) !== CENTRAL_SIGNATURE) return 'damaged';
    const method = file.readUInt16LE(at + 10);
    const crc = file.readUInt32LE(at + 16);
    const compressedSize = file.readUInt32LE(at + 20);
    const size = file.readUInt32LE(at + 24);
    const nameLength = file.readUInt16LE(at + 28);
    const extraLength = file.readUInt16LE(at + 30);
    const commentLength = file.readUInt16LE(at + 32);
    const localAt = file.readUInt32LE(at + 42);
    at += 46 + nameLength + extraLength + commentLength;
    if (size > budget) return 'too_large';
    budget -= size;
    if (localAt + 30 > file.length || file.readUInt32LE(localAt) !== LOCAL_SIGNATURE) return 'damaged';
    const dataAt = localAt + 30 + file.readUInt16LE(localAt + 26) + file.readUInt16LE(localAt + 28);
    if (dataAt + compressedSize > file.length) return 'damaged';
    const data = file.subarray(dataAt, dataAt + compressedSize);
    let content: Buffer;
    if (method === 0) content = data;
    else if (method === 8) {
      try {
        content = await inflateRaw(data, { maxOutputLength: Math.max(size, 1) });
      } catch {
        return 'damaged';
      }
    } else return 'damaged';
    if (content.length !== size || zlib.crc32(content) !== crc) return 'damaged';
  }
  return null;
}

/** The end-of-central-directory record sits in the last 64 KB + 22 bytes (after an optional comment). */
function findEndOfCentralDirectory(file: Buffer): number {
  for (let at = file.length - 22; at >= Math.max(0, file.length - 22 - 0xffff); at--) {
    if (file.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  return -1;
}
