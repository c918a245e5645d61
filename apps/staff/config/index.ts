import path from 'node:path';
import { createTaroConfig } from '@lumi/mini/taro-config';

// Everything but the app's name, dev port and the H5 chunk below is shared with the other mini-program (packages/mini).
const shared = createTaroConfig({
  appRoot: path.resolve(__dirname, '..'),
  projectName: 'lumi-staff',
  h5Port: 10087,
});

interface Chain {
  optimization: { get(key: 'splitChunks'): unknown; splitChunks(value: unknown): unknown };
}
type WebpackChain = (chain: Chain, ...rest: unknown[]) => void;

/**
 * Taro's H5 build splits only the chunks loaded at start (`chunks: 'initial'`), so code that several lazily loaded
 * pages import was copied into each page's chunk: the F2 chart library of 客群, 逾期 and 报表 three times
 * (3 × 720 KiB), the shared API client, states and helpers of packages/mini into all 35 pages — 4.7 MB of
 * duplicated minified output, minified once per copy (most of the staff H5 build's time on two cores) and
 * downloaded again on each page. Here what two or more lazy pages share goes into chunks of its own, one per
 * set of pages sharing it, when that is worth a request (webpack's production minimum of 20 kB); the weapp
 * build's subpackages already keep such code once.
 */
function shareLazyModules(chain: Chain): void {
  const splitChunks = (chain.optimization.get('splitChunks') ?? {}) as { cacheGroups?: Record<string, unknown> };
  chain.optimization.splitChunks({
    ...splitChunks,
    cacheGroups: {
      ...splitChunks.cacheGroups,
      sharedByPages: { chunks: 'async', minChunks: 2, minSize: 20_000, priority: 5, reuseExistingChunk: true },
    },
  });
}

export default async (...args: unknown[]) => {
  const config = await shared(...args);
  const h5 = config.h5 as { webpackChain: WebpackChain };
  return {
    ...config,
    h5: {
      ...h5,
      webpackChain: (chain: Chain, ...rest: unknown[]) => {
        h5.webpackChain(chain, ...rest);
        shareLazyModules(chain);
      },
    },
  };
};
