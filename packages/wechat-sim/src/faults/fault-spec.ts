import { z } from 'zod';

/** Omitted = sticky until cleared; n = consumed after n matching uses. */
const times = z.number().int().positive().optional();
/** Restricts a notify fault to one event type, e.g. "REFUND.SUCCESS". */
const eventType = z.string().min(1).optional();
/**
 * Restricts a notify fault to one order's notifications (payment and refunds), a response fault to requests whose
 * JSON body names the order (`out_trade_no`: placing it, refunding it).
 */
const outTradeNo = z.string().min(1).optional();
/** "*" matches any run of characters, slashes included; the query string is ignored. */
const path = z.string().min(1);
const method = z.string().min(1).optional();
const phase = z.enum(['before', 'after']).default('before');

export const FaultSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('notify-duplicate'),
    copies: z.number().int().min(2).max(10).default(2),
    eventType,
    outTradeNo,
    times,
  }),
  z.object({
    kind: z.literal('notify-delay'),
    delayMs: z.number().int().min(0).max(600_000),
    eventType,
    outTradeNo,
    times,
  }),
  z.object({ kind: z.literal('notify-drop'), eventType, outTradeNo, times }),
  z.object({ kind: z.literal('notify-probe'), eventType, outTradeNo, times }),
  z.object({ kind: z.literal('notify-forged-signature'), eventType, outTradeNo, times }),
  z.object({
    kind: z.literal('notify-wrong-amount'),
    deltaFen: z.number().int().default(1),
    eventType,
    outTradeNo,
    times,
  }),
  z.object({ kind: z.literal('notify-clock-skew'), skewSeconds: z.number().int(), eventType, outTradeNo, times }),
  z.object({
    kind: z.literal('response-error'),
    path,
    method,
    status: z.number().int().min(400).max(599).default(500),
    code: z.string().min(1).default('SYSTEM_ERROR'),
    message: z.string().min(1).default('系统错误'),
    outTradeNo,
    phase,
    times,
  }),
  z.object({
    kind: z.literal('response-hang'),
    path,
    method,
    hangMs: z.number().int().min(0).default(60_000),
    outTradeNo,
    phase,
    times,
  }),
  z.object({ kind: z.literal('response-bad-signature'), path, method, times }),
  /**
   * A bill download that does not match its signed application: 'file' changes one digit of the file served (it
   * still reads as a bill), 'hash' spoils the hash_value handed out. Restricted to the trade or the fund-flow bill.
   */
  z.object({
    kind: z.literal('bill-corrupt'),
    bill: z.enum(['trade', 'fund']).optional(),
    part: z.enum(['file', 'hash']).default('file'),
    times,
  }),
  z.object({
    kind: z.literal('response-clock-skew'),
    path: path.default('*'),
    method,
    skewSeconds: z.number().int(),
    times,
  }),
]);

export type FaultSpec = z.output<typeof FaultSpecSchema>;
export type FaultInput = z.input<typeof FaultSpecSchema>;
export type FaultKind = FaultSpec['kind'];
export type NotifyFaultKind = Extract<FaultKind, `notify-${string}`>;
export type ResponseFaultKind = Extract<FaultKind, `response-${string}`>;
