import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { BuildCache } from './build-cache.ts';
import { hashBuildInputs } from './build-stamp.ts';
import { Children } from './child-processes.ts';
import { buildMiniApp, describeBuilds } from './mini-builds.ts';
import { API_PREFIX, type H5Server, serveH5 } from './static-server.ts';

/**
 * `npm start`: the whole system on one machine with demo data — WeChat simulator, API on embedded PGlite
 * (under .data/, git-ignored), both mini-programs' H5 builds — then the weapp builds written for DevTools.
 *
 * Order, for the shortest wait on two cores: the simulator; then the H5 builds and the seed side by side;
 * the API as soon as the seed is done; the URLs once the API and both H5 builds are up; the weapp builds
 * last, while the demo is already usable. Builds of unchanged sources are kept (mini-builds.ts).
 */
const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const dataDir = path.join(root, '.data');
const PORTS = { api: 3000, sim: 4010, customer: 10086, staff: 10087 } as const;
const APP_IDS = { customer: 'wx0000000000customer', staff: 'wx00000000000000staff' } as const;
const apiUrl = `http://127.0.0.1:${PORTS.api}`;
const apiDir = path.join(root, 'apps/api');
// TypeScript through tsx's loader in the one node process: the tsx CLI would put a parent in front that, on a
// busy machine, SIGKILLs its child when the child does not acknowledge a signal within 30 ms.
const node = (script: string) => [process.execPath, ['--import', 'tsx', script]] as const;

const children = new Children();
const servers: { close(): Promise<void> }[] = [];
const startedAt = performance.now();
const elapsed = () => `${Math.round((performance.now() - startedAt) / 1000)} s`;

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !children.isStopping) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  if (!children.isStopping) throw new Error(`${url} did not become ready`);
}

/**
 * Seeded demo databases and finished builds are kept per user (not in the clone), so another clone of the same
 * sources starts at once: builds by the hash of their inputs (build-cache.ts), the database for the same code
 * and the same seed day only (apps/api/src/seed/demo-cache.ts). LUMI_CACHE_DIR moves them.
 */
const cacheDir =
  process.env.LUMI_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'lumi');
const buildCache = new BuildCache(path.join(cacheDir, 'builds'));

/** What the seeded database depends on: the API's code and migrations (the seed runs through them), the contracts, the lockfile. */
const demoSourceHash = () =>
  hashBuildInputs(
    {
      root,
      dirs: [
        path.join('apps', 'api', 'src'),
        path.join('apps', 'api', 'drizzle'),
        path.join('packages', 'shared', 'src'),
      ],
      files: ['pnpm-lock.yaml'],
    },
    {},
  );

async function apiEnv(sim: WechatSim): Promise<Record<string, string>> {
  return {
    PGLITE_DIR: path.join(dataDir, 'pglite'),
    DEMO_CACHE_DIR: path.join(cacheDir, 'demo-db'),
    DEMO_SOURCE_HASH: await demoSourceHash(),
    WECHAT_API_BASE: sim.url,
    WECHAT_PAY_BASE: `${sim.url}/`,
    WECHAT_PAY_KEYS_DIR: path.join(dataDir, 'wechat-keys'),
    PORT: String(PORTS.api),
    CORS_ORIGINS: [PORTS.customer, PORTS.staff]
      .flatMap((port) => [`http://127.0.0.1:${port}`, `http://localhost:${port}`])
      .join(','),
    LOG_LEVEL: 'warn',
  };
}

/**
 * Migrates and seeds (a second run finds the demo salon and changes nothing), then serves the API — one process
 * (apps/api/src/seed/demo-server.ts), so embedded PGlite starts once and the API's code loads once.
 */
async function startApi(sim: WechatSim): Promise<void> {
  const env = await apiEnv(sim);
  console.log(
    '» migrating and seeding the embedded database (first run: the demo salon, 200 customers and 12 months of ' +
      'visits, top-ups, cards and bills posted through the ledger and the API in-process; later starts the same ' +
      'day take a copy), ' +
      'then starting the API…',
  );
  const api = children.start('api', ...node('src/seed/demo-server.ts'), {
    cwd: apiDir,
    env,
    onLine: (line) => {
      if (line.startsWith('[seed] demo database:')) console.log(`» ${line.slice('[seed] '.length)} (${elapsed()})`);
      if (line.startsWith('[seed] demo salon ready')) console.log(`» seed done (${elapsed()}); starting the API`);
      if (line.startsWith('[seed] demo salon already'))
        console.log(`» demo salon found (${elapsed()}); starting the API`);
    },
  });
  api.on('exit', (code) => {
    if (children.isStopping) return;
    console.error(`the API stopped (exit ${code}); stopping the demo`);
    void stop(1);
  });
  // The first run seeds before it listens: minutes on a busy machine.
  await waitForReady(`${apiUrl}/readyz`, 900_000);
}

async function buildBoth(target: 'h5' | 'weapp'): Promise<string> {
  const outcomes = await Promise.all([
    buildMiniApp(children, root, 'customer', target, buildCache),
    buildMiniApp(children, root, 'staff', target, buildCache),
  ]);
  return describeBuilds(outcomes);
}

async function serveBoth(sim: WechatSim): Promise<[H5Server, H5Server]> {
  const customer = await serveH5({
    root: path.join(root, 'apps/customer/dist/h5'),
    apiUrl,
    port: PORTS.customer,
    config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.customer, tenant: 'demo' },
  });
  servers.push(customer);
  const staff = await serveH5({
    root: path.join(root, 'apps/staff/dist/h5'),
    apiUrl,
    port: PORTS.staff,
    config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.staff },
  });
  servers.push(staff);
  return [customer, staff];
}

function printUrls(sim: WechatSim, customer: H5Server, staff: H5Server): void {
  console.log(`
Lumi is running with the demo salon 示例美容院 (ready in ${elapsed()}):
  API           ${apiUrl}   (/ leads to the OpenAPI docs)
  OpenAPI docs  ${apiUrl}/docs
  Customer H5   ${customer.url}   (微信一键登录（模拟）: openid demo-customer-001 is 林小雅; -002 … -200 are other members)
  Staff H5      ${staff.url}
  Simulator     ${sim.url}   (what it simulates, and its control routes)

Staff logins (password lumi-demo-2026):
  13800000001 陈店主 (owner)     13800000002 刘店长 (manager)
  13800000003 王美丽 (beautician) 13800000004 赵晓雪 (beautician)

The weapp builds for WeChat DevTools follow now; a line says when they are ready. Ctrl-C stops everything.
`);
}

let stopping: Promise<never> | undefined;
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    await Promise.allSettled([children.stopAll(), ...servers.map((server) => server.close())]);
    process.exit(code);
  })();
  return stopping;
}

async function main() {
  const sim = await startWechatSim({ port: PORTS.sim, keysDir: path.join(dataDir, 'wechat-keys'), timeScale: 0.01 });
  servers.push(sim);
  console.log(`» WeChat simulator on ${sim.url}`);
  console.log('» building both mini-programs for H5 while the database is seeded…');
  await Promise.all([
    buildBoth('h5').then((summary) => console.log(`» H5 builds done (${elapsed()}): ${summary}`)),
    startApi(sim),
  ]);
  if (children.isStopping) return;
  const [customer, staff] = await serveBoth(sim);
  printUrls(sim, customer, staff);

  const weapp = await buildBoth('weapp');
  if (children.isStopping) return;
  console.log(`» weapp builds ready in apps/*/dist/weapp (${elapsed()}): ${weapp}. Open them in WeChat DevTools.`);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// Whatever ends the demo, no child process group outlives it.
process.on('exit', () => children.signalAll('SIGTERM'));

main().catch((error: unknown) => {
  if (children.isStopping) return;
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
