import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { AppError } from '../platform/errors';

export interface ReadFileOptions {
  /** The form field carrying the file. */
  fieldName: string;
  /** More bytes than this in the file → 413, and reading stops. */
  maxBytes: number;
}

export const payloadTooLarge = (maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `图片不能超过 ${formatBytes(maxBytes)}`);

/**
 * Reads one file field of a `multipart/form-data` request into memory, at most `maxBytes` of it.
 * Other fields and files are skipped. Resolves null when the form has no such file (or it is empty).
 * The client's file name and declared content type are not looked at.
 */
export function readSingleFile(req: IncomingMessage, options: ReadFileOptions): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // busboy signals `limit` on reaching fileSize, so one byte more tells "over" from "exactly at".
        limits: { files: 1, fileSize: options.maxBytes + 1, fields: 20, fieldSize: 8 * 1024, parts: 21, headerPairs: 20 },
      });
    } catch {
      reject(malformed());
      return;
    }

    let settled = false;
    const finish = (error: AppError | null, file: Buffer | null = null) => {
      if (settled) return;
      settled = true;
      if (error) {
        // Stop reading the request: nothing more of it will be looked at.
        req.unpipe(parser);
        reject(error);
      } else {
        resolve(file);
      }
    };

    let file: Promise<Buffer | null> = Promise.resolve(null);
    let seen = false;
    parser.on('file', (name, stream) => {
      if (name !== options.fieldName || seen) {
        stream.resume();
        return;
      }
      seen = true;
      file = new Promise((done) => {
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
        });
        stream.on('limit', () => finish(payloadTooLarge(options.maxBytes)));
        stream.on('error', () => finish(malformed()));
        stream.on('end', () => done(size > 0 ? Buffer.concat(chunks, size) : null));
      });
    });
    parser.on('close', () => {
      void file.then((bytes) => finish(null, bytes));
    });
    parser.on('error', () => finish(malformed()));
    req.on('aborted', () => finish(malformed()));
    req.on('error', () => finish(malformed()));
    req.pipe(parser);
  });
}

function malformed() {
  return new AppError('VALIDATION_FAILED', '无法解析上传的表单', [{ path: 'body', message: '无法解析上传的表单' }]);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} 字节`;
}
