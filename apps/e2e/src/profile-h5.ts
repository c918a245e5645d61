/**
 * Where a cold open of the customer H5 spends its time, with bench-h5's phone (4× CPU, 150 ms RTT, 4/2 Mbit/s):
 * when each file and API request starts and answers, when the balance (home) or the first entry (明细) shows, and
 * how much of each script actually ran (V8 precise coverage, bytes never executed). Uses the builds bench:h5 left in
 * apps/customer/dist: `flock /work/coord/heavy.lock bash infra/scripts/with-postgres.sh pnpm --filter @lumi/e2e
 * profile:h5` after `pnpm bench:h5`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLumiApi } from '@lumi/api/testing';
import { API_PREFIX, serveH5 } from '@lumi/dev-server';
import { startWechatSim } from '@lumi/wechat-sim';
import { APP_IDS, distDir } from './apps.ts';
import { launchChromium, openMobilePage } from './browser.ts';
import { logInAsDemoCustomer } from './customer-app.ts';

const keysDir = await mkdtemp(path.join(tmpdir(), 'lumi-prof-'));
const sim = await startWechatSim({ port: 0, keysDir });
const api = await startLumiApi({ wechatApiBase: sim.url, wechatPay: { baseUrl: sim.url, keysDir } });
const server = await serveH5({
  root: distDir('customer', 'h5'),
  apiUrl: api.url,
  config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.customer, tenant: 'demo' },
});
const browser = await launchChromium();
const login = await openMobilePage(browser, server.url);
await logInAsDemoCustomer(login);
const session = await login.page.evaluate<string | null>("localStorage.getItem('lumi.session')");
await login.context.close();
for (const [route, selector] of [
  ['pages/home/index', '.wallet__total'],
  ['wallet/entries/index', '.entry'],
] as const) {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await context.addInitScript(`localStorage.setItem('lumi.session', ${JSON.stringify(session)});`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: 500_000,
    uploadThroughput: 250_000,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Debugger.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.startPreciseCoverage', { callCount: false, detailed: true });
  const t0 = Date.now();
  const events: string[] = [];
  const sizes = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) =>
    events.push(`${Date.now() - t0} ms  start ${e.request.url.replace(server.url, '')}`),
  );
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  cdp.on('Network.responseReceived', (e) =>
    events.push(`${Date.now() - t0} ms  response ${e.response.url.replace(server.url, '')}`),
  );
  await page.goto(`${server.url}/#/${route}`, { waitUntil: 'commit' });
  await page.locator(selector).filter({ visible: true }).first().waitFor({ timeout: 60_000 });
  events.push(`${Date.now() - t0} ms  VISIBLE ${selector}`);
  const { result } = await cdp.send('Profiler.takePreciseCoverage');
  console.log(`\n#### ${route}`);
  console.log(events.join('\n'));
  for (const script of result) {
    if (!script.url.includes('/js/')) continue;
    const source = (await cdp.send('Debugger.getScriptSource', { scriptId: script.scriptId }).catch(() => null))
      ?.scriptSource;
    if (!source) {
      console.log(script.url);
      continue;
    }
    const unused = new Uint8Array(source.length);
    for (const fn of script.functions)
      for (const r of fn.ranges) unused.fill(r.count === 0 ? 1 : 0, r.startOffset, r.endOffset);
    const unusedBytes = unused.reduce((a, b) => a + b, 0);
    console.log(
      `${script.url.replace(server.url, '')}: ${source.length} bytes, unused ${unusedBytes} (${Math.round((100 * unusedBytes) / source.length)}%)`,
    );
  }
  await context.close();
}
await browser.close();
await server.close();
await api.close();
await sim.close();
