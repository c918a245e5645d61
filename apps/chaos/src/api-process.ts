import { writeFileSync } from 'node:fs';
import { type ApiProcess, startApiProcess, waitFor } from '@lumi/api/testing/bank';
import { sleep } from './sleep.ts';

export interface Death {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: string;
  /** The end of the process's output, to see why it went. */
  logTail: string;
}

/** Children still running when this process exits (a test timed out) are killed, not left behind. */
const live = new Set<ApiProcess>();
process.once('exit', () => {
  for (const api of live) api.child.kill('SIGKILL');
});

/** The end of a crash report, without an error's many `field: undefined` lines. */
const tail = (output: string) =>
  output
    .split('\n')
    .slice(-60)
    .filter((l) => !/^\s+\w+: undefined,?$/.test(l))
    .slice(-20)
    .join('\n');

/**
 * One real API process under supervision (the server production runs, started by the API's own test kit). Every
 * exit the test did not ask for is recorded as a death; the supervisor then starts it again, as a process
 * manager would, so the workload keeps two processes to fail over between. A restart may get a new port: clients
 * and the notify proxy read `url` on every attempt.
 */
export class SupervisedApi {
  private current: ApiProcess | null = null;
  private readonly started: ApiProcess[] = [];
  private expectingExit = false;
  private restarts = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly deaths: Death[],
    private readonly maxRestarts = 10,
  ) {}

  get url(): string {
    return this.current?.baseUrl ?? 'http://127.0.0.1:9';
  }

  get running(): boolean {
    return this.current !== null && this.current.exited() === null;
  }

  /** Starts the process and waits until it answers /healthz; one that exits meanwhile is a death. */
  async start(readyTimeoutMs = 120_000): Promise<void> {
    this.expectingExit = false;
    const api = await startApiProcess(this.env);
    this.current = api;
    this.started.push(api);
    live.add(api);
    api.child.once('exit', (code, signal) => {
      live.delete(api);
      if (this.expectingExit) return;
      this.deaths.push({ name: this.name, code, signal, at: new Date().toISOString(), logTail: tail(api.output()) });
      void this.revive();
    });
    await waitFor(
      `${this.name} to answer /healthz`,
      async () =>
        api.exited() !== null || (await fetch(`${api.baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok,
      readyTimeoutMs,
    );
    if (api.exited()) throw new Error(`${this.name} exited while starting:\n${tail(api.output())}`);
  }

  /** Restarts a process that died on its own (bounded, so one that cannot start does not loop forever). */
  private async revive(): Promise<void> {
    if (this.restarts >= this.maxRestarts) return;
    this.restarts += 1;
    await sleep(500);
    await this.start().catch(() => {});
  }

  /** SIGKILL, as a crash or the OOM killer would: no draining, no closing of connections. */
  async kill(): Promise<void> {
    const api = this.current;
    if (!api || api.exited()) return;
    this.expectingExit = true;
    const exited = new Promise((resolve) => api.child.once('exit', resolve));
    api.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM (the server drains and exits), then keeps what every start of it printed in the log file. */
  async close(): Promise<void> {
    this.expectingExit = true;
    await this.current?.stop();
    writeFileSync(this.logFile, this.started.map((api) => api.output()).join('\n──── restarted ────\n'));
  }
}
