import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Sees every output line (after the escape codes are dropped), e.g. to spot build errors. */
  onLine?: (line: string) => void;
}

// Colour and cursor sequences (CSI … letter) and bare carriage-return redraws make a log file unreadable.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is being removed.
const ESCAPES = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * The demo's child processes. Each runs in its own process group, so a Ctrl-C in the terminal reaches
 * only the demo, which then stops them in order (the API drains, the builds end) instead of every process
 * dying at once and reporting a failure. Their output is piped, so tools print plain lines (no progress
 * bars, no colour), and each line is prefixed with the child's label.
 */
export class Children {
  private readonly live = new Set<ChildProcess>();
  private stopping = false;

  get isStopping(): boolean {
    return this.stopping;
  }

  start(label: string, command: string, args: readonly string[], options: ChildOptions): ChildProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.live.add(child);
    child.on('exit', () => this.live.delete(child));
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (raw) => {
        const line = raw.replace(ESCAPES, '').trimEnd();
        if (line.trim() === '') return;
        options.onLine?.(line);
        console.log(line.startsWith(`[${label}]`) ? line : `[${label}] ${line}`);
      });
    }
    return child;
  }

  /**
   * Runs a command to its end; rejects on a non-zero exit unless the demo is stopping. Settles on 'close',
   * after the last output line was seen, so onLine has seen them all.
   */
  run(label: string, command: string, args: readonly string[], options: ChildOptions): Promise<void> {
    const child = this.start(label, command, args, options);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code === 0 || this.stopping) resolve();
        else reject(new Error(`${label}: ${command} ${args.join(' ')} exited with ${code ?? signal}`));
      });
    });
  }

  /** SIGTERM to every child's process group, then waits for each child to exit. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const exits = [...this.live].map(
      (child) =>
        new Promise<void>((resolve) => (child.exitCode === null ? child.on('exit', () => resolve()) : resolve())),
    );
    this.signalAll('SIGTERM');
    await Promise.all(exits);
  }

  /** Last resort when the demo itself exits: leave no process group behind. */
  signalAll(signal: NodeJS.Signals): void {
    for (const child of this.live) {
      if (child.pid === undefined) continue;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    }
  }
}
