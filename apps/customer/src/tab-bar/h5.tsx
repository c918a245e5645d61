import { render } from 'react-dom';
import { TAB_PAGES } from '../routes.ts';
import { TabBar } from './tab-bar.tsx';

/** The page the hash route opens ('' is the home page). */
function currentPath(): string {
  const page = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return `/${page || 'pages/home/index'}`;
}

/**
 * H5 only: Taro's H5 router has no custom tab bar (it draws its own web component unless `tabBar.custom`, then
 * nothing), so the app mounts its bar once, next to the pages, shown only while a tab page is.
 */
export function mountTabBar(): void {
  const host = document.createElement('div');
  host.className = 'lumi-tab-bar-host';
  (document.getElementById('container') ?? document.body).appendChild(host);
  const follow = () => {
    host.hidden = !TAB_PAGES.includes(currentPath());
  };
  follow();
  window.addEventListener('hashchange', follow);
  render(<TabBar />, host);
}
