import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { buildNotifications } from './index';
import { loadNotificationsConfig, templateIdFor } from './notifications.config';
import { DevSubscribeMessageProvider, HttpSubscribeMessageProvider } from './subscribe-message';

describe('notifications configuration', () => {
  it('reads template ids from WX_TEMPLATE_<KEY>; keys match whatever their case', () => {
    const config = loadNotificationsConfig({ WX_TEMPLATE_REPORT_STATUS: ' tmpl-1 ', WX_TEMPLATE_EMPTY: '', OTHER: 'x' });
    expect(config.templates).toEqual({ REPORT_STATUS: 'tmpl-1' });
    expect(templateIdFor(config, 'report_status')).toBe('tmpl-1');
    expect(templateIdFor(config, 'empty')).toBeNull();
    expect(config.miniprogramState).toBe('formal');
    expect(loadNotificationsConfig({ WX_MINIPROGRAM_STATE: 'trial' }).miniprogramState).toBe('trial');
  });

  it('uses the real WeChat provider only with WX_APPID and WX_SECRET, the dev one otherwise', () => {
    const dataSource = {} as DataSource;
    const dev = buildNotifications({ dataSource, config: loadNotificationsConfig({ WX_APPID: 'wx1' }) });
    expect(dev.provider).toBeInstanceOf(DevSubscribeMessageProvider);
    const real = buildNotifications({ dataSource, config: loadNotificationsConfig({ WX_APPID: 'wx1', WX_SECRET: 's' }) });
    expect(real.provider).toBeInstanceOf(HttpSubscribeMessageProvider);
    expect(real.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['get /notifications', 'post /notifications/read-all', 'post /notifications/:id/read']);
  });
});
