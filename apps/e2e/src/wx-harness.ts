import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

/**
 * A small stand-in for WeChat's mini-program runtime, enough to run a weapp build's compiled JavaScript in Node:
 * the globals WeChat gives every script (wx, App, Page, Component, getApp, getCurrentPages, require within the
 * package) and a `wx` whose every API is recorded. Not WeChat: no rendering, no WXML, no real page stack; what it
 * proves is what the compiled code asks of `wx`, and with which arguments.
 */
export interface WxCall {
  api: string;
  args: unknown;
}

export interface WxHarnessOptions {
  /** Answers wx.request: the Lumi API as the app would reach it. */
  request(options: { url: string; method: string; data: unknown; header: Record<string, string> }): Promise<{
    statusCode: number;
    data: unknown;
  }>;
  /** What wx storage holds at launch. */
  storage?: Record<string, unknown>;
}

export interface PageInstance {
  route: string;
  options: Record<string, unknown>;
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>, callback?: () => void): void;
  [key: string]: unknown;
}

export class WxHarness {
  readonly calls: WxCall[] = [];
  readonly storage = new Map<string, unknown>();
  appOptions: Record<string, (...args: unknown[]) => unknown> | null = null;
  readonly pages = new Map<string, Record<string, unknown>>();
  readonly stack: PageInstance[] = [];
  private readonly modules = new Map<string, { exports: unknown }>();
  private readonly context: vm.Context;
  private currentFile = '';

  constructor(
    private readonly dist: string,
    private readonly options: WxHarnessOptions,
  ) {
    for (const [key, value] of Object.entries(options.storage ?? {})) this.storage.set(key, value);
    const sandbox: Record<string, unknown> = {
      console,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      Promise,
      wx: this.wx(),
      App: (o: Record<string, (...args: unknown[]) => unknown>) => {
        this.appOptions = o;
      },
      Page: (o: Record<string, unknown>) => {
        this.pages.set(this.currentFile.replace(/\.js$/, ''), o);
      },
      Component: (o: Record<string, unknown>) => {
        this.pages.set(this.currentFile.replace(/\.js$/, ''), o);
      },
      Behavior: (o: unknown) => o,
      getApp: () => this.appOptions,
      getCurrentPages: () => this.stack,
      requirePlugin: () => ({}),
    };
    sandbox.global = sandbox;
    sandbox.globalThis = sandbox;
    this.context = vm.createContext(sandbox);
  }

  /** Runs `file` (relative to the dist folder, without .js) as WeChat would: once, with require for its neighbours. */
  require(file: string): unknown {
    const name = path.posix.normalize(file.replace(/\.js$/, ''));
    const cached = this.modules.get(name);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    this.modules.set(name, module);
    const code = readFileSync(path.join(this.dist, `${name}.js`), 'utf8');
    const wrapper = vm.runInContext(`(function (require, module, exports) {${code}\n})`, this.context, {
      filename: `${name}.js`,
    }) as (req: (p: string) => unknown, m: typeof module, e: unknown) => void;
    const previous = this.currentFile;
    this.currentFile = `${name}.js`;
    try {
      wrapper((p) => this.require(path.posix.join(path.posix.dirname(name), p)), module, module.exports);
    } finally {
      this.currentFile = previous;
    }
    return module.exports;
  }

  /** Launches the app on `route` (app.js, then onLaunch and onShow with that path). */
  launch(route: string): void {
    this.require('app');
    if (!this.appOptions) throw new Error('app.js did not call App()');
    const launch = { path: route, query: {}, scene: 1001 };
    this.appOptions.onLaunch?.call(this.appOptions, launch);
    this.appOptions.onShow?.call(this.appOptions, launch);
  }

  /** Opens a page as WeChat does: its script, an instance, then onLoad, onShow and onReady. */
  openPage(route: string): PageInstance {
    this.require(route);
    const definition = this.pages.get(route);
    if (!definition) throw new Error(`${route}.js did not call Page() or Component()`);
    const methods = (definition.methods ?? {}) as Record<string, unknown>;
    const instance: PageInstance = {
      ...definition,
      ...methods,
      route,
      options: {},
      data: { ...((definition.data as Record<string, unknown> | undefined) ?? {}) },
      setData(data, callback) {
        Object.assign(this.data, data);
        callback?.();
      },
    };
    this.stack.push(instance);
    for (const hook of ['onLoad', 'onShow', 'onReady']) {
      const fn = instance[hook] as ((...args: unknown[]) => unknown) | undefined;
      fn?.call(instance, {});
    }
    return instance;
  }

  /** The recorded calls to one wx API, in order. */
  callsTo(api: string): unknown[] {
    return this.calls.filter((c) => c.api === api).map((c) => c.args);
  }

  private wx(): Record<string, unknown> {
    const sync: Record<string, (...args: unknown[]) => unknown> = {
      getStorageSync: (key) => (this.storage.has(key as string) ? this.storage.get(key as string) : ''),
      setStorageSync: (key, value) => {
        this.storage.set(key as string, value);
      },
      removeStorageSync: (key) => {
        this.storage.delete(key as string);
      },
      getSystemInfoSync: () => systemInfo,
      getWindowInfo: () => systemInfo,
      getDeviceInfo: () => systemInfo,
      getAppBaseInfo: () => systemInfo,
      getSystemSetting: () => ({}),
      getAppAuthorizeSetting: () => ({}),
      getMenuButtonBoundingClientRect: () => ({ top: 24, bottom: 56, left: 280, right: 367, width: 87, height: 32 }),
      canIUse: () => true,
      nextTick: (fn) => {
        queueMicrotask(fn as () => void);
      },
      getLaunchOptionsSync: () => ({ path: 'pages/home/index', query: {}, scene: 1001 }),
      getEnterOptionsSync: () => ({ path: 'pages/home/index', query: {}, scene: 1001 }),
    };
    const wx: Record<string, unknown> = {};
    for (const api of WX_APIS) {
      wx[api] = (...args: unknown[]) => {
        this.calls.push({ api, args: withoutCallbacks(args[0]) });
        if (sync[api]) return sync[api](...args);
        const options = (args[0] ?? {}) as Record<string, unknown> & {
          success?: (res: unknown) => void;
          complete?: (res: unknown) => void;
        };
        const answer =
          api === 'request'
            ? this.options.request(options as never).then((res) => ({ ...res, header: {}, errMsg: 'request:ok' }))
            : Promise.resolve({ errMsg: `${api}:ok` });
        // WeChat answers asynchronously, never within the call.
        void answer.then((res) => {
          options.success?.(res);
          options.complete?.(res);
        });
        return api === 'request' ? { abort() {} } : undefined;
      };
    }
    return wx;
  }
}

const systemInfo = {
  brand: 'harness',
  model: 'harness',
  pixelRatio: 2,
  screenWidth: 375,
  screenHeight: 812,
  windowWidth: 375,
  windowHeight: 700,
  statusBarHeight: 44,
  language: 'zh_CN',
  version: '8.0.50',
  system: 'iOS 17',
  platform: 'ios',
  SDKVersion: '3.5.0',
  safeArea: { top: 44, bottom: 778, left: 0, right: 375, width: 375, height: 734 },
};

/**
 * The wx APIs the harness offers: those the Lumi mini-programs and Taro's runtime call at launch and on a page's
 * first show. Taro copies what `wx` has into Taro.* at start, so an API missing here is "not supported", as it
 * would be on a WeChat too old to have it.
 */
const WX_APIS = [
  'request',
  'getStorageSync',
  'setStorageSync',
  'removeStorageSync',
  'getSystemInfoSync',
  'getWindowInfo',
  'getDeviceInfo',
  'getAppBaseInfo',
  'getSystemSetting',
  'getAppAuthorizeSetting',
  'getMenuButtonBoundingClientRect',
  'canIUse',
  'nextTick',
  'getLaunchOptionsSync',
  'getEnterOptionsSync',
  'setNavigationBarColor',
  'setNavigationBarTitle',
  'setTabBarStyle',
  'setTabBarBadge',
  'removeTabBarBadge',
  'navigateTo',
  'redirectTo',
  'switchTab',
  'reLaunch',
  'navigateBack',
  'showToast',
  'hideToast',
  'showLoading',
  'hideLoading',
  'showModal',
  'login',
  'stopPullDownRefresh',
  'pageScrollTo',
];

/** What the app asked for: the options without the success/fail/complete callbacks Taro adds to every call. */
function withoutCallbacks(options: unknown): unknown {
  if (!options || typeof options !== 'object') return options;
  return Object.fromEntries(Object.entries(options).filter(([, value]) => typeof value !== 'function'));
}
