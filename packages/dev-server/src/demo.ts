import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWechatSim } from '@lumi/wechat-sim';
import { API_PREFIX, serveH5 } from './static-server.ts';

/**
 * `npm start`: the whole system on one machine with demo data — WeChat simulator, API on embedded PGlite
 * (under .data/, git-ignored), both mini-programs' H5 builds — and the weapp builds written for DevTools.
 */
const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const dataDir = path.join(root, '.data');
const PORTS = { api: 3000, sim: 4010, customer: 10086, staff: 10087 } as const;
const APP_IDS = { customer: 'wx0000000000customer', staff: 'wx00000000000000staff' } as const;
const children: ChildProcess[] = [];

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not become ready`);
}

async function main() {
  console.log('» building the mini-programs (H5 for the browser, weapp for WeChat DevTools)…');
  await Promise.all([
    run('pnpm', ['--filter', '@lumi/customer', 'build:h5']),
    run('pnpm', ['--filter', '@lumi/staff', 'build:h5']),
  ]);
  await Promise.all([
    run('pnpm', ['--filter', '@lumi/customer', 'build:weapp']),
    run('pnpm', ['--filter', '@lumi/staff', 'build:weapp']),
  ]);

  const keysDir = path.join(dataDir, 'wechat-keys');
  const sim = await startWechatSim({ port: PORTS.sim, keysDir, timeScale: 0.01 });
  console.log(`» WeChat simulator on ${sim.url}`);

  const apiEnv = {
    PGLITE_DIR: path.join(dataDir, 'pglite'),
    WECHAT_API_BASE: sim.url,
    WECHAT_PAY_BASE: `${sim.url}/`,
    WECHAT_PAY_KEYS_DIR: keysDir,
    PORT: String(PORTS.api),
    CORS_ORIGINS: `http://127.0.0.1:${PORTS.customer},http://127.0.0.1:${PORTS.staff},http://localhost:${PORTS.customer},http://localhost:${PORTS.staff}`,
    LOG_LEVEL: 'warn',
  };
  console.log('» migrating and seeding the embedded database (first run posts a year of ledger history)…');
  await run('pnpm', ['--filter', '@lumi/api', 'seed'], apiEnv);
  const api = spawn('pnpm', ['--filter', '@lumi/api', 'start'], {
    cwd: root,
    env: { ...process.env, ...apiEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(api);
  const apiUrl = `http://127.0.0.1:${PORTS.api}`;
  await waitForReady(`${apiUrl}/readyz`, 60_000);

  const customer = await serveH5({
    root: path.join(root, 'apps/customer/dist/h5'),
    apiUrl,
    port: PORTS.customer,
    config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.customer, tenant: 'demo' },
  });
  const staff = await serveH5({
    root: path.join(root, 'apps/staff/dist/h5'),
    apiUrl,
    port: PORTS.staff,
    config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.staff },
  });

  console.log(`
Lumi is running with the demo salon 示例美容院:
  API           ${apiUrl}
  OpenAPI docs  ${apiUrl}/docs
  Customer H5   ${customer.url}   (微信一键登录（模拟）: openid demo-customer-001 is 林小雅; -002 … -200 are other members)
  Staff H5      ${staff.url}
  Simulator     ${sim.url}
  weapp builds  apps/customer/dist/weapp, apps/staff/dist/weapp (open them in WeChat DevTools)

Staff logins (password lumi-demo-2026):
  13800000001 陈店主 (owner)     13800000002 刘店长 (manager)
  13800000003 王美丽 (beautician) 13800000004 赵晓雪 (beautician)

Ctrl-C stops everything.`);

  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.allSettled([customer.close(), staff.close(), sim.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  api.on('exit', (code) => {
    console.error(`the API stopped (exit ${code})`);
    void stop();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
