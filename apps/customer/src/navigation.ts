import Taro from '@tarojs/taro';
import { TAB_PAGES } from './routes.ts';

/**
 * Opens a page of this app from a tap: a tab page with switchTab (navigateTo refuses tab pages), any other
 * with navigateTo. A query on a tab page is dropped, as switchTab takes none.
 */
export function openPage(url: string): Promise<unknown> {
  const path = url.split('?')[0] ?? url;
  return TAB_PAGES.includes(path) ? Taro.switchTab({ url: path }) : Taro.navigateTo({ url });
}
