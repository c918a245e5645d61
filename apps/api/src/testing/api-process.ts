import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A free loopback port, as the OS hands one out (tests, the simulator kits and the benchmarks share this one). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface ApiProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything the process printed so far (pino JSON lines and anything else). */
  output(): string;
  /** The exit code or signal once it has exited; null while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Stops it (SIGTERM, then SIGKILL) and waits for the exit. */
  stop(): Promise<void>;
}

const serverEntry = fileURLToPath(new URL('../server.ts', import.meta.url));
/** The api package folder, where `tsx` resolves. */
const apiRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real API server as its own process (what production runs), for tests of what must never kill it: faults
 * in the database connection, restarts, start-up before the database is up.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    cwd: apiRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const exitedPromise = once(child, 'exit').then(([code, signal]) => {
    exit = { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => printed,
    exited: () => exit,
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exitedPromise;
      clearTimeout(killer);
    },
  };
}

/** Polls `check` until it returns true, failing after `timeoutMs` with `what` in the message. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
