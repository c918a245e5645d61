import Taro from '@tarojs/taro';
import { setPageTheme } from '@lumi/mini';
import type { MyProfile } from '@lumi/shared';
import { showShopTab } from './tab-bar/tab-state.ts';

/**
 * The salon's brand colour (GET /me, set by a manager in 设置 → 品牌), applied as far as each build allows:
 *   - `--brand` on every page root (PageShell) and, on H5, on the document: buttons, amounts and accents;
 *   - the navigation bar of each page as it shows (a weapp page keeps its own bar colour), text black or white
 *     by what reads on the colour;
 *   - the tab bar's selected item and icons (the app's own bar, tab-bar/, reads the same page theme).
 * The colour is remembered, so the next launch opens in it before /me has answered.
 */
const STORAGE_KEY = 'lumi.brand';
const HEX = /^#[0-9a-fA-F]{6}$/;

let applied: string | null = null;

/** Black text on a light colour, white on a dark one (WeChat allows only these two). */
export function barTextColor(color: string): '#000000' | '#ffffff' {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
  // ITU-R BT.601 luma: a quick, good enough reading of how light a colour looks.
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#000000' : '#ffffff';
}

/** A Taro API that may not exist in this build: never an error. */
function quietly(call: () => Promise<unknown>): void {
  try {
    void call().catch(() => undefined);
  } catch {
    // Not implemented on this platform.
  }
}

export function applyBrand(color: string): void {
  if (!HEX.test(color) || applied === color) return;
  applied = color;
  Taro.setStorageSync(STORAGE_KEY, color);
  const paintBars = () => {
    quietly(() => Taro.setNavigationBarColor({ frontColor: barTextColor(color), backgroundColor: color }));
  };
  paintBars();
  setPageTheme({ style: { '--brand': color }, onShow: paintBars });
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
    document.documentElement.style.setProperty('--brand', color);
  }
}

/** At launch: the colour of the last visit, until /me answers with the current one. */
export function applyRememberedBrand(): void {
  const remembered: unknown = Taro.getStorageSync(STORAGE_KEY);
  if (typeof remembered === 'string') applyBrand(remembered);
}

/** What GET /me says about the salon's look: its colour, and whether its shop has a tab. */
export function applySalon(profile: Pick<MyProfile, 'brandColor' | 'shopOpen'>): void {
  applyBrand(profile.brandColor);
  showShopTab(profile.shopOpen);
}
