import { describe, expect, it } from 'vitest';
import { createAttemptKeys, newIdempotencyKey } from './idempotency.ts';

/** What the API's idempotency plugin accepts. */
const API_KEY_PATTERN = /^[A-Za-z0-9_\-:.]{8,128}$/;

describe('idempotency keys', () => {
  it('are fresh every time and in the alphabet the API accepts', () => {
    const keys = new Set(Array.from({ length: 500 }, () => newIdempotencyKey('topup')));
    expect(keys.size).toBe(500);
    for (const key of keys) {
      expect(key).toMatch(API_KEY_PATTERN);
      expect(key.startsWith('topup-')).toBe(true);
    }
  });

  it('refuse a prefix that would make an invalid key', () => {
    expect(() => newIdempotencyKey('充值')).toThrow();
    expect(() => newIdempotencyKey('')).toThrow();
  });

  it('keep one key per attempt: the same request reuses it, another request or a finished attempt gets a new one', () => {
    const keys = createAttemptKeys('pay');
    const first = keys.keyFor({ planId: 'p1' });
    expect(keys.keyFor({ planId: 'p1' })).toBe(first);

    const other = keys.keyFor({ amountFen: 50_000 });
    expect(other).not.toBe(first);
    // Going back to the first choice is a new attempt: its old key now belongs to an abandoned order.
    expect(keys.keyFor({ planId: 'p1' })).not.toBe(first);

    const current = keys.keyFor({ planId: 'p1' });
    keys.finish();
    expect(keys.keyFor({ planId: 'p1' })).not.toBe(current);
  });
});
