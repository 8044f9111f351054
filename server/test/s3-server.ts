import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// s3rver: a local S3-compatible server (npm), standing in for COS, OSS or MinIO in tests. No types shipped.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore
import S3rver from 's3rver';

/** s3rver's fixed key pair: it checks every signature against it. */
export const S3_CREDENTIALS = { STORAGE_ACCESS_KEY_ID: 'S3RVER', STORAGE_SECRET_ACCESS_KEY: 'S3RVER' };

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** The environment that points the server at this bucket (`delivery`: signed, public or proxy). */
  env(options?: { prefix?: string; delivery?: 'signed' | 'public' | 'proxy' }): Record<string, string>;
  close(): Promise<void>;
}

/** Starts s3rver on a free loopback port with one empty bucket, its files in a fresh temporary folder. */
export async function startLocalS3(bucket = 'linli-uploads'): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env({ prefix = 'uploads', delivery = 'signed' } = {}) {
      const query = new URLSearchParams({ endpoint, region: 'us-east-1', forcePathStyle: 'true', delivery });
      if (delivery === 'public') query.set('publicUrl', `${endpoint}/${bucket}/${prefix}`);
      return { STORAGE_URL: `s3://${bucket}/${prefix}?${query}`, ...S3_CREDENTIALS };
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
