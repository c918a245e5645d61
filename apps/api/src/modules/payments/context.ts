import { createHash, randomBytes } from 'node:crypto';
import type { PaymentPurposeName } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import type { LedgerDeps } from '../ledger/index.ts';
import type { PaymentPurpose } from './purposes.ts';
import { topUpPurpose } from './top-up-purpose.ts';
import type { WechatPayGateway } from './wechat-pay-client.ts';

export interface PaymentsLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** Everything the payments module works with, passed explicitly (no globals), so tests and jobs build their own. */
export interface Payments {
  db: Database;
  ledger: LedgerDeps;
  gateway: WechatPayGateway;
  purposes: ReadonlyMap<PaymentPurposeName, PaymentPurpose<never>>;
  orderTtlMinutes: number;
  /** Orders without a notification for this long are queried by reconciliation. */
  queryAfterMinutes: number;
  now(): Date;
  log: PaymentsLogger;
}

export interface PaymentsOptions extends Omit<Payments, 'purposes'> {
  /** Defaults to every purpose implemented so far; new purposes are added here. */
  purposes?: PaymentPurpose<never>[];
}

export function createPayments(options: PaymentsOptions): Payments {
  const purposes = options.purposes ?? [topUpPurpose];
  return { ...options, purposes: new Map(purposes.map((p) => [p.name, p])) };
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += ALPHABET[(bytes[i % bytes.length] ?? 0) % 32];
  return out;
}

/** Asia/Shanghai wall-clock digits, e.g. 20260110123456. */
function shanghaiStamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** L + Shanghai time + 10 random characters: 25 of WeChat's 6–32 allowed, sortable by time in the merchant portal. */
export function newOutTradeNo(at: Date): string {
  return `L${shanghaiStamp(at)}${base32(randomBytes(10), 10)}`;
}

/** Derived from the request's Idempotency-Key, so a retried refund request reuses the same out_refund_no. */
export function deriveOutRefundNo(tenantId: string, outTradeNo: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${tenantId}|${outTradeNo}|${idempotencyKey}`).digest();
  return `R${base32(digest, 31)}`;
}

/** RFC 3339 in Beijing time, the form WeChat's docs use for time_expire: 2026-01-10T12:34:56+08:00. */
export function beijingRfc3339(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}
