import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDetail } from '@linli/shared';
import { startTestServer, type TestServer } from '../../test/harness';
import { startLocalS3, type LocalS3 } from '../../test/s3-server';
import { WeChatContentChecker } from '../moderation/content-check';
import { MediaCheckRow } from '../moderation/moderation.entities';
import { startFakeWeChat, type FakeWeChat } from '../notifications/fake-wechat';
import { HttpSubscribeMessageProvider } from '../notifications/subscribe-message';
import { S3Storage } from './storage-s3';
import { storageConfigFromEnv, type S3StorageConfig } from './storage-url';
import { urlForImageCheck } from './storage';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d8a1a30000000049454e44ae426082', 'hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(() => s3.close());

const storageOf = (delivery: 'signed' | 'public' | 'proxy', prefix = 'uploads') => new S3Storage(storageConfigFromEnv(s3.env({ delivery, prefix }), '/unused') as S3StorageConfig);

describe('S3Storage against a local S3-compatible server (s3rver)', () => {
  it('stores an image under the prefix and gives it back with its type and size; a key never stored is null', async () => {
    const storage = storageOf('proxy', 'county/uploads');
    const key = '2026/11/23/00112233aabbccdd.png';
    expect(await storage.put(key, PNG, 'image/png')).toEqual({ url: `/api/v1/uploads/files/${key}` });
    // Where it landed in the bucket: under the prefix, read back without our code.
    expect((await fetch(`${s3.endpoint}/${s3.bucket}/county/uploads/${key}`)).status).toBe(200);
    const file = await storage.get(key);
    expect(file).toMatchObject({ contentType: 'image/png', size: PNG.length });
    expect(await readAll(file!.body)).toEqual(PNG);
    expect(await storage.get('2026/11/23/ffffffffffffffff.png')).toBeNull();
    expect(await storage.redirectUrl(key)).toBeNull(); // proxy: streamed through the server
  });

  it('refuses keys it did not make, and a type that does not match the key', async () => {
    const storage = storageOf('signed');
    await expect(storage.put('../evil.png', PNG, 'image/png')).rejects.toThrow(/not a storage key/);
    await expect(storage.put('2026/11/23/00112233aabbccdd.jpg', PNG, 'image/png')).rejects.toThrow(/does not match/);
    expect(await storage.get('../../etc/passwd')).toBeNull();
    expect(await storage.redirectUrl('2026/11/23/x.png')).toBeNull();
  });

  // s3rver checks a signed URL's key id and expiry, not its V4 signature itself: a tampered signature
  // cannot be shown to fail here (COS, OSS and MinIO check it).
  it('signed: the issued URL is ours; the redirect is a signed URL (our key, 900 s) that fetches the object', async () => {
    const storage = storageOf('signed');
    const key = '2026/11/24/0011223344556677.png';
    expect((await storage.put(key, PNG, 'image/png')).url).toBe(`/api/v1/uploads/files/${key}`);
    const redirect = (await storage.redirectUrl(key))!;
    expect(redirect.url).toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    expect(new URL(redirect.url).searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(new URL(redirect.url).searchParams.get('X-Amz-Expires')).toBe('900');
    expect(redirect.maxAgeSeconds).toBe(450); // half of the default 900 s
    const fetched = await fetch(redirect.url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(PNG);
    const strangersKey = redirect.url.replace('X-Amz-Credential=S3RVER', 'X-Amz-Credential=STRANGER');
    expect((await fetch(strangersKey)).status).toBe(403);
  });

  it('public: the issued URL is the public one, fetched from the store directly', async () => {
    const storage = storageOf('public');
    const key = '2026/11/25/8899aabbccddeeff.png';
    const { url } = await storage.put(key, PNG, 'image/png');
    expect(url).toBe(`${s3.endpoint}/${s3.bucket}/uploads/${key}`);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(PNG);
    expect(await urlForImageCheck(storage, url, 'https://linli.example.cn')).toBe(url);
  });

  it('the image check gets a URL that works without us: signed (a day), or ours under PUBLIC_BASE_URL when proxied', async () => {
    const key = '2026/11/26/0123012301230123.png';
    const signed = storageOf('signed');
    await signed.put(key, PNG, 'image/png');
    const forWeChat = await urlForImageCheck(signed, `/api/v1/uploads/files/${key}`, 'https://linli.example.cn');
    expect(forWeChat).toMatch(/X-Amz-Expires=86400/);
    expect((await fetch(forWeChat)).status).toBe(200);
    expect(await urlForImageCheck(storageOf('proxy'), `/api/v1/uploads/files/${key}`, 'https://linli.example.cn')).toBe(`https://linli.example.cn/api/v1/uploads/files/${key}`);
  });
});

describe('uploads through the API with STORAGE_URL=s3://…', () => {
  let server: TestServer;
  let fake: FakeWeChat;
  let token: string;

  beforeAll(async () => {
    // WeChat fetches each image it is handed, as the real one does to judge it.
    fake = await startFakeWeChat({ fetchMedia: true });
    const env = { ...s3.env({ delivery: 'signed' }), PUBLIC_BASE_URL: 'https://linli.example.cn' };
    const wechatTokens = new HttpSubscribeMessageProvider({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: fake.base });
    const storage = new S3Storage(storageConfigFromEnv(env, '/unused') as S3StorageConfig);
    server = await startTestServer({
      env,
      deps: {
        contentChecker: new WeChatContentChecker({
          apiBase: fake.base,
          tokens: wechatTokens,
          publicBaseUrl: 'https://linli.example.cn',
          mediaUrl: (url) => urlForImageCheck(storage, url, 'https://linli.example.cn'),
          timeoutMs: 2000,
        }),
      },
    });
    token = await server.login('demo-resident-1');
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('an upload is stored in the bucket; its URL redirects to a signed URL of the object (nothing on local disk), and a report takes it as a photo', async () => {
    const url = await server.upload(token);
    expect(url).toMatch(/^\/api\/v1\/uploads\/files\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{16}\.png$/);
    const served = await fetch(`${server.baseUrl}${url}`, { redirect: 'manual' });
    expect(served.status).toBe(302);
    expect(served.headers.get('location')).toMatch(new RegExp(`^${s3.endpoint}/${s3.bucket}/uploads/.*X-Amz-Signature=`));
    expect(served.headers.get('cache-control')).toBe('private, max-age=450');
    const image = await fetch(served.headers.get('location')!);
    expect(image.headers.get('content-type')).toBe('image/png');
    const uploaded = Buffer.from(await image.arrayBuffer());
    expect(uploaded.subarray(0, 8)).toEqual(PNG.subarray(0, 8));

    const filed = await server.call<ReportDetail>('POST', '/reports', {
      token,
      body: { categoryCode: 'sanitation', description: '楼道灯坏了一周没人修', location: { lat: 30.279, lng: 120.1495 }, photos: [url] },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body.photos).toEqual([url]);
  });

  it('moderation hands WeChat a URL it can fetch the very image from (signed, in the bucket), with the uploader’s openid', async () => {
    const url = await server.upload(token);
    const row = await server.dataSource.getRepository(MediaCheckRow).findOneByOrFail({ url });
    const handed = fake.state.mediaChecks.find((c) => c.traceId === row.traceId)!;
    expect(handed.openid).toBe('demo-resident-1');
    expect(handed.mediaUrl).toMatch(new RegExp(`^${s3.endpoint}/${s3.bucket}/uploads/.*X-Amz-Signature=`));
    await expect.poll(() => fake.state.mediaFetched.get(row.traceId!)?.status, { timeout: 5000 }).toBe(200);
    const stored = await fetch((await (await fetch(`${server.baseUrl}${url}`, { redirect: 'manual' })).headers.get('location'))!);
    expect(fake.state.mediaFetched.get(row.traceId!)).toEqual({ status: 200, contentType: 'image/png', sha256: sha256(Buffer.from(await stored.arrayBuffer())) });
  });
});
