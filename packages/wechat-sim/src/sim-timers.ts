import { setMaxListeners } from 'node:events';

/**
 * Every delayed thing the simulator does (notify retries, refund completion, hung responses) goes
 * through here, so close() can cancel them all and a test run never leaves timers behind.
 */
export interface SimTimers {
  /** Resolves true after ms, or false as soon as the simulator closes. */
  sleep(ms: number): Promise<boolean>;
  after(ms: number, task: () => void | Promise<void>): void;
  readonly signal: AbortSignal;
  closeAll(): void;
}

export function createSimTimers(): SimTimers {
  const controller = new AbortController();
  // Every pending sleep and in-flight notify listens on this one signal; hundreds at once are normal.
  setMaxListeners(0, controller.signal);
  const pending = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (controller.signal.aborted) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        pending.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        pending.delete(timer);
        controller.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      pending.add(timer);
      controller.signal.addEventListener('abort', onAbort, { once: true });
    });

  return {
    sleep,
    after: (ms, task) => {
      void sleep(ms).then(async (elapsed) => {
        if (elapsed) await task();
      });
    },
    signal: controller.signal,
    closeAll: () => {
      controller.abort();
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
