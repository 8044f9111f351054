/** The part of the environment the notifications module reads (DESIGN.md "Configuration" plus its own keys). */
export interface NotificationsConfig {
  /** WX_APPID + WX_SECRET (+ WX_API_BASE); null → the dev provider, which only records and logs. */
  wechat: { appId: string; secret: string; apiBase: string } | null;
  /** Template ids by our key, upper case: WX_TEMPLATE_REPORT_STATUS=… → { REPORT_STATUS: '…' }. */
  templates: Record<string, string>;
  /** WX_MINIPROGRAM_STATE: which build a message opens (formal by default). */
  miniprogramState: MiniprogramState;
  /** NOTIFY_DISPATCH_INTERVAL_MS: how often each instance polls the outbox (default 5000). */
  dispatchIntervalMs: number;
}

export type MiniprogramState = 'developer' | 'trial' | 'formal';

const TEMPLATE_PREFIX = 'WX_TEMPLATE_';

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const templates: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(TEMPLATE_PREFIX) && value?.trim()) templates[name.slice(TEMPLATE_PREFIX.length).toUpperCase()] = value.trim();
  }
  const state = env.WX_MINIPROGRAM_STATE;
  return {
    wechat:
      env.WX_APPID && env.WX_SECRET
        ? { appId: env.WX_APPID, secret: env.WX_SECRET, apiBase: env.WX_API_BASE || 'https://api.weixin.qq.com' }
        : null,
    templates,
    miniprogramState: state === 'developer' || state === 'trial' ? state : 'formal',
    dispatchIntervalMs: Math.max(200, Number(env.NOTIFY_DISPATCH_INTERVAL_MS) || 5000),
  };
}

/** The WeChat template id for one of our keys (`report_status` and `REPORT_STATUS` are the same key). */
export function templateIdFor(config: Pick<NotificationsConfig, 'templates'>, templateKey: string): string | null {
  return config.templates[templateKey.toUpperCase()] ?? null;
}
