import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from './concurrency-limit.ts';

/** A task the test finishes when it chooses, recording that it started. */
function controlledTasks(count: number) {
  const started: number[] = [];
  const finish: (() => void)[] = [];
  const tasks = Array.from({ length: count }, (_, i) => () => {
    started.push(i);
    return new Promise<number>((resolve) => {
      finish[i] = () => resolve(i);
    });
  });
  return { started, finish, tasks };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrencyLimit', () => {
  it('runs at most the limit at once and starts the waiting in order as slots free', async () => {
    const run = concurrencyLimit(2);
    const { started, finish, tasks } = controlledTasks(5);
    const results = tasks.map((task) => run(task));
    await settle();
    expect(started).toEqual([0, 1]);
    finish[1]?.();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    finish[0]?.();
    finish[2]?.();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    finish[3]?.();
    finish[4]?.();
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3, 4]);
  });

  it('frees the slot of a task that fails', async () => {
    const run = concurrencyLimit(1);
    await expect(run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(run(() => Promise.resolve('next'))).resolves.toBe('next');
    const { started, tasks } = controlledTasks(2);
    void run(tasks[0] as () => Promise<number>);
    void run(tasks[1] as () => Promise<number>);
    await settle();
    expect(started).toEqual([0]);
  });
});
