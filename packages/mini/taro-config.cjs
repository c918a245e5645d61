// Taro build config shared by both mini-programs. CommonJS on purpose: Taro's config loader compiles only
// files inside the app's own config/ folder, so anything it requires from elsewhere must already be JS.
const { readFileSync } = require('node:fs');
const path = require('node:path');

/** Every workspace package (packages/*) is consumed as TypeScript source and must go through Babel. */
const WORKSPACE_PACKAGES = path.resolve(__dirname, '..');

/**
 * @param {{ appRoot: string; projectName: string; h5Port: number; earlyRequests?: string; preactOnH5?: boolean;
 *   htmlComponentsOnH5?: boolean; customTabBarOnH5?: boolean }} options
 *   earlyRequests: a plain script inlined into the H5 index.html (as `htmlWebpackPlugin.options.earlyRequests`)
 *   that starts the first page's API requests before the bundle has loaded.
 *   preactOnH5: the H5 build renders with Preact (React's API through preact/compat) instead of react-dom, which is
 *   ~130 KB of the first download alone; the weapp build keeps React with Taro's own renderer (@tarojs/react).
 *   htmlComponentsOnH5: on H5, View, Text, Button, Input, Image and Picker are plain HTML elements
 *   (@tarojs/components-react, Taro's `h5.useHtmlComponents`) instead of Taro's web components, which are defined,
 *   upgraded and hidden until hydrated one animation frame at a time; the DOM changes (a View is a div, an Input is
 *   the input itself), so tests select on the page's own class names. Components without an HTML version (Textarea)
 *   stay web components, loaded with the page that uses them.
 *   customTabBarOnH5: the app draws its own tab bar (`tabBar.custom`), so Taro's H5 one is never created; its web
 *   component and Stencil's runtime (~48 KB before compression) are left out of the bundle.
 */
function createTaroConfig({
  appRoot,
  projectName,
  h5Port,
  earlyRequests,
  preactOnH5 = false,
  htmlComponentsOnH5 = false,
  customTabBarOnH5 = false,
}) {
  return async () => ({
    projectName,
    date: '2026-01-01',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // dist/weapp is what WeChat DevTools opens (project.config.json: miniprogramRoot); dist/h5 is a static site.
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {},
    alias: { '@': path.join(appRoot, 'src') },
    copy: { patterns: [], options: {} },
    framework: preactOnH5 && process.env.TARO_ENV === 'h5' ? 'preact' : 'react',
    compiler: 'webpack5',
    cache: {
      enable: true,
      // Taro only watches the app's own config; this file shapes the build too.
      buildDependencies: { shared: [__filename, ...(earlyRequests ? [earlyRequests] : [])] },
    },
    mini: {
      compile: { include: [WORKSPACE_PACKAGES] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain: (chain) => adjustWebpack(chain, appRoot),
    },
    h5: {
      ...demoMinifier(),
      publicPath: '/',
      staticDirectory: 'static',
      useHtmlComponents: htmlComponentsOnH5,
      router: { mode: 'hash' },
      // The API the app was built for (.env), for the inline script when the page was served without an injected
      // window.__LUMI_CONFIG__ (see early-requests.js).
      htmlPluginOption: earlyRequests
        ? { earlyRequests: readFileSync(earlyRequests, 'utf8'), apiBase: process.env.TARO_APP_API ?? '' }
        : {},
      devServer: { host: '127.0.0.1', port: h5Port },
      compile: { include: [WORKSPACE_PACKAGES] },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain: (chain) => {
        adjustWebpack(chain, appRoot);
        dropPolyfillsTargetsHave(chain);
        shareLazyModules(chain);
        if (customTabBarOnH5) dropTaroTabBar(chain);
      },
    },
  });
}

/**
 * `npm start` builds H5 with esbuild's minifier (LUMI_H5_MINIFIER=esbuild, set by packages/dev-server): on the staff
 * app it took 47 CPU s instead of terser's 74 (two cores shared with the demo's seed) for 7% more JS. Every other
 * build — release, the e2e tests' — keeps terser's smaller output. The target is what the Babel output already is
 * (browserslist: ES-module browsers), so esbuild only minifies.
 */
function demoMinifier() {
  if (process.env.LUMI_H5_MINIFIER !== 'esbuild') return {};
  return { jsMinimizer: 'esbuild', esbuild: { minify: { config: { target: 'es2017' } } } };
}

function adjustWebpack(chain, appRoot) {
  // pnpm gives packages/mini no @tarojs/plugin-platform-* (Taro aliases @tarojs/components to one) and
  // may give it its own copy of react or @tarojs/taro. Resolving bare imports from the app first makes
  // every module share the app's single copy, as React and Taro's runtime require.
  chain.resolve.modules.clear().add(path.join(appRoot, 'node_modules')).add('node_modules');
  markSharedPure(chain);
  plainProgressWhenPiped(chain);
}

/**
 * Taro's H5 request API imports fetch and AbortController polyfills and a JSONP client into every first download
 * (~31 KB before compression). The browsers Lumi's H5 targets (package.json browserslist: ES-module browsers, i.e.
 * WeChat's built-in browser on Android and iOS ≥ 12.2) have fetch and AbortController, and Lumi never asks for
 * JSONP (`jsonp: true` would now fail at once instead of loading a script), so all three resolve to nothing.
 */
function dropPolyfillsTargetsHave(chain) {
  for (const name of ['whatwg-fetch', 'abortcontroller-polyfill/dist/abortcontroller-polyfill-only', 'jsonp-retry'])
    chain.resolve.alias.set(`${name}$`, false);
}

/**
 * @tarojs/router imports Taro's tab bar element statically and defines it only when the app's `tabBar` is not
 * `custom`; for an app with its own bar, the router's import resolves to a stub (no-taro-tabbar.js) instead of
 * @tarojs/components' index, which would keep the element and Stencil's runtime in the first download.
 */
function dropTaroTabBar(chain) {
  chain.module
    .rule('lumi-no-taro-tabbar')
    .test(/[\\/]@tarojs[\\/]router[\\/]/)
    .resolve.alias.set('@tarojs/components/dist/components$', path.join(__dirname, 'no-taro-tabbar.js'));
}

/**
 * Taro's H5 build splits only the chunks loaded at start (`chunks: 'initial'`), so code that several lazily loaded
 * pages import was copied into each page's chunk: in the staff app the F2 chart library of 客群, 逾期 and 报表 three
 * times (3 × 720 KiB) and packages/mini's client, states and helpers into all 35 pages — 4.7 MB of duplicated
 * minified output, minified once per copy (most of the staff H5 build's time on two cores) and downloaded again on
 * each page; in the customer app 0.28 MB of 0.81 MB. What two or more lazy pages share goes into chunks of its own,
 * one per set of pages sharing it, when that is worth a request (webpack's production minimum of 20 kB); the weapp
 * build's subpackages already keep such code once.
 */
function shareLazyModules(chain) {
  const splitChunks = chain.optimization.get('splitChunks') ?? {};
  chain.optimization.splitChunks({
    ...splitChunks,
    cacheGroups: {
      ...splitChunks.cacheGroups,
      sharedByPages: { chunks: 'async', minChunks: 2, minSize: 20_000, priority: 5, reuseExistingChunk: true },
    },
  });
}

/**
 * Taro asks webpackbar for its 'fancy' reporter even when the output is a file or a pipe (npm start's
 * builds, CI logs), where each redraw of the bar becomes a line of escape codes. Without a terminal only
 * the 'basic' reporter is kept: one line when a build starts and one when it ends.
 */
function plainProgressWhenPiped(chain) {
  if (process.stdout.isTTY || !chain.plugins.has('webpackbar')) return;
  chain
    .plugin('webpackbar')
    .tap(([options = {}]) => [
      { ...options, reporters: (options.reporters ?? []).filter((reporter) => reporter !== 'fancy') },
    ]);
}

/**
 * @lumi/shared's index re-exports its zod contracts next to the money helpers. Their only side effect is
 * registering schemas for the API's OpenAPI document, which a mini-program never needs; declaring the
 * package side-effect free lets webpack drop zod when a page imports only formatFen or types
 * (measured: ~110 KB less in the weapp main package).
 */
function markSharedPure(chain) {
  chain.module
    .rule('lumi-shared-side-effect-free')
    .test(/[\\/]packages[\\/]shared[\\/]src[\\/].*\.ts$/)
    .sideEffects(false);
}

module.exports = { createTaroConfig, WORKSPACE_PACKAGES };
