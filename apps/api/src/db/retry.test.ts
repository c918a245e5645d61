import { describe, expect, it } from 'vitest';
import { isConnectionError } from './pg-errors.ts';
import { retryWhileUnreachable } from './retry.ts';

const quiet = { warn: () => {} };
const dropped = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('isConnectionError', () => {
  it('knows a lost or refused connection, also wrapped by drizzle, from a wrong statement', () => {
    expect(isConnectionError(dropped)).toBe(true);
    expect(isConnectionError(new Error('Failed query', { cause: dropped }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionError(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toBe(
      false,
    );
    expect(isConnectionError(undefined)).toBe(false);
  });
});

describe('retryWhileUnreachable', () => {
  it('tries again while the database is unreachable and returns the first answer', async () => {
    let calls = 0;
    const result = await retryWhileUnreachable(
      'test',
      async () => {
        calls++;
        if (calls < 3) throw dropped;
        return 'up';
      },
      quiet,
      { firstDelayMs: 1 },
    );
    expect(result).toBe('up');
    expect(calls).toBe(3);
  });

  it('throws any other error at once', async () => {
    let calls = 0;
    const wrong = Object.assign(new Error('migrations behind'), { code: 'XX000' });
    await expect(
      retryWhileUnreachable(
        'test',
        async () => {
          calls++;
          throw wrong;
        },
        quiet,
        { firstDelayMs: 1 },
      ),
    ).rejects.toBe(wrong);
    expect(calls).toBe(1);
  });

  it('stops waiting when asked to', async () => {
    const stop = new AbortController();
    const waiting = retryWhileUnreachable(
      'test',
      async () => {
        stop.abort();
        throw dropped;
      },
      quiet,
      { firstDelayMs: 60_000, signal: stop.signal },
    );
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
