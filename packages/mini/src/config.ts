/**
 * Where the mini-program finds its API, the WeChat simulator and its tenant. Values come from the app's
 * `.env*` files (`TARO_APP_*`, replaced at build time). On H5 a page may override them at run time through
 * `window.__LUMI_CONFIG__`, so one H5 build can be pointed at any API: the e2e harness starts the API and
 * the simulator on random ports and injects their URLs into index.html. Mini-programs have no such hook.
 */
export interface MiniConfig {
  /** API base URL without a trailing slash, e.g. http://127.0.0.1:3000 */
  apiBase: string;
  /** WeChat simulator base URL (H5 only: login codes and payments) */
  wechatSimBase: string;
  /** This mini-program's appid; the simulator issues login codes per appid */
  appId: string;
  /** Tenant slug the customer app was opened for (empty in the staff app) */
  tenant: string;
  /** openid the H5 simulator login pretends to be */
  demoOpenid: string;
}

export interface InjectedConfig {
  api?: string;
  wechatSim?: string;
  tenant?: string;
  appId?: string;
  demoOpenid?: string;
}

declare global {
  interface Window {
    __LUMI_CONFIG__?: InjectedConfig;
  }
}

function injectedConfig(): InjectedConfig {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return {};
  return window.__LUMI_CONFIG__ ?? {};
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function getMiniConfig(): MiniConfig {
  const injected = injectedConfig();
  return {
    apiBase: trimSlash(injected.api ?? process.env.TARO_APP_API ?? ''),
    wechatSimBase: trimSlash(injected.wechatSim ?? process.env.TARO_APP_WECHAT_SIM ?? ''),
    appId: injected.appId ?? process.env.TARO_APP_ID ?? '',
    tenant: injected.tenant ?? process.env.TARO_APP_TENANT ?? '',
    demoOpenid: injected.demoOpenid ?? process.env.TARO_APP_DEMO_OPENID ?? 'demo-customer-001',
  };
}
