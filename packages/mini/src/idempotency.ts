/**
 * Idempotency keys for money-moving requests (the API requires one: `request(..., { idempotencyKey })`).
 *
 * A key names one attempt at one action, chosen before the first send. Sending the same key again — a retry
 * after a timeout, a second tap after a cancelled payment sheet — gets the first answer back instead of a
 * second charge or a second order. A different action must get a different key: the API refuses another body
 * under a used key (IDEMPOTENCY_KEY_REUSED).
 */

/** The API accepts 8–128 of [A-Za-z0-9_-:.]. */
const KEY_PREFIX = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * A fresh key such as `topup-mcx1f3k2-4fzyo82j0b`. Uniqueness is all a key needs (it is no secret: it only
 * travels with the user's own bearer token), so time plus Math.random is enough and works in every WeChat base
 * library, where `crypto.getRandomValues` is not guaranteed.
 */
export function newIdempotencyKey(prefix = 'mp'): string {
  if (!KEY_PREFIX.test(prefix)) throw new Error(`idempotency key prefix "${prefix}" must be 1–32 of [A-Za-z0-9_-]`);
  const random = () => Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `${prefix}-${Date.now().toString(36)}-${random()}${random()}`;
}

export interface AttemptKeys {
  /**
   * The key for sending `request`: the same request as last time (a retry) gets the same key, any other
   * request starts a new attempt with a new key. Requests are compared by their JSON.
   */
  keyFor(request: unknown): string;
  /** The attempt is over (it succeeded, or its order can no longer be paid): the next send is a new attempt. */
  finish(): void;
}

/** Keeps one attempt's key per screen, e.g. one per top-up page. */
export function createAttemptKeys(prefix?: string): AttemptKeys {
  let current: { fingerprint: string; key: string } | null = null;
  return {
    keyFor(request) {
      const fingerprint = JSON.stringify(request) ?? '';
      if (current?.fingerprint !== fingerprint) current = { fingerprint, key: newIdempotencyKey(prefix) };
      return current.key;
    },
    finish() {
      current = null;
    },
  };
}
