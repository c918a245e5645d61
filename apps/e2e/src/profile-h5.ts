/**
 * Where a cold open of the customer H5 spends its time, with bench-h5's phone (4× CPU, 150 ms RTT, 4/2 Mbit/s):
 * when each file and API request starts and answers (the browser's own clock, so a busy test process does not skew
 * it; `wait` is the time from sending to the first byte of the answer, the phone network's 150 ms included), when the
 * balance (home) or the first entry (明细) shows, how long the page's main thread spent in scripts, style/layout and
 * tasks, and how much of each script actually ran (V8 precise coverage, bytes never executed). Uses the builds
 * bench:h5 left in apps/customer/dist: `flock /work/coord/heavy.lock bash infra/scripts/with-postgres.sh pnpm
 * --filter @lumi/e2e profile:h5` after `pnpm bench:h5`.
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
  await cdp.send('Performance.enable');
  await cdp.send('Debugger.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.startPreciseCoverage', { callCount: false, detailed: true });
  // Browser timestamps (seconds, monotonic) from the first request, the document's.
  let t0: number | undefined;
  const at = (timestamp: number) => {
    t0 ??= timestamp;
    return `${String(Math.round((timestamp - t0) * 1000)).padStart(5)} ms`;
  };
  const events: [number, string][] = [];
  const urls = new Map<string, string>();
  const name = (url: string) => url.replace(server.url, '');
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, name(e.request.url));
    events.push([e.timestamp, `${at(e.timestamp)}  start ${name(e.request.url)}`]);
  });
  cdp.on('Network.responseReceived', (e) => {
    const timing = e.response.timing;
    const wait = timing ? ` (wait ${Math.round(timing.receiveHeadersEnd - timing.sendEnd)} ms)` : '';
    events.push([e.timestamp, `${at(e.timestamp)}  response ${name(e.response.url)}${wait}`]);
  });
  cdp.on('Network.loadingFinished', (e) =>
    events.push([e.timestamp, `${at(e.timestamp)}  loaded ${urls.get(e.requestId)} (${e.encodedDataLength} B)`]),
  );
  await page.goto(`${server.url}/#/${route}`, { waitUntil: 'commit' });
  await page.locator(selector).filter({ visible: true }).first().waitFor({ timeout: 60_000 });
  // The page's own clock for when the element showed, on the browser's monotonic clock like the events.
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (key: string) => metrics.find((m) => m.name === key)?.value ?? 0;
  const now = metric('Timestamp');
  events.push([now, `${at(now)}  VISIBLE ${selector}`]);
  const { result } = await cdp.send('Profiler.takePreciseCoverage');
  // The page's own Resource Timing, from navigation start: when each file and request was sent and fully arrived
  // as the page saw it (the DevTools events above come from the network layer, before the phone's throttling).
  const timings = await page.evaluate(`(() => {
    const ms = (t) => Math.round(t);
    const nav = performance.getEntriesByType('navigation')[0];
    const paints = performance.getEntriesByType('paint').map((p) => p.name + ' ' + ms(p.startTime));
    return [
      'document ' + ms(nav.requestStart) + ' → ' + ms(nav.responseEnd) + ', parsed ' + ms(nav.domInteractive) +
        ', deferred scripts ran ' + ms(nav.domContentLoadedEventEnd),
      ...performance.getEntriesByType('resource').map((r) =>
        r.name.replace(location.origin, '') + ' ' + ms(r.startTime) + ' → ' + ms(r.responseEnd)),
      ...paints,
    ];
  })()`);
  console.log(`\n#### ${route}`);
  console.log(
    events
      .sort((a, b) => a[0] - b[0])
      .map(([, line]) => line)
      .join('\n'),
  );
  console.log(`page clock (ms from navigation start):\n  ${(timings as string[]).join('\n  ')}`);
  const ms = (key: string) => Math.round(metric(key) * 1000);
  console.log(
    `main thread: scripts ${ms('ScriptDuration')} ms, style+layout ${ms('RecalcStyleDuration') + ms('LayoutDuration')} ms, ` +
      `all tasks ${ms('TaskDuration')} ms (4× slowed); ${metric('Nodes')} DOM nodes`,
  );
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
