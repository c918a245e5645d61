import Taro from '@tarojs/taro';
import { render } from 'react-dom';
import { HOME_PAGE, TAB_PAGES } from '../routes.ts';
import { TabBar } from './tab-bar.tsx';

/** The page a router path names ('/' or nothing is the home page). */
function pageOf(path: string): string {
  const page = `/${path.replace(/^\//, '')}`;
  return page === '/' ? HOME_PAGE : page;
}

/**
 * H5 only: Taro's H5 router has no custom tab bar (it draws its own web component unless `tabBar.custom`, then
 * nothing), so the app mounts its bar once, next to the pages, shown only while a tab page is.
 */
export function mountTabBar(): void {
  const host = document.createElement('div');
  host.className = 'lumi-tab-bar-host';
  (document.getElementById('container') ?? document.body).appendChild(host);
  const follow = (path: string) => {
    host.hidden = !TAB_PAGES.includes(pageOf(path));
  };
  follow(window.location.hash.replace(/^#/, '').split('?')[0] ?? '');
  // Taro's router moves with pushState/replaceState, which fire no hashchange: it tells where it goes instead.
  Taro.eventCenter.on('__taroRouterChange', (change: { toLocation: { path: string } }) =>
    follow(change.toLocation.path),
  );
  render(<TabBar />, host);
}
