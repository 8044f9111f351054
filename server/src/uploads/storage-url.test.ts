import { describe, expect, it } from 'vitest';
import { storageConfigFromEnv } from './storage-url';

const keys = { STORAGE_ACCESS_KEY_ID: 'AKID', STORAGE_SECRET_ACCESS_KEY: 'secret' };

describe('STORAGE_URL', () => {
  it('unset → the local disk under DATA_DIR; file:// → the local disk there', () => {
    expect(storageConfigFromEnv({}, '/srv/linli')).toEqual({ kind: 'local', root: '/srv/linli/uploads' });
    expect(storageConfigFromEnv({ STORAGE_URL: 'file:///mnt/shared/uploads' }, '/srv/linli')).toEqual({ kind: 'local', root: '/mnt/shared/uploads' });
  });

  it('s3:// → bucket, prefix and the query’s settings, the key pair from its own variables; signed by default', () => {
    const config = storageConfigFromEnv({ STORAGE_URL: 's3://linli-1250000000/county/uploads/?endpoint=https://cos.ap-shanghai.myqcloud.com&region=ap-shanghai', ...keys }, '/x');
    expect(config).toEqual({
      kind: 's3',
      bucket: 'linli-1250000000',
      prefix: 'county/uploads/',
      endpoint: 'https://cos.ap-shanghai.myqcloud.com',
      region: 'ap-shanghai',
      forcePathStyle: false,
      delivery: 'signed',
      publicUrl: undefined,
      signedUrlSeconds: 900,
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
    });
    expect(storageConfigFromEnv({ STORAGE_URL: 's3://b?publicUrl=https://img.example.cn/u/', ...keys }, '/x')).toMatchObject({ prefix: '', delivery: 'public', publicUrl: 'https://img.example.cn/u' });
  });

  it.each([
    ['s3://b', {}, /STORAGE_ACCESS_KEY_ID/],
    ['s3://AKID:secret@b/p', keys, /must not carry credentials/],
    ['s3:///p', keys, /names no bucket/],
    ['s3://b?delivery=public', keys, /needs publicUrl/],
    ['s3://b?delivery=cdn', keys, /delivery must be one of/],
    ['s3://b?endpoint=cos.example.com', keys, /endpoint must be an http/],
    ['s3://b?signedUrlSeconds=10', keys, /signedUrlSeconds/],
    ['ftp://b', keys, /must start with s3:\/\/ or file:\/\//],
    ['not a url', keys, /not a URL/],
  ])('%s stops the start with the reason', (url, env, reason) => {
    expect(() => storageConfigFromEnv({ STORAGE_URL: url, ...env }, '/x')).toThrow(reason);
  });
});
