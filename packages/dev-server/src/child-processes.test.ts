import { afterEach, describe, expect, it, vi } from 'vitest';
import { Children } from './child-processes.ts';

const children = new Children();
const cwd = process.cwd();
afterEach(() => {
  vi.restoreAllMocks();
});

function captureConsole(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => {
    lines.push(line);
  });
  return lines;
}

describe('Children', () => {
  it('prints each output line plainly, prefixed with the label, and skips blank lines', async () => {
    const lines = captureConsole();
    const script = String.raw`printf '\033[32m● Webpack\033[0m done\n\n[seed] ready\n'`;
    await children.run('seed', 'sh', ['-c', script], { cwd });
    expect(lines).toEqual(['[seed] ● Webpack done', '[seed] ready']);
  });

  it('rejects with the label and the exit code when a command fails', async () => {
    captureConsole();
    await expect(children.run('customer h5', 'sh', ['-c', 'exit 3'], { cwd })).rejects.toThrow(
      'customer h5: sh -c exit 3 exited with 3',
    );
  });

  it('stops every running child with SIGTERM and waits for it', async () => {
    captureConsole();
    const group = new Children();
    const child = group.start('api', 'sleep', ['300'], { cwd });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await group.stopAll();
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
    expect(await exited).toBe('SIGTERM');
    expect(group.isStopping).toBe(true);
  });
});
