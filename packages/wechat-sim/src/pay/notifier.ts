import { EventEmitter } from 'node:events';
import { compactBeijingStamp, formatBeijingTime } from '../beijing-time.ts';
import type { SimClock } from '../clock.ts';
import { encryptResource } from '../crypto/aes-gcm.ts';
import { getForgeryKey } from '../crypto/forgery-key.ts';
import type { FaultBook } from '../faults/fault-book.ts';
import type { SigningKeyRing } from '../keys/signing-key-ring.ts';
import { randomAlphanumeric, randomDigits, randomRequestId } from '../random-ids.ts';
import type { SimTimers } from '../sim-timers.ts';
import { postNotification } from './notify-delivery.ts';
import { signWechatpayMessage } from './response-signing.ts';

/** WeChat's documented retry gaps after a failed notify, in seconds (24h4m in all). */
export const NOTIFY_RETRY_SCHEDULE_SECONDS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
] as const;

/**
 * How long waitFor waits by default. It resolves the moment the notification gets there, so this only decides when
 * a test gives up: long enough for a busy shared machine, where one delivery (sign, post, the receiver's verify
 * and transaction) can take seconds.
 */
const WAIT_FOR_DEFAULT_MS = 60_000;

export type NotificationStatus = 'pending' | 'acked' | 'gave-up' | 'dropped';
export type NotifyEventType = 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';

export interface DeliveryAttempt {
  /** 1 for the first delivery, 2 for the first retry, …; a probe or duplicate shares its delivery's number. */
  attempt: number;
  kind: 'delivery' | 'duplicate' | 'probe';
  signature: 'valid' | 'forged' | 'probe';
  serial: string;
  at: string;
  statusCode?: number;
  error?: string;
  /** A 2xx answer. For a probe or forged signature this means the receiver failed to reject it. */
  acked: boolean;
  durationMs: number;
  amountDeltaFen?: number;
  timestampSkewSeconds?: number;
}

export interface NotificationRecord {
  id: string;
  eventType: NotifyEventType;
  url: string;
  outTradeNo: string;
  outRefundNo?: string;
  createdAt: string;
  status: NotificationStatus;
  attempts: DeliveryAttempt[];
  /** The plaintext that was encrypted into resource.ciphertext. */
  resource: Record<string, unknown>;
}

export interface NotifyInput {
  eventType: NotifyEventType;
  summary: string;
  originalType: 'transaction' | 'refund';
  url: string;
  resource: Record<string, unknown>;
  outTradeNo: string;
  outRefundNo?: string;
}

export interface NotificationFilter {
  outTradeNo?: string;
  outRefundNo?: string;
  eventType?: string;
}

export interface WaitForNotificationOptions extends NotificationFilter {
  /** Statuses that end the wait; defaults to every final one (acked, gave-up, dropped). */
  until?: NotificationStatus[];
  minAttempts?: number;
  timeoutMs?: number;
}

export interface Notifier {
  notify(input: NotifyInput): NotificationRecord;
  records(filter?: NotificationFilter): NotificationRecord[];
  waitFor(options: WaitForNotificationOptions): Promise<NotificationRecord>;
}

export interface NotifierDeps {
  clock: SimClock;
  ring: SigningKeyRing;
  apiV3Key: string;
  faults: FaultBook;
  timers: SimTimers;
  timeScale: number;
  timeoutMs: number;
}

function withAmountDelta(resource: Record<string, unknown>, originalType: NotifyInput['originalType'], delta: number) {
  const amount = { ...(resource.amount as Record<string, number>) };
  const fields = originalType === 'transaction' ? ['total', 'payer_total'] : ['refund', 'payer_refund'];
  for (const field of fields) if (typeof amount[field] === 'number') amount[field] += delta;
  return { ...resource, amount };
}

const matchesFilter = (record: NotificationRecord, filter: NotificationFilter) =>
  (filter.outTradeNo === undefined || record.outTradeNo === filter.outTradeNo) &&
  (filter.outRefundNo === undefined || record.outRefundNo === filter.outRefundNo) &&
  (filter.eventType === undefined || record.eventType === filter.eventType);

export function createNotifier(deps: NotifierDeps): Notifier {
  const records: NotificationRecord[] = [];
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const changed = () => changes.emit('change');

  const envelope = (record: NotificationRecord, input: NotifyInput, resource: Record<string, unknown>) =>
    JSON.stringify({
      id: record.id,
      create_time: record.createdAt,
      resource_type: 'encrypt-resource',
      event_type: input.eventType,
      summary: input.summary,
      resource: {
        original_type: input.originalType,
        ...encryptResource(JSON.stringify(resource), deps.apiV3Key, randomAlphanumeric(12), input.originalType),
      },
    });

  async function send(
    record: NotificationRecord,
    body: string,
    attempt: Omit<DeliveryAttempt, 'at' | 'acked' | 'durationMs' | 'serial'>,
  ): Promise<boolean> {
    const key = deps.ring.notifyKey();
    const skew = attempt.timestampSkewSeconds ?? 0;
    const headers = signWechatpayMessage(body, {
      key,
      timestampSeconds: deps.clock.nowSeconds() + skew,
      probe: attempt.signature === 'probe',
      ...(attempt.signature === 'forged' ? { substituteKey: await getForgeryKey() } : {}),
    });
    const at = new Date(deps.clock.now()).toISOString();
    const outcome = await postNotification(
      record.url,
      {
        'Content-Type': 'application/json',
        'Request-ID': randomRequestId(),
        'User-Agent': 'Mozilla/4.0',
        'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
        ...headers,
      },
      body,
      deps.timeoutMs,
      deps.timers.signal,
    );
    const acked = outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
    record.attempts.push({ ...attempt, serial: key.serial, at, acked, ...outcome });
    changed();
    return acked;
  }

  async function deliver(record: NotificationRecord, input: NotifyInput): Promise<void> {
    const target = { eventType: input.eventType, outTradeNo: input.outTradeNo };
    if (deps.faults.take('notify-drop', target)) {
      record.status = 'dropped';
      changed();
      return;
    }
    const delay = deps.faults.take('notify-delay', target);
    if (delay && !(await deps.timers.sleep(delay.delayMs))) return;
    const genuineBody = envelope(record, input, input.resource);
    if (deps.faults.take('notify-probe', target)) {
      await send(record, genuineBody, { attempt: 1, kind: 'probe', signature: 'probe' });
    }
    const duplicate = deps.faults.take('notify-duplicate', target);
    for (let attempt = 1; attempt <= NOTIFY_RETRY_SCHEDULE_SECONDS.length + 1; attempt += 1) {
      if (deps.timers.signal.aborted) return;
      const wrongAmount = deps.faults.take('notify-wrong-amount', target);
      const forged = deps.faults.take('notify-forged-signature', target);
      const skew = deps.faults.take('notify-clock-skew', target);
      const body = wrongAmount
        ? envelope(record, input, withAmountDelta(input.resource, input.originalType, wrongAmount.deltaFen))
        : genuineBody;
      const shape = {
        attempt,
        signature: forged ? ('forged' as const) : ('valid' as const),
        ...(wrongAmount ? { amountDeltaFen: wrongAmount.deltaFen } : {}),
        ...(skew ? { timestampSkewSeconds: skew.skewSeconds } : {}),
      };
      const copies = attempt === 1 && duplicate ? duplicate.copies : 1;
      // Copies go out concurrently, as WeChat's duplicates do, to exercise the receiver's locking.
      const answers = await Promise.all(
        Array.from({ length: copies }, (_, i) =>
          send(record, body, { ...shape, kind: i === 0 ? 'delivery' : 'duplicate' }),
        ),
      );
      if (answers.some(Boolean)) {
        record.status = 'acked';
        changed();
        return;
      }
      const gapSeconds = NOTIFY_RETRY_SCHEDULE_SECONDS[attempt - 1];
      if (gapSeconds === undefined) break;
      if (!(await deps.timers.sleep(gapSeconds * 1000 * deps.timeScale))) return;
    }
    record.status = 'gave-up';
    changed();
  }

  return {
    notify: (input) => {
      const record: NotificationRecord = {
        id: `EV-${compactBeijingStamp(deps.clock.now())}${randomDigits(7)}`,
        eventType: input.eventType,
        url: input.url,
        outTradeNo: input.outTradeNo,
        ...(input.outRefundNo === undefined ? {} : { outRefundNo: input.outRefundNo }),
        createdAt: formatBeijingTime(deps.clock.now()),
        status: 'pending',
        attempts: [],
        resource: input.resource,
      };
      records.push(record);
      changed();
      void deliver(record, input);
      return record;
    },
    records: (filter = {}) => records.filter((record) => matchesFilter(record, filter)),
    waitFor: (options) => {
      const until = options.until ?? ['acked', 'gave-up', 'dropped'];
      const done = () =>
        records.find(
          (record) =>
            matchesFilter(record, options) &&
            until.includes(record.status) &&
            record.attempts.length >= (options.minAttempts ?? 0),
        );
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = done();
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no notification matching ${JSON.stringify(options)} within ${options.timeoutMs ?? WAIT_FOR_DEFAULT_MS} ms`,
            ),
          );
        }, options.timeoutMs ?? WAIT_FOR_DEFAULT_MS);
        const cleanup = () => {
          clearTimeout(timer);
          changes.off('change', check);
        };
        changes.on('change', check);
        check();
      });
    },
  };
}
