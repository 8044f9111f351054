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

  it("with WeChat credentials PUBLIC_BASE_URL is required (WeChat's image check fetches uploads from it)", () => {
    expect(() => loadConfig({ WX_APPID: 'wx1', WX_SECRET: 's' })).toThrow(/PUBLIC_BASE_URL/);
    expect(loadConfig({ WX_APPID: 'wx1', WX_SECRET: 's', PUBLIC_BASE_URL: 'https://linli.example.cn', WX_PUSH_TOKEN: 't' }).moderation).toEqual({
      wordsFile: undefined,
      pushToken: 't',
      publicBaseUrl: 'https://linli.example.cn',
    });
  });

  it('with DATABASE_URL the demo seed is opt-in', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@h/db' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@h/db', SEED_DEMO: 'on' }).seedDemo).toBe(true);
  });

  it('when TRUST_PROXY is unset or off, then no proxy is trusted; a number is the count of trusted hops; anything else refuses to start', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
  });

  it('award limits and the check-in lead: defaults 50 / 500 points and 30 minutes; garbage stops the start', () => {
    expect(loadConfig({})).toMatchObject({ awards: { maxPerAward: 50, monthlyMax: 500 }, checkInOpensMs: 30 * 60_000 });
    expect(loadConfig({ POINTS_AWARD_MAX: '20', POINTS_AWARD_MONTHLY_MAX: '300', TIMEBANK_CHECK_IN_OPENS_MINUTES: '0' })).toMatchObject({
      awards: { maxPerAward: 20, monthlyMax: 300 },
      checkInOpensMs: 0,
    });
    expect(() => loadConfig({ POINTS_AWARD_MAX: '501' })).toThrow(/POINTS_AWARD_MAX/);
    expect(() => loadConfig({ POINTS_AWARD_MONTHLY_MAX: 'lots' })).toThrow(/POINTS_AWARD_MONTHLY_MAX/);
    expect(() => loadConfig({ TIMEBANK_CHECK_IN_OPENS_MINUTES: '-5' })).toThrow(/TIMEBANK_CHECK_IN_OPENS_MINUTES/);
  });
});
