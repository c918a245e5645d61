import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLumiApi } from '@lumi/api/testing';
import { COUNTER_PAYMENT_PAGE } from '@lumi/shared';
import { startWechatSim } from '@lumi/wechat-sim';
import type { TestProject } from 'vitest/node';
import { APP_IDS, distDir } from './apps.ts';
import { API_PREFIX, type H5Server, serveH5 } from '@lumi/dev-server';
import { type BuildResult, buildAll } from './taro-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    customerUrl: string;
    staffUrl: string;
    apiUrl: string;
    simUrl: string;
    /** The demo salon's services, to open bills with (the API has no catalog route yet). */
    builds: BuildResult[];
  }
}

/**
 * Once per run: build both mini-programs for H5 (`--mode test`) and weapp, start the WeChat simulator
 * and the real API (fresh, seeded database), and serve each H5 build on its own port with the API
 * behind /api and the simulator's URL injected into index.html.
 */
export default async function setup(project: TestProject) {
  const started = performance.now();
  const closers: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const close of closers.reverse()) await close().catch((error) => console.error(error));
  };

  try {
    // The builds take the longest; the simulator and the API start while they run.
    const builds = buildAll([
      ['customer', 'h5', 'test'],
      ['staff', 'h5', 'test'],
      ['customer', 'weapp', 'production'],
      ['staff', 'weapp', 'production'],
    ]);
    const services = (async () => {
      // WeChat Pay: the simulator writes its merchant and platform keys here and the API reads them from here,
      // as in the local demo. timeScale makes a failed notification's retries come within seconds.
      const keysDir = await mkdtemp(path.join(tmpdir(), 'lumi-e2e-wechat-keys-'));
      closers.push(() => rm(keysDir, { recursive: true, force: true }));
      const sim = await startWechatSim({ port: 0, keysDir, timeScale: 0.01 });
      closers.push(() => sim.close());
      // The released customer mini-program has the counter's payment page: the 小程序码 may open it (check_path).
      sim.publishPages(APP_IDS.customer, [COUNTER_PAYMENT_PAGE]);
      const api = await startLumiApi({ wechatApiBase: sim.url, wechatPay: { baseUrl: sim.url, keysDir } });
      closers.push(() => api.close());
      return { sim, api };
    })();
    const [buildResults, { sim, api }] = await Promise.all([builds, services]);

    const servers: Record<'customer' | 'staff', H5Server> = {
      customer: await serveH5({
        root: distDir('customer', 'h5'),
        apiUrl: api.url,
        config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.customer, tenant: 'demo' },
      }),
      staff: await serveH5({
        root: distDir('staff', 'h5'),
        apiUrl: api.url,
        config: { api: API_PREFIX, wechatSim: sim.url, appId: APP_IDS.staff },
      }),
    };
    closers.push(
      () => servers.customer.close(),
      () => servers.staff.close(),
    );

    project.provide('customerUrl', servers.customer.url);
    project.provide('staffUrl', servers.staff.url);
    project.provide('apiUrl', api.url);
    project.provide('simUrl', sim.url);
    project.provide('builds', buildResults);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const timings = buildResults.map((b) => `${b.app}/${b.target} ${b.seconds}s`).join(', ');
    console.log(`[e2e] ready in ${seconds}s (builds: ${timings})`);
  } catch (error) {
    await teardown();
    throw error;
  }

  return teardown;
}
