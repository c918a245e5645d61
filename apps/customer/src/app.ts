import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { applyRememberedBrand } from './brand.ts';
import { startHomeLoad } from './pages/home/home-data.ts';
import './app.scss';

if (process.env.TARO_ENV === 'h5') {
  // Taro's H5 router fetches every page as its own chunk after the app has started: one more round trip before
  // anything shows. Eager, part of the first download: the home page, where nearly every visit begins, and 明细
  // (~2 KB compressed, one tap from home): its entries are asked for early (early-requests.js), so on a phone
  // opened on 明细 (a reload, a shared link) its own chunk was the last thing the screen waited for.
  void import(/* webpackMode: "eager" */ './pages/home/index.tsx');
  void import(/* webpackMode: "eager" */ './wallet/entries/index.tsx');
}

/** Opened on the home page: a weapp launch says so in its path; an H5 one in the hash (none at all: the home). */
function launchedOnHome(path: string | undefined): boolean {
  const page = process.env.TARO_ENV === 'h5' ? window.location.hash.replace(/^#\/?/, '').split('?')[0] : path;
  return !page || page === 'pages/home/index';
}

export default function App({ children }: PropsWithChildren) {
  useLaunch((options) => {
    applyRememberedBrand();
    if (launchedOnHome(options?.path)) startHomeLoad();
    // After Taro's router has built the page container the bar goes into; part of the first download.
    if (process.env.TARO_ENV === 'h5')
      void import(/* webpackMode: "eager" */ './tab-bar/h5.tsx').then((bar) => bar.mountTabBar());
  });
  return children;
}
