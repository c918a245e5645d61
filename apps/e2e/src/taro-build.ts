import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { appDir, distDir, type MiniAppName, type TaroTarget } from './apps.ts';

export interface BuildResult {
  app: MiniAppName;
  target: TaroTarget;
  seconds: number;
}

/**
 * H5 is built in `test` mode (.env.test: no demo URLs; the harness injects the real ones). weapp is
 * built as released (`production`, the app's .env), so dist/weapp stays usable in WeChat DevTools.
 */
export type TaroMode = 'test' | 'production';

/**
 * `taro build --type <target> --mode <mode>` in the app's folder. The output folder is emptied first so
 * a failed build cannot leave an old bundle behind for the tests to pass on.
 */
export async function buildMiniApp(app: MiniAppName, target: TaroTarget, mode: TaroMode): Promise<BuildResult> {
  const started = performance.now();
  await rm(distDir(app, target), { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', CI: 'true' };
  // Vitest sets NODE_ENV=test; Taro must pick production itself (minified, like a release build).
  delete env.NODE_ENV;
  for (const key of Object.keys(env)) if (key.startsWith('TARO_APP_') || key.startsWith('VITEST')) delete env[key];

  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      path.join(appDir(app), 'node_modules', '.bin', 'taro'),
      ['build', '--type', target, '--mode', mode],
      { cwd: appDir(app), env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      // Taro can exit 0 after webpack reported errors, so the log is checked too.
      if (code === 0 && !/compiled with some errors|compiled with \d+ errors?|✖ Errors/i.test(text)) resolve();
      else
        reject(
          new Error(`taro build --type ${target} --mode ${mode} for ${app} failed (exit ${code}):\n${tail(text)}`),
        );
    });
  });
  return { app, target, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/** Runs the builds two at a time: CI has two cores, and each build is mostly one busy thread. */
export async function buildAll(
  jobs: readonly [MiniAppName, TaroTarget, TaroMode][],
  concurrency = 2,
): Promise<BuildResult[]> {
  const queue = [...jobs];
  const results: BuildResult[] = [];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) results.push(await buildMiniApp(...job));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return results;
}

function tail(text: string, lines = 60): string {
  // Drop the progress bar's redraws; keep what a person needs to see the error.
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('█'))
    .slice(-lines)
    .join('\n');
}
