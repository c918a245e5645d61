import path from 'node:path';
import type { BuildCache } from './build-cache.ts';
import { BuildStamp, hashBuildInputs } from './build-stamp.ts';
import type { Children } from './child-processes.ts';

export type MiniApp = 'customer' | 'staff';
export type MiniTarget = 'h5' | 'weapp';

/** The file each target's build always writes; its absence means there is no build. */
const MARKERS: Record<MiniTarget, string> = { h5: 'index.html', weapp: 'app.json' };

// Taro can exit 0 after webpack reported errors (apps/e2e/src/taro-build.ts checks the same).
const BUILD_ERRORS = /compiled with some errors|compiled with \d+ errors?|✖ Errors/i;

export interface BuildOutcome {
  app: MiniApp;
  target: MiniTarget;
  /** Built now, kept (dist already held a build of the same inputs) or copied from the user's build cache. */
  from: 'build' | 'kept' | 'cache';
  seconds: number;
}

/**
 * `taro build --type <target>` (production mode, the app's .env) for one app, skipped when dist/<target>
 * was built from the same sources and settings (see BuildStamp), so a second `npm start` starts at once, or
 * copied from `cache` when a build of the same inputs was kept there (another clone of the same sources).
 */
export async function buildMiniApp(
  children: Children,
  root: string,
  app: MiniApp,
  target: MiniTarget,
  cache?: BuildCache,
): Promise<BuildOutcome> {
  const started = performance.now();
  const appDir = path.join(root, 'apps', app);
  const dist = path.join(appDir, 'dist');
  const stamp = new BuildStamp(path.join(dist, '.stamps', target), path.join(dist, target, MARKERS[target]));
  const inputs = await hashBuildInputs(
    {
      root,
      dirs: [path.join('apps', app), path.join('packages', 'mini'), path.join('packages', 'shared')],
      files: ['pnpm-lock.yaml'],
    },
    { target, NODE_ENV: process.env.NODE_ENV, ...taroOverrides(), ...minifier(target) },
  );
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  if (await stamp.matches(inputs)) return { app, target, from: 'kept', seconds: seconds() };

  await stamp.clear();
  const output = path.join(dist, target);
  if (await cache?.restore(`${app}-${target}`, inputs, output)) {
    await stamp.write(inputs);
    return { app, target, from: 'cache', seconds: seconds() };
  }
  let errors = false;
  await children.run(
    `${app} ${target}`,
    path.join(appDir, 'node_modules', '.bin', 'taro'),
    ['build', '--type', target],
    {
      cwd: appDir,
      env: minifier(target),
      onLine: (line) => {
        errors ||= BUILD_ERRORS.test(line);
      },
    },
  );
  if (children.isStopping) return { app, target, from: 'build', seconds: seconds() };
  if (errors) throw new Error(`${app} ${target}: the build reported errors (see the lines above)`);
  await stamp.write(inputs);
  // A copy that cannot be kept only costs the next clone a build.
  await cache?.keep(`${app}-${target}`, inputs, output).catch(() => {});
  return { app, target, from: 'build', seconds: seconds() };
}

/**
 * The demo's H5 builds minify with esbuild (packages/mini/taro-config.cjs): they are what the URLs wait for on a first
 * run. Part of the build's inputs, so a build minified otherwise (e.g. by terser) is not kept in its place.
 */
const minifier = (target: MiniTarget): Record<string, string> =>
  target === 'h5' ? { LUMI_H5_MINIFIER: 'esbuild' } : {};

/** Shell variables named in an app's .env override it at build time (see apps/customer/.env). */
function taroOverrides(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('TARO_APP_')));
}

const DESCRIBED: Record<BuildOutcome['from'], (seconds: number) => string> = {
  build: (seconds) => `built in ${seconds} s`,
  kept: () => 'unchanged since the last build, kept',
  cache: (seconds) => `copied from an earlier build of the same sources (${seconds} s)`,
};

export function describeBuilds(outcomes: readonly BuildOutcome[]): string {
  return outcomes.map((o) => `${o.app} ${DESCRIBED[o.from](o.seconds)}`).join(', ');
}
