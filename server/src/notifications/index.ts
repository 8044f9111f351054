import type { DataSource } from 'typeorm';
import type { Logger } from '../platform/logger';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { NotificationService } from './notification.service';
import { notificationRoutes } from './notifications.routes';
import { loadNotificationsConfig, type NotificationsConfig } from './notifications.config';
import { DevSubscribeMessageProvider, HttpSubscribeMessageProvider, type SubscribeMessageProvider } from './subscribe-message';

export { DeliveryDispatcher } from './delivery-dispatcher';
export { NotificationService, type NotificationInput } from './notification.service';
export { notificationRoutes } from './notifications.routes';
export { loadNotificationsConfig, type NotificationsConfig } from './notifications.config';
export * from './subscribe-message';

/**
 * The module wired from the environment: the real WeChat provider when WX_APPID/WX_SECRET are set,
 * else the dev one. The dispatcher is built but not started: the process that serves starts it.
 */
export function buildNotifications(deps: {
  dataSource: DataSource;
  logger?: Logger;
  config?: NotificationsConfig;
  provider?: SubscribeMessageProvider;
}) {
  const config = deps.config ?? loadNotificationsConfig();
  const provider =
    deps.provider ??
    (config.wechat
      ? new HttpSubscribeMessageProvider({ ...config.wechat, miniprogramState: config.miniprogramState })
      : new DevSubscribeMessageProvider(deps.logger));
  const service = new NotificationService(deps.dataSource);
  const dispatcher = new DeliveryDispatcher(deps.dataSource, { provider, templates: config.templates, service, logger: deps.logger });
  return { config, provider, service, dispatcher, routes: notificationRoutes(service) };
}
