import { sleep } from './sleep.ts';
import type { Random } from './random.ts';

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many routes; each operation reads what it needs.
  body: any;
  attempts: number;
}

export interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token: string;
  body?: unknown;
  /** Sent on every attempt of this call: a retry is the same request. */
  idempotencyKey?: string;
}

export interface TrafficStats {
  requests: number;
  attempts: number;
  retried: number;
  acknowledged: number;
  rejected: number;
  /** Attempts that failed: no connection, a timeout, or a 5xx. */
  failures: { network: number; timeout: number; status5xx: number };
  /** 5xx answers by status and error code, to tell retryable ones (503 DATABASE_UNAVAILABLE…) from defects (500). */
  codes5xx: Record<string, number>;
}

export const newTrafficStats = (): TrafficStats => ({
  requests: 0,
  attempts: 0,
  retried: 0,
  acknowledged: 0,
  rejected: 0,
  failures: { network: 0, timeout: 0, status5xx: 0 },
  codes5xx: {},
});

const ATTEMPT_TIMEOUT_MS = 8_000;

/**
 * A till or a phone talking to the API through a load balancer: each attempt goes to the next API process; a
 * connection error, a timeout or a 5xx is retried with the same Idempotency-Key (backing off) until an answer that
 * settles it — 2xx or 4xx — or until `deadline`, when the call is left unacknowledged (null) to resolve later.
 */
export class BankHttp {
  constructor(
    private readonly urls: () => string[],
    readonly stats: TrafficStats,
    private readonly rng: Random,
  ) {}

  async send(call: Call, deadline: number): Promise<Reply | null> {
    this.stats.requests += 1;
    let turn = this.rng.int(0, 1);
    for (let attempt = 1; ; attempt++) {
      if (attempt === 2) this.stats.retried += 1;
      if (attempt > 1 && Date.now() >= deadline) return null;
      this.stats.attempts += 1;
      // Read on every attempt: a restarted process may listen on a new port.
      const urls = this.urls();
      const base = urls[turn++ % urls.length];
      const outcome = await this.attempt(base ?? '', call);
      if (outcome) {
        if (outcome.status < 500) {
          this.stats.acknowledged += 1;
          if (outcome.status >= 400) this.stats.rejected += 1;
          return { ...outcome, attempts: attempt };
        }
        this.stats.failures.status5xx += 1;
        const code = `${outcome.status} ${outcome.body?.error?.code ?? ''}`.trim();
        this.stats.codes5xx[code] = (this.stats.codes5xx[code] ?? 0) + 1;
      }
      await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)) + this.rng.int(0, 100));
    }
  }

  private async attempt(base: string, call: Call): Promise<Omit<Reply, 'attempts'> | null> {
    const headers: Record<string, string> = { authorization: `Bearer ${call.token}` };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    try {
      const res = await fetch(`${base}${call.path}`, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON (an HTML error page): keep the text
      }
      return { status: res.status, body };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') this.stats.failures.timeout += 1;
      else this.stats.failures.network += 1;
      return null;
    }
  }
}
