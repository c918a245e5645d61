import type { IncomingHttpHeaders } from 'node:http';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Payments } from './context.ts';
import { applyRefundStatus, RefundMismatch } from './refunds.ts';
import { completePayment, PaymentMismatch } from './service.ts';
import { paymentNotifications } from './tables.ts';
import type { WechatTransaction } from './wechat-pay-client.ts';

/** WeChat's deliberate bad signatures: a receiver that accepts one is not checking signatures (WECHAT.md §2). */
const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';
const MAX_CLOCK_SKEW_SECONDS = 300;

const EnvelopeSchema = z.object({
  id: z.string().min(1).max(64),
  event_type: z.string().min(1).max(64),
  resource_type: z.string().optional(),
  resource: z.object({
    original_type: z.string().optional(),
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1).max(64),
    associated_data: z.string().optional(),
  }),
});

const TransactionSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.string(),
  success_time: z.string().optional(),
  amount: z.object({ total: z.number().int(), payer_total: z.number().int().optional() }),
});

const RefundNoticeSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  out_refund_no: z.string(),
  refund_id: z.string().optional(),
  refund_status: z.enum(['SUCCESS', 'CLOSED', 'ABNORMAL', 'PROCESSING']),
  success_time: z.string().optional(),
  amount: z.object({ total: z.number().int(), refund: z.number().int() }),
});

interface LogEntry {
  tenantId?: string | null;
  eventId?: string | null;
  eventType?: string | null;
  serial?: string | null;
  verified: boolean;
  outcome: string;
  outTradeNo?: string | null;
  outRefundNo?: string | null;
  detail?: Record<string, unknown>;
}

const clip = (value: string | null | undefined, max = 64) => (value ? value.slice(0, max) : null);

async function record(payments: Payments, entry: LogEntry): Promise<void> {
  try {
    await payments.db.insert(paymentNotifications).values({
      tenantId: entry.tenantId ?? null,
      eventId: clip(entry.eventId),
      eventType: clip(entry.eventType),
      serial: clip(entry.serial),
      verified: entry.verified,
      outcome: entry.outcome,
      outTradeNo: clip(entry.outTradeNo),
      outRefundNo: clip(entry.outRefundNo),
      detail: entry.detail ?? {},
      receivedAt: payments.now(),
    });
  } catch (error) {
    // The log must never turn an acknowledged payment into a retry storm.
    payments.log.error({ err: error, outcome: entry.outcome }, 'could not log a WeChat Pay notification');
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Notifications refused before their signature verified, in this process (the log line carries the count). */
let unverifiedRejections = 0;

/** The event id an unverified body claims, for the log only. */
function claimedEventId(raw: string): string | null {
  const match = /"id"\s*:\s*"([^"]{1,64})"/.exec(raw.slice(0, 512));
  return match?.[1] ?? null;
}

/**
 * POST /payments/wechat/notify. Nothing is believed before the signature verifies: headers present, not a probe,
 * timestamp within ±300 s, the key chosen by Wechatpay-Serial (public-key or platform-certificate mode), RSA over
 * `ts\nnonce\nbody\n` of the exact bytes received. Then the resource is decrypted with the APIv3 key and checked
 * against the stored order before anything is posted. Returns normally for a 2xx acknowledgement; throws an
 * AppError (4xx) for anything WeChat should send again or that was not WeChat.
 */
export async function handleWechatNotification(
  payments: Payments,
  headers: IncomingHttpHeaders,
  raw: string,
): Promise<void> {
  const serial = header(headers, 'wechatpay-serial');
  const signature = header(headers, 'wechatpay-signature');
  const timestamp = header(headers, 'wechatpay-timestamp');
  const nonce = header(headers, 'wechatpay-nonce');
  const reject = (outcome: string, message: string): never => {
    // Anyone can post to the notify URL, so what does not verify is not stored (it would let anyone fill the
    // table): it is counted and traced in the log, where a flood or a misconfigured key shows.
    unverifiedRejections++;
    payments.log.warn(
      { outcome, serial: clip(serial), claimedEventId: claimedEventId(raw), rejectedSinceStart: unverifiedRejections },
      'refused a WeChat Pay notification that does not verify',
    );
    throw new AppError('NOTIFY_SIGNATURE_INVALID', message);
  };

  if (!serial || !signature || !timestamp || !nonce) return reject('rejected_headers', 'Wechatpay-* headers missing');
  if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) return reject('rejected_probe', 'signature probe');
  const nowSeconds = Math.floor(payments.now().getTime() / 1000);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return reject('rejected_timestamp', 'Wechatpay-Timestamp is too far from now');
  }
  const key = await payments.gateway.verificationKey(serial);
  if (!key) return reject('rejected_unknown_serial', 'Wechatpay-Serial is not a key we trust');
  let valid = false;
  try {
    valid = Rsa.verify(Formatter.response(timestamp, nonce, raw), signature, key);
  } catch {
    valid = false;
  }
  if (!valid) return reject('rejected_signature', 'Wechatpay-Signature does not verify');

  // From here on the bytes are WeChat's.
  const refuse = async (
    outcome: string,
    message: string,
    detail: Record<string, unknown>,
    more: Partial<LogEntry> = {},
  ) => {
    await record(payments, { verified: true, outcome, serial, detail, ...more });
    throw new AppError('NOTIFY_REJECTED', message);
  };
  let envelope: z.infer<typeof EnvelopeSchema>;
  try {
    envelope = EnvelopeSchema.parse(JSON.parse(raw));
  } catch {
    return refuse('rejected_malformed', 'not a WeChat Pay notification envelope', {});
  }
  const base = { serial, eventId: envelope.id, eventType: envelope.event_type };
  let plaintext: unknown;
  try {
    plaintext = JSON.parse(payments.gateway.decrypt(envelope.resource));
  } catch {
    return refuse('rejected_decrypt', 'the resource does not decrypt with our APIv3 key', {}, base);
  }

  if (envelope.event_type === 'TRANSACTION.SUCCESS') {
    const parsed = TransactionSchema.safeParse(plaintext);
    if (!parsed.success) return refuse('rejected_malformed', 'not a transaction', {}, base);
    const transaction = parsed.data as WechatTransaction;
    try {
      const { outcome, order } = await completePayment(payments, transaction, 'notify');
      await record(payments, {
        ...base,
        verified: true,
        outcome,
        tenantId: order?.tenantId ?? null,
        outTradeNo: transaction.out_trade_no,
        detail: { transactionId: transaction.transaction_id ?? null, amountTotal: transaction.amount.total },
      });
      if (outcome === 'unknown_order') {
        // Acknowledged: retrying for 24 h would not make an order we never created appear.
        payments.log.warn({ outTradeNo: transaction.out_trade_no }, 'WeChat notified a payment of an unknown order');
      }
      return;
    } catch (error) {
      if (!(error instanceof PaymentMismatch)) {
        // Not acknowledged: WeChat delivers again, and reconciliation queries the order meanwhile.
        await record(payments, { ...base, verified: true, outcome: 'failed', outTradeNo: transaction.out_trade_no });
        throw error;
      }
      payments.log.error(error.details, 'WeChat payment notification does not match the order');
      return refuse('rejected_mismatch', 'the notification does not match the order', error.details, {
        ...base,
        tenantId: typeof error.details.tenantId === 'string' ? error.details.tenantId : null,
        outTradeNo: transaction.out_trade_no,
      });
    }
  }

  if (envelope.event_type.startsWith('REFUND.')) {
    const parsed = RefundNoticeSchema.safeParse(plaintext);
    if (!parsed.success) return refuse('rejected_malformed', 'not a refund', {}, base);
    const notice = parsed.data;
    const more = { ...base, outTradeNo: notice.out_trade_no, outRefundNo: notice.out_refund_no };
    try {
      const { refund, changed } = await applyRefundStatus(payments, notice.out_refund_no, {
        ...notice,
        status: notice.refund_status,
      });
      await record(payments, {
        ...more,
        verified: true,
        tenantId: refund.tenantId,
        outcome: changed ? `refund_${refund.state.toLowerCase()}` : 'refund_duplicate',
      });
      return;
    } catch (error) {
      if (!(error instanceof RefundMismatch)) {
        await record(payments, { ...more, verified: true, outcome: 'failed' });
        throw error;
      }
      if (error.details.problem === 'unknown refund') {
        await record(payments, { ...more, verified: true, outcome: 'unknown_refund' });
        return;
      }
      payments.log.error(error.details, 'WeChat refund notification does not match the refund');
      return refuse('rejected_mismatch', 'the notification does not match the refund', error.details, {
        ...more,
        tenantId: typeof error.details.tenantId === 'string' ? error.details.tenantId : null,
      });
    }
  }

  await record(payments, { ...base, verified: true, outcome: 'ignored' });
}
