import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('production refuses to start without JWT_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('production never turns dev login on, whatever DEV_LOGIN says', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DEV_LOGIN: 'on' }).devLogin).toBe(false);
  });

  it('development: dev login on by default, embedded database and demo seed when no DATABASE_URL', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ devLogin: true, databaseUrl: null, seedDemo: true, port: 3000 });
  });

  it('with DATABASE_URL the demo seed is opt-in', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@h/db' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@h/db', SEED_DEMO: 'on' }).seedDemo).toBe(true);
  });
});
