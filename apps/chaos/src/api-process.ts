import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './ports.ts';

const API_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../api');

export interface Death {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: string;
  /** The end of the process's log, to see why it went. */
  logTail: string;
}

/**
 * One real API process (`node --import tsx src/server.ts`, the same server production runs) on a fixed loopback
 * port. Every exit the test did not ask for is recorded as a death; the supervisor then starts it again, as a
 * process manager would, so the workload keeps both processes to fail over between.
 */
export class ApiProcess {
  private child: ChildProcess | null = null;
  private expectingExit = false;
  private log: WriteStream;
  restarts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    readonly logFile: string,
    private readonly deaths: Death[],
    private readonly maxRestarts = 10,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Spawns the process and waits until it answers /healthz; a process that exits meanwhile is a death. */
  async start(readyTimeoutMs = 90_000): Promise<void> {
    this.expectingExit = false;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: API_DIR,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.expectingExit) return;
      this.deaths.push({ name: this.name, code, signal, at: new Date().toISOString(), logTail: this.logTail() });
      void this.revive();
    });
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (this.child !== child) throw new Error(`${this.name} exited while starting; see ${this.logFile}`);
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.name} did not become ready within ${readyTimeoutMs} ms; see ${this.logFile}`);
  }

  /** Restarts a process that died on its own (bounded, so a process that cannot start does not loop forever). */
  private async revive(): Promise<void> {
    if (this.restarts >= this.maxRestarts) return;
    this.restarts += 1;
    await sleep(500);
    try {
      await this.start();
    } catch {
      // counted as another death by the exit handler
    }
  }

  /** SIGKILL, as a crash or the OOM killer would: no draining, no closing of connections. */
  kill(): Promise<void> {
    return this.stopWith('SIGKILL');
  }

  /** SIGTERM: the server drains in-flight requests and exits. */
  stop(): Promise<void> {
    return this.stopWith('SIGTERM');
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.expectingExit = true;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private logTail(): string {
    try {
      // The end of a crash report, without the error's many `field: undefined` lines.
      const lines = readFileSync(this.logFile, 'utf8').split('\n');
      return lines
        .slice(-60)
        .filter((l) => !/^\s+\w+: undefined,?$/.test(l))
        .slice(-20)
        .join('\n');
    } catch {
      return '';
    }
  }
}
