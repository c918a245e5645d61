import Taro, { useDidShow } from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import { BILLS_PAGE, HOME_PAGE, ME_PAGE, SHOP_HOME_PAGE } from '../routes.ts';

/**
 * What the tab bar shows: which tab is current, and whether 商城 is one (only while the salon has an item on sale,
 * `shopOpen` of GET /me). One store for every copy of the bar: WeChat gives each tab page its own instance of the
 * custom tab bar, so each tab page says it is current as it shows; the H5 build mounts one bar for the app.
 */
export const TABS = [
  { path: HOME_PAGE, text: '首页', icon: 'home' },
  { path: SHOP_HOME_PAGE, text: '商城', icon: 'shop' },
  { path: BILLS_PAGE, text: '账单', icon: 'bills' },
  { path: ME_PAGE, text: '我的', icon: 'me' },
] as const;

export type Tab = (typeof TABS)[number];

interface TabState {
  current: string;
  shopOpen: boolean;
}

/** The last answer, so the next launch opens with the same tabs before /me has answered. */
const SHOP_OPEN_KEY = 'lumi.shopOpen';

let state: TabState | null = null;
const listeners = new Set<() => void>();

function read(): TabState {
  state ??= { current: HOME_PAGE, shopOpen: Taro.getStorageSync(SHOP_OPEN_KEY) === true };
  return state;
}

function update(next: Partial<TabState>): void {
  const now = read();
  if (Object.entries(next).every(([key, value]) => now[key as keyof TabState] === value)) return;
  state = { ...now, ...next };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Shows or hides 商城 as GET /me says, and remembers it for the next launch. */
export function showShopTab(open: boolean): void {
  if (read().shopOpen !== open) Taro.setStorageSync(SHOP_OPEN_KEY, open);
  update({ shopOpen: open });
}

/** The tabs to draw (商城 only while open), and the current one. */
export function useTabs(): { tabs: readonly Tab[]; current: string } {
  const { current, shopOpen } = useSyncExternalStore(subscribe, read);
  return { tabs: shopOpen ? TABS : TABS.filter((tab) => tab.path !== SHOP_HOME_PAGE), current };
}

/** Called by each tab page: marks its tab current each time it shows. */
export function useTabPage(path: Tab['path']): void {
  useDidShow(() => update({ current: path }));
}
