import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import type { AppConfig } from '../config/index.ts';
import type { DatabaseHandle } from '../db/database.ts';

export interface DemoStaff {
  id: string;
  role: 'owner' | 'manager' | 'beautician';
  storeIds: string[];
}

/**
 * The seed's hands at the till: the real API, built in-process with a clock the seed moves, and called the way
 * the staff and customer mini-programs call it. Bills, credit, coupons, tiers and campaigns then go through every
 * rule, hook, audit record and notice exactly as they would in the salon — the seed never writes those rows.
 */
export class DemoTill {
  private constructor(
    readonly app: FastifyInstance,
    readonly config: AppConfig,
    private readonly tenantId: string,
    private readonly clock: { at: Date },
  ) {}

  static async open(config: AppConfig, database: DatabaseHandle, tenantId: string, clock: { at: Date }) {
    // Warnings only: the seed's own refusals (an empty wallet) are expected and handled by the caller.
    const app = await buildApp({ config: { ...config, LOG_LEVEL: 'silent' }, database, now: () => clock.at });
    await app.ready();
    return new DemoTill(app, config, tenantId, clock);
  }

  get now(): Date {
    return this.clock.at;
  }

  set now(at: Date) {
    this.clock.at = at;
  }

  /** Requests as this staff member; `key` is the Idempotency-Key a retrying mini-program would resend. */
  as(member: DemoStaff) {
    const token = this.app.jwt.sign({
      kind: 'staff',
      sub: member.id,
      tenantId: this.tenantId,
      role: member.role,
      storeIds: member.storeIds,
    });
    return this.client(token);
  }

  /** Requests as the customer, from her mini-program. */
  asCustomer(customerId: string) {
    return this.client(this.app.jwt.sign({ kind: 'customer', sub: customerId, tenantId: this.tenantId }));
  }

  /** One counter for every request the seed makes: keys never repeat and are the same on every run. */
  private serial = 0;

  private client(token: string) {
    const send = async <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object): Promise<T> => {
      const res = await this.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(method === 'POST' ? { 'idempotency-key': `demo-seed-${this.serial++}` } : {}),
        },
        ...(payload === undefined ? {} : { payload }),
      });
      if (res.statusCode >= 300) throw new TillError(method, url, res.statusCode, res.body);
      return (res.body ? res.json() : undefined) as T;
    };
    return {
      get: <T>(url: string) => send<T>('GET', url),
      post: <T>(url: string, payload: object = {}) => send<T>('POST', url, payload),
      put: <T>(url: string, payload: object) => send<T>('PUT', url, payload),
      patch: <T>(url: string, payload: object) => send<T>('PATCH', url, payload),
    };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export type TillClient = ReturnType<DemoTill['as']>;

/** An API refusal, with the code the seed may decide to live with (an empty wallet, a frozen line). */
export class TillError extends Error {
  readonly code: string | undefined;
  constructor(method: string, url: string, status: number, body: string) {
    super(`${method} ${url} → ${status} ${body.slice(0, 300)}`);
    try {
      this.code = (JSON.parse(body) as { error?: { code?: string }; code?: string }).error?.code;
    } catch {
      this.code = undefined;
    }
  }
}
