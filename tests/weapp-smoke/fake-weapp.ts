/**
 * Just enough of the WeChat mini-program host to boot Taro's weapp output in plain Node:
 * `App`, `Page`, `Component`, `getApp`, `getCurrentPages` and a `wx` whose `request` answers from a
 * table of fake routes. Pages render by calling `setData`; we apply those updates to a plain object
 * and read the text back out of it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

type Callbacks = { success?: (res: unknown) => void; fail?: (err: unknown) => void; complete?: (res: unknown) => void };
type AnyRecord = Record<string, any>;

export interface FakeRequest {
  url: string;
  method: string;
  header: Record<string, string>;
  data: unknown;
}

export interface FakeResponse {
  statusCode: number;
  data: unknown;
  header?: Record<string, string>;
}

export type Route = (request: FakeRequest) => FakeResponse | undefined;

export interface PageInstance extends AnyRecord {
  route: string;
  data: AnyRecord;
  /** Every setData payload, in order. */
  updates: AnyRecord[];
}

export interface FakeHost {
  storage: Map<string, unknown>;
  requests: FakeRequest[];
  toasts: AnyRecord[];
  /** Calls to navigation APIs: [api, url]. */
  navigations: Array<[string, string]>;
  /** Tab bar badges set with setTabBarBadge (index → text); removeTabBarBadge deletes. */
  tabBadges: Map<number, string>;
  /** APIs the app called that the fake does not implement. */
  missing: Set<string>;
  /** What was drawn on <Canvas type="2d"> nodes (the map's ECharts): each 2d-context call, in order. */
  canvasCalls: Array<{ name: string; args: unknown[] }>;
  appConfig: AnyRecord | null;
  pageConfigs: Map<string, AnyRecord>;
  pages: PageInstance[];
  launchApp(): void;
  /** require() a page's JS and create, load and show an instance of it. */
  openPage(route: string, query?: Record<string, string>): PageInstance;
}

/** A canvas whose 2d context accepts every drawing call and records it; text is 12 px a character wide. */
function recordingCanvas(host: FakeHost): AnyRecord {
  const canvas: AnyRecord = { width: 300, height: 150 };
  const context = new Proxy({ canvas } as AnyRecord, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return target[key as string];
      if (key === 'measureText') return (text: string) => ({ width: String(text).length * 12 });
      return (...args: unknown[]) => void host.canvasCalls.push({ name: key, args });
    },
    set(target, key, value) {
      target[key as string] = value;
      return true;
    },
  });
  canvas.getContext = () => context;
  canvas.requestAnimationFrame = (fn: () => void) => setTimeout(fn, 16);
  return canvas;
}

function succeed(options: Callbacks, result: AnyRecord = {}): void {
  const res = { errMsg: 'ok', ...result };
  // Real wx calls back asynchronously.
  setTimeout(() => {
    options.success?.(res);
    options.complete?.(res);
  }, 0);
}

/** setData crosses to the render layer as JSON: functions and undefined are dropped, as in WeChat. */
function cloneLikeWeapp(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? undefined : v)));
}

/** Applies a Taro setData key such as `root.cn.[0].cn.[2].v` to `target`. */
export function applyPath(target: AnyRecord, key: string, value: unknown): void {
  const parts = key.split('.').map((part) => {
    const index = /^\[(\d+)\]$/.exec(part);
    return index ? Number(index[1]) : part;
  });
  let node: any = target;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      node[part] = cloneLikeWeapp(value);
      return;
    }
    if (node[part] === undefined || node[part] === null) node[part] = typeof parts[i + 1] === 'number' ? [] : {};
    node = node[part];
  });
}

/** The text of a Taro render tree (`v` of text nodes), depth first. */
export function collectText(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((child) => collectText(child, out));
  } else if (node && typeof node === 'object') {
    const record = node as AnyRecord;
    if (typeof record.v === 'string') out.push(record.v);
    if (record.cn) collectText(record.cn, out);
  }
  return out;
}

/** Ids (`uid`) and classes (`cl`) present in a Taro render tree. */
export function collectHooks(node: unknown, out: { ids: Set<string>; classes: Set<string> } = { ids: new Set(), classes: new Set() }) {
  if (Array.isArray(node)) {
    node.forEach((child) => collectHooks(child, out));
  } else if (node && typeof node === 'object') {
    const record = node as AnyRecord;
    if (typeof record.uid === 'string') out.ids.add(record.uid);
    if (typeof record.cl === 'string') record.cl.split(/\s+/).filter(Boolean).forEach((c: string) => out.classes.add(c));
    if (record.cn) collectHooks(record.cn, out);
  }
  return out;
}

export function installFakeHost(distDir: string, routes: Route[]): FakeHost {
  const host: FakeHost = {
    storage: new Map(),
    requests: [],
    toasts: [],
    navigations: [],
    tabBadges: new Map(),
    missing: new Set(),
    canvasCalls: [],
    appConfig: null,
    pageConfigs: new Map(),
    pages: [],
    launchApp() {
      const config = host.appConfig;
      if (!config) throw new Error('app.js did not call App()');
      const launch = { path: 'pages/index/index', query: {}, scene: 1001 };
      config.onLaunch?.call(config, launch);
      config.onShow?.call(config, launch);
    },
    openPage(route, query = {}) {
      requireDist(`${route}.js`);
      const config = host.pageConfigs.get(route);
      if (!config) throw new Error(`${route}.js did not call Page()`);
      const page = Object.create(config) as PageInstance;
      page.route = route;
      page.data = structuredClone(config.data ?? {});
      page.updates = [];
      page.setData = (payload: AnyRecord, callback?: () => void) => {
        page.updates.push(payload);
        for (const [key, value] of Object.entries(payload)) applyPath(page.data, key, value);
        if (callback) setTimeout(callback, 0);
      };
      host.pages.push(page);
      page.onLoad?.call(page, query);
      page.onShow?.call(page);
      page.onReady?.call(page);
      return page;
    },
  };

  const systemInfo = {
    brand: 'devtools', model: 'iPhone 12', pixelRatio: 2, screenWidth: 375, screenHeight: 812, windowWidth: 375,
    windowHeight: 812, statusBarHeight: 20, language: 'zh_CN', version: '8.0.50', system: 'iOS 16', platform: 'devtools',
    SDKVersion: '3.5.0', safeArea: { top: 20, bottom: 812, left: 0, right: 375, width: 375, height: 792 },
  };

  const wx: AnyRecord = {
    getSystemInfoSync: () => systemInfo,
    getWindowInfo: () => systemInfo,
    getDeviceInfo: () => systemInfo,
    getAppBaseInfo: () => systemInfo,
    getSystemInfo: (options: Callbacks) => succeed(options, systemInfo),
    getMenuButtonBoundingClientRect: () => ({ top: 24, bottom: 56, left: 281, right: 368, width: 87, height: 32 }),
    getStorageSync: (key: string) => (host.storage.has(key) ? host.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void host.storage.set(key, value),
    removeStorageSync: (key: string) => void host.storage.delete(key),
    login: (options: Callbacks) => succeed(options, { code: 'fake-wx-code' }),
    request(options: AnyRecord & Callbacks) {
      const request: FakeRequest = {
        url: String(options.url),
        method: String(options.method ?? 'GET').toUpperCase(),
        header: { ...(options.header ?? {}) },
        data: options.data,
      };
      host.requests.push(request);
      const response = routes.map((route) => route(request)).find(Boolean) ?? {
        statusCode: 404,
        data: { error: { code: 'NOT_FOUND', message: `fake has no route for ${request.method} ${request.url}`, details: [] } },
      };
      succeed(options, { statusCode: response.statusCode, data: structuredClone(response.data), header: response.header ?? {} });
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    showToast(options: AnyRecord & Callbacks) {
      host.toasts.push(options);
      succeed(options);
    },
    hideToast: (options: Callbacks = {}) => succeed(options),
    showModal: (options: Callbacks) => succeed(options, { confirm: true, cancel: false }),
    setTabBarBadge(options: AnyRecord & Callbacks) {
      host.tabBadges.set(Number(options.index), String(options.text));
      succeed(options);
    },
    removeTabBarBadge(options: AnyRecord & Callbacks) {
      host.tabBadges.delete(Number(options.index));
      succeed(options);
    },
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    createSelectorQuery: () => {
      // Asked for a node (a <Canvas type="2d">): a canvas 375 × 380 that records what is drawn on it.
      let wantsNode = false;
      const query: AnyRecord = {
        in: () => query, select: () => query, selectAll: () => query, selectViewport: () => query,
        boundingClientRect: () => query, scrollOffset: () => query,
        fields: (fields?: AnyRecord) => ((wantsNode = !!fields?.node), query),
        exec: (cb?: (res: unknown[]) => void) => cb && setTimeout(() => cb(wantsNode ? [{ node: recordingCanvas(host), width: 375, height: 380 }] : []), 0),
      };
      return query;
    },
    createOffscreenCanvas: () => recordingCanvas(host),
    onAppShow() {}, onAppHide() {}, offAppShow() {}, offAppHide() {},
    canIUse: () => true,
  };
  for (const api of ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab', 'navigateBack']) {
    wx[api] = (options: AnyRecord & Callbacks) => {
      host.navigations.push([api, String(options.url ?? options.delta ?? '')]);
      succeed(options);
    };
  }

  const g = globalThis as AnyRecord;
  g.wx = new Proxy(wx, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return target[key as string];
      if (key === 'webpackJsonp' || key === 'cloud' || key === 'env') return undefined;
      // Anything else the app calls: note it and answer like a successful no-op.
      return (options?: Callbacks) => {
        host.missing.add(key);
        if (options && typeof options === 'object') succeed(options);
      };
    },
    set(target, key, value) {
      target[key as string] = value;
      return true;
    },
    has(target, key) {
      return key in target;
    },
  });
  g.App = (config: AnyRecord) => {
    host.appConfig = config;
  };
  g.Page = (config: AnyRecord) => {
    const route = [...host.pageConfigs.keys()].length;
    host.pageConfigs.set(pendingRoute ?? `unknown-${route}`, config);
  };
  g.Component = (config: AnyRecord) => config;
  g.Behavior = (config: AnyRecord) => config;
  g.getApp = () => host.appConfig;
  g.getCurrentPages = () => host.pages;

  let pendingRoute: string | null = null;
  const requireFromDist = createRequire(path.join(distDir, 'app.js'));
  const requireDist = (file: string) => {
    pendingRoute = file.replace(/\.js$/, '');
    try {
      return requireFromDist(`./${file}`);
    } finally {
      pendingRoute = null;
    }
  };
  requireDist('app.js');
  return host;
}

export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
