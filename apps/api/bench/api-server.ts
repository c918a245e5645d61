/**
 * The API as it runs in production: a child process of its own (`node dist/server/index.mjs`, compiled by
 * scripts/build.ts), so its resident memory is its own and not the load generator's, listening on a loopback port.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { freePort } from '../src/testing/api-process.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ApiProcess {
  url: string;
  /** The most memory the process has held resident so far (VmHWM), in MB. */
  peakRssMb(): Promise<number>;
  /** CPU seconds the process has used so far (user + system). */
  cpuSeconds(): Promise<number>;
  /** The last lines the process wrote to stderr and stdout (warnings and errors: LOG_LEVEL=warn). */
  logTail(): string[];
  stop(): Promise<void>;
}

const apiRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

async function statusKb(pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
}

/** Starts the API with `env` on top of this process's environment and waits until /readyz answers 200. */
export async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  // BENCH_API_NODE_ARGS adds node options to the API's process only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // As production starts it: the compiled server (`pnpm build`, built here from the current source), or with
  // BENCH_API_TSX=1 the TypeScript through tsx, to compare.
  const underTsx = process.env.BENCH_API_TSX === '1';
  if (!underTsx)
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: apiRoot, stdio: 'inherit' });
  const entry = underTsx ? ['--import', 'tsx', 'src/server.ts'] : ['dist/server/index.mjs'];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: apiRoot,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) tail.push(line);
    tail.splice(0, Math.max(0, tail.length - 50));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}):\n${tail.join('\n')}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (tries > 300) throw new Error(`the API did not become ready:\n${tail.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    peakRssMb: async () => (await statusKb(child.pid!, 'VmHWM')) / 1024,
    async cpuSeconds() {
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime and stime in clock ticks.
      const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    logTail: () => [...tail],
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
