import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import serve from 'koa-static';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { GridDirectory } from './grids/grid-directory';
import { gridRoutes } from './grids/grids.routes';
import { GridsService } from './grids/grids.service';
import { authenticate } from './identity/authenticate';
import { identityRoutes } from './identity/identity.routes';
import { IdentityService } from './identity/identity.service';
import { ActorCache } from './identity/actor-cache';
import { TokenService } from './identity/tokens';
import { DevWeChatSessionProvider, HttpWeChatSessionProvider, type WeChatSessionProvider } from './identity/wechat-session';
import { consultationRoutes } from './consultations/consultations.routes';
import { ConsultationsService } from './consultations/consultations.service';
import { pointsRoutes } from './points/points.routes';
import { PointsService } from './points/points.service';
import { RewardsService } from './points/rewards.service';
import { timebankRoutes } from './timebank/timebank.routes';
import { TimebankService } from './timebank/timebank.service';
import { buildNotifications } from './notifications';
import { HttpSubscribeMessageProvider, type SubscribeMessageProvider } from './notifications/subscribe-message';
import { BuildingCodes } from './buildings-qr/building-code';
import { buildingCodeRoutes } from './buildings-qr/building-code.routes';
import { DevWxaCodeProvider, HttpWxaCodeProvider, type WxaCodeProvider } from './buildings-qr/wxacode';
import { auditStaffActions } from './audit/audit-log';
import { errorMiddleware } from './platform/error-middleware';
import type { Logger } from './platform/logger';
import { mountRoutes } from './platform/mount-routes';
import { RateLimits } from './platform/rate-limit';
import { corsFor, securityHeaders } from './platform/security-headers';
import { buildOpenApi } from './platform/openapi';
import { requestLog } from './platform/request-log';
import type { RouteSpec } from './platform/route';
import { ReportSweeper } from './reports/escalation';
import { reportRoutes } from './reports/reports.routes';
import { ReportsService } from './reports/reports.service';
import { privacyRoutes } from './privacy/privacy.routes';
import { Open311KeysService } from './open311/open311-keys.service';
import { open311Router } from './open311/open311.router';
import { open311KeyRoutes } from './open311/open311.routes';
import { Open311Service } from './open311/open311.service';
import { adminRoutes } from './admin/admin.routes';
import { WeChatContentChecker, WordListChecker, type ContentChecker } from './moderation/content-check';
import { moderationRoutes } from './moderation/moderation.routes';
import { ModerationService } from './moderation/moderation.service';
import { wechatPushRoutes } from './moderation/wechat-push';
import { loadWordList, type WordList } from './moderation/word-list';
import { AdminService } from './admin/admin.service';
import { GridDrawings } from './grids/grid-drawings';
import { mapRoutes } from './map/map.routes';
import { MapService } from './map/map.service';
import { statsRoutes } from './stats/stats.routes';
import { StatsService } from './stats/stats.service';
import { PrivacyService } from './privacy/privacy.service';
import { LocalDiskStorage, urlForImageCheck, type FileStorage } from './uploads/storage';
import { S3Storage } from './uploads/storage-s3';
import { ReadReplicas } from './db/replicas';
import { uploadRoutes } from './uploads/uploads.routes';
import { UploadsService } from './uploads/uploads.service';
import { InvitesService } from './residents/invites.service';
import { MembershipsService } from './residents/memberships.service';
import { residentRoutes } from './residents/residents.routes';
import { reportCallerRoutes } from './reports/report-caller';
import { CannedReplies, cannedReplyRoutes } from './reports/canned-replies';
import { ResidentsService } from './residents/residents.service';
import { AnnouncementsService } from './announcements/announcements.service';
import { announcementRoutes } from './announcements/announcements.routes';
import { LedgerImportService } from './residents/ledger-import.service';
import { ledgerRoutes } from './residents/ledger.routes';
import { DevPhoneNumberProvider, HttpPhoneNumberProvider, type PhoneNumberProvider } from './identity/wechat-phone';
import { DisputeStatsService } from './disputes/dispute-stats';
import { DisputeSweeper } from './disputes/dispute-sweeper';
import { disputeRoutes } from './disputes/disputes.routes';
import { DisputesService } from './disputes/disputes.service';
import { MediatorsService } from './disputes/mediators.service';

export const API_PREFIX = '/api/v1';

export interface AppDeps {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
  /** Overrides for tests; by default chosen from the config. */
  wechat?: WeChatSessionProvider;
  subscribeMessages?: SubscribeMessageProvider;
  /** Mini-program codes (一楼一码); by default WeChat's when WX_APPID/WX_SECRET are set, else a plain QR. */
  wxaCodes?: WxaCodeProvider;
  /** WeChat's getPhoneNumber; by default WeChat's when WX_APPID/WX_SECRET are set, else the dev codes. */
  phoneNumbers?: PhoneNumberProvider;
  /** Content checks; by default WeChat's (with the local word list) when WX_APPID/WX_SECRET are set, else the word list. */
  contentChecker?: ContentChecker;
  now?: () => number;
  gridRefreshMs?: number;
}

/** Wires the modules into one Koa app. Nothing here listens or touches the network. */
export function buildApp(deps: AppDeps) {
  const { config, dataSource, logger } = deps;
  const tokens = new TokenService(config.jwtSecret, config.tokenTtlSeconds, deps.now);
  const directory = new GridDirectory(dataSource, deps.gridRefreshMs);
  const actors = new ActorCache();
  actors.watch(dataSource);
  const replicas = new ReadReplicas(dataSource, config.replicas, logger);
  replicas.install();
  const storage = uploadStorage(config);
  const identity = new IdentityService(dataSource, directory, tokens, actors);
  const grids = new GridsService(dataSource, directory);
  const wechat = deps.wechat ?? (config.wechat ? new HttpWeChatSessionProvider(config.wechat) : new DevWeChatSessionProvider());
  const notifications = buildNotifications({ dataSource, logger, provider: deps.subscribeMessages });
  const now = deps.now ? () => new Date(deps.now!()) : () => new Date();
  const words = loadWordList(config.moderation.wordsFile);
  const moderation = new ModerationService(dataSource, directory, deps.contentChecker ?? contentCheckerFor(config, notifications, words, storage), words, notifications.service, now, logger);
  const points = new PointsService(dataSource, directory, now, config.awards);
  const rewards = new RewardsService(dataSource, directory, now, notifications.service);
  moderation.onImageFlagged((manager, url) => rewards.imageRefused(manager, url));
  const timebank = new TimebankService(dataSource, directory, points, notifications.service, now, config.checkInOpensMs);
  const consultations = new ConsultationsService(dataSource, directory, notifications.service, now, points, moderation);
  const mediators = new MediatorsService(dataSource, directory);
  const disputes = new DisputesService(dataSource, directory, mediators, notifications.service, now);
  const disputeSweeper = new DisputeSweeper(dataSource, directory, disputes, notifications.service, { escalationPeriodMs: config.escalationPeriodMs });
  const reports = new ReportsService(dataSource, directory, notifications.service, now, consultations, points, moderation, disputes);
  const sweeper = new ReportSweeper(dataSource, directory, reports, notifications.service, { escalationPeriodMs: config.escalationPeriodMs }, points);
  const stats = new StatsService(dataSource, directory, now);
  const map = new MapService(dataSource, directory, new GridDrawings(directory), stats, now);
  const disputeStats = new DisputeStatsService(dataSource, directory, mediators, stats, now);
  const open311Keys = new Open311KeysService(dataSource, directory, now);
  // The building codes share the subscription messages' cached stable token (one token per app).
  const wxaCodes =
    deps.wxaCodes ??
    (notifications.provider instanceof HttpSubscribeMessageProvider && notifications.config.wechat
      ? new HttpWxaCodeProvider({ apiBase: notifications.config.wechat.apiBase, tokens: notifications.provider })
      : new DevWxaCodeProvider());
  const uploads = new UploadsService(storage, { moderation, dataSource });

  const phones =
    deps.phoneNumbers ??
    (notifications.provider instanceof HttpSubscribeMessageProvider && notifications.config.wechat
      ? new HttpPhoneNumberProvider({ apiBase: notifications.config.wechat.apiBase, tokens: notifications.provider })
      : new DevPhoneNumberProvider());
  const memberships = new MembershipsService(dataSource, directory, notifications.service, now);

  const routes: RouteSpec[] = [
    ...identityRoutes(identity, wechat, { devLogin: config.devLogin }),
    ...residentRoutes({
      identity,
      memberships,
      invites: new InvitesService(dataSource, notifications.service, now, wxaCodes),
      residents: new ResidentsService(dataSource, directory),
      phones,
    }),
    ...ledgerRoutes(new LedgerImportService(dataSource, directory, now), dataSource, directory),
    ...gridRoutes(grids),
    // Before /reports/:id, which would take /reports/points for a report's id.
    ...mapRoutes(map),
    ...reportRoutes(reports),
    ...reportCallerRoutes({ dataSource, directory }),
    ...cannedReplyRoutes(new CannedReplies(dataSource, directory)),
    ...consultationRoutes(consultations),
    ...disputeRoutes({ disputes, mediators, stats: disputeStats }),
    ...pointsRoutes(points, rewards),
    ...timebankRoutes(timebank),
    ...notifications.routes,
    ...announcementRoutes(new AnnouncementsService(dataSource, directory, notifications.service, now)),
    ...uploadRoutes(uploads),
    ...privacyRoutes(new PrivacyService(dataSource, identity)),
    ...statsRoutes(stats, dataSource, directory, now),
    ...open311KeyRoutes(open311Keys),
    ...buildingCodeRoutes(new BuildingCodes(dataSource, directory, wxaCodes)),
    ...adminRoutes(new AdminService(dataSource, directory)),
    ...moderationRoutes(moderation),
    ...wechatPushRoutes(moderation, { token: config.moderation.pushToken }),
  ];
  const openApi = buildOpenApi(routes, { title: 'linli 邻里 API', version: '1' }, API_PREFIX);

  const api = new Router({ prefix: API_PREFIX });
  api.get('/openapi.json', (ctx) => (ctx.body = openApi));
  mountRoutes(api, routes, new RateLimits(dataSource, config.rateLimits), replicas, etagKey(config.jwtSecret));

  const system = new Router();
  system.get('/healthz', (ctx) => (ctx.body = { status: 'ok' }));
  system.get('/readyz', async (ctx) => {
    const ready = await databaseAnswers(dataSource);
    ctx.status = ready ? 200 : 503;
    ctx.body = ready ? { status: 'ready' } : { error: { code: 'INTERNAL', message: '数据库不可用', details: [] } };
  });
  system.get('/openapi.json', (ctx) => (ctx.body = openApi));

  // The client's address (rate limits, the request log) is the connection's, unless TRUST_PROXY says
  // how many proxies of ours stand in front: then the entry the nearest of them appended, counted from the right.
  const app = new Koa({ proxy: config.trustProxy > 0, maxIpsCount: config.trustProxy });
  // What fails after the error middleware (a response stream broken off): into the structured log, not
  // Koa's console.error. A client that leaves while a file streams to it is routine, not an error.
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
    logger.error({ err }, 'response failed');
  });
  app.use(requestLog(logger));
  app.use(errorMiddleware());
  app.use(securityHeaders(config.h5Dir));
  app.use(corsFor(config.corsOrigins));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: config.bodyLimit, encoding: 'utf-8' }));
  app.use(authenticate(tokens, identity));
  app.use(replicas.middleware());
  app.use(auditStaffActions(dataSource));
  app.use(system.routes());
  const open311 = open311Router(new Open311Service(dataSource, directory, reports, now), open311Keys);
  app.use(open311.routes());
  app.use(open311.allowedMethods());
  app.use(api.routes());
  app.use(api.allowedMethods());
  if (fs.existsSync(config.h5Dir)) app.use(serve(config.h5Dir, h5ServeOptions));

  return { app, routes, openApi, directory, identity, memberships, grids, tokens, reports, consultations, sweeper, notifications, uploads, points, rewards, timebank, stats, moderation, disputes, disputeSweeper, map, replicas };
}

/**
 * The H5 build: the build's .br/.gz copy when the browser accepts it; scripts and styles (their names
 * carry a content hash) cached for a year, index.html revalidated on every load so a release shows at once.
 */
const h5ServeOptions: Parameters<typeof serve>[1] = {
  maxage: 0,
  gzip: true,
  brotli: true,
  setHeaders(res, file) {
    if (/[\\/](js|css)[\\/][^\\/]+\.[0-9a-f]{8,}\.(js|css)(\.(br|gz))?$/.test(file)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  },
};

/** WeChat's checks when the app has credentials (they need our images' public address), else the local word list alone. */
function contentCheckerFor(config: Config, notifications: ReturnType<typeof buildNotifications>, words: WordList, storage: FileStorage): ContentChecker {
  if (!(notifications.provider instanceof HttpSubscribeMessageProvider) || !notifications.config.wechat) return new WordListChecker(words);
  const publicBaseUrl = config.moderation.publicBaseUrl ?? '';
  return new WeChatContentChecker({
    apiBase: notifications.config.wechat.apiBase,
    tokens: notifications.provider,
    publicBaseUrl,
    mediaUrl: (url) => urlForImageCheck(storage, url, publicBaseUrl),
  });
}

/** Uploads on this machine's disk (STORAGE_URL unset or file://), or in an S3-compatible store (s3://); the demo seed puts its reward pictures there too. */
export function uploadStorage(config: Config): FileStorage {
  return config.storage.kind === 's3' ? new S3Storage(config.storage) : new LocalDiskStorage({ root: config.storage.root });
}

async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  try {
    await Promise.race([dataSource.query('SELECT 1'), new Promise((_, reject) => setTimeout(reject, 2000))]);
    return true;
  } catch {
    return false;
  }
}

/** The key of the pages' ETags (mount-routes.ts viewerTag): derived from the token secret, the same on every instance. */
function etagKey(jwtSecret: string): string {
  return createHmac('sha256', jwtSecret).update('linli etag').digest('base64url');
}
