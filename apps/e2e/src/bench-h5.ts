/**
 * `pnpm bench:h5` (repository root): how fast the customer H5 shows what a customer opens it for, on a phone's
 * CPU and network. A benchmark, not a test: it prints figures and asserts nothing.
 *
 * Builds the customer app (H5 as released, weapp for its main package size), starts the WeChat simulator and the
 * real API on a freshly seeded database, serves the H5 build with the API behind /api, and logs in as 林小雅 once.
 * Then, five times each, in a new browser context (empty cache: a cold open) with 4× CPU slowdown and a phone
 * network set through the DevTools protocol (150 ms round trip, 4 Mbit/s down, 2 Mbit/s up), it opens
 *   - the home page, until the balance is on screen (first_balance_ms), and
 *   - 明细, until the first page of history is on screen (first_history_ms).
 * Medians of five. The last line printed is one JSON object with both and the weapp main package size in KiB.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLumiApi } from '@lumi/api/testing';
import { API_PREFIX, serveH5 } from '@lumi/dev-server';
import { startWechatSim } from '@lumi/wechat-sim';
import type { Browser } from 'playwright-core';
import { APP_IDS, distDir } from './apps.ts';
import { launchChromium, openMobilePage } from './browser.ts';
import { logInAsDemoCustomer } from './customer-app.ts';
import { buildAll } from './taro-build.ts';
import { weappMainPackage } from './weapp-size.ts';

const RUNS = 5;
const CPU_SLOWDOWN = 4;
/** Bytes per second: Chrome's emulateNetworkConditions takes throughput in bytes/s. */
const PHONE_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 4_000_000 / 8,
  uploadThroughput: 2_000_000 / 8,
};
const TIMEOUT_MS = 60_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** One cold open of `url` with the session already stored; ms from navigation until `selector` is visible. */
async function coldOpen(browser: Browser, url: string, session: string, selector: string): Promise<number> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  try {
    // The login is not what is measured: she opens the app already logged in, as she would from WeChat.
    await context.addInitScript(`localStorage.setItem('lumi.session', ${JSON.stringify(session)});`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT_MS });
    await page.locator(selector).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    return Math.round(performance.now() - started);
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const closers: (() => Promise<void>)[] = [];
  try {
    console.log('[bench:h5] building the customer app (h5, weapp) and starting the simulator and the API…');
    const builds = buildAll([
      ['customer', 'h5', 'production'],
      ['customer', 'weapp', 'production'],
    ]);
    const keysDir = await mkdtemp(path.join(tmpdir(), 'lumi-bench-h5-keys-'));
    closers.push(() => rm(keysDir, { recursive: true, force: true }));
    const sim = await startWechatSim({ port: 0, keysDir });
    closers.push(() => sim.close());
    const api = await startLumiApi({ wechatApiBase: sim.url, wechatPay: { baseUrl: sim.url, keysDir } });
    closers.push(() => api.close());
    await builds;
    const server = await serveH5({
      root: distDir('customer', 'h5'),
      apiUrl: api.url,
      config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.customer, tenant: 'demo' },
    });
    closers.push(() => server.close());
    const browser = await launchChromium();
    closers.push(() => browser.close());

    // Log in once through the page, and keep the stored session for the cold opens.
    const login = await openMobilePage(browser, server.url);
    await logInAsDemoCustomer(login);
    const session = await login.page.evaluate<string | null>("localStorage.getItem('lumi.session')");
    await login.context.close();
    if (!session) throw new Error('no session after logging in');

    const balance: number[] = [];
    const history: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      balance.push(await coldOpen(browser, `${server.url}/#/pages/home/index`, session, '.wallet__total'));
      history.push(await coldOpen(browser, `${server.url}/#/wallet/entries/index`, session, '.entry'));
      console.log(`[bench:h5] run ${run}: balance ${balance.at(-1)} ms, history ${history.at(-1)} ms`);
    }
    const main = await weappMainPackage(distDir('customer', 'weapp'));
    const result = {
      first_balance_ms: median(balance),
      first_history_ms: median(history),
      weapp_main_kb: Math.round((main.bytes / 1024) * 10) / 10,
    };
    console.log(
      `[bench:h5] median of ${RUNS}, ${CPU_SLOWDOWN}× CPU, 150 ms RTT 4/2 Mbit/s: balance ${result.first_balance_ms} ms, ` +
        `history ${result.first_history_ms} ms; weapp main package ${result.weapp_main_kb} KiB in ${main.files.length} files`,
    );
    console.log(JSON.stringify(result));
  } finally {
    for (const close of closers.reverse()) await close().catch((error) => console.error(error));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
