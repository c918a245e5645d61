import type { FaultInput } from '@lumi/wechat-sim';
import type { RefundFaultKind } from './faults.ts';
import type { BankHttp, Call, Reply } from './http-client.ts';
import type { Random } from './random.ts';

export interface TenantContext {
  tenantId: string;
  storeId: string;
  serviceId: string;
  /** The tenant's package plan (次卡). */
  packagePlanId: string;
  /** The shop's product (商城), in stock at the store, made before the faults start. */
  shopProductId: string;
  staffToken: string;
  managerToken: string;
}

export interface WechatOrderModel {
  outTradeNo: string;
  /** What the order pays for: a top-up (credits stored value), a bill's WeChat part, a shop order's. */
  purpose: 'top_up' | 'bill' | 'shop_order';
  amountFen: number;
  /** The customer paid it in WeChat (the simulator said so). */
  paid: boolean;
  /** The API said it is SUCCESS with its transfer (a top-up credited, a bill settled, a shop order paid). */
  completed: boolean;
  /** Refunds through WeChat the API acknowledged, each once: what WeChat must hold for this order. */
  refundsFen: number[];
  /** Refunds of this order that met a refund fault at WeChat (checked against Lumi and WeChat at the end). */
  faultedRefunds?: FaultedRefund[];
}

/** A refund request (by its Idempotency-Key) that WeChat's refund endpoint refused or failed on. */
export interface FaultedRefund {
  idempotencyKey: string;
  fault: RefundFaultKind;
  /** Whether the fault was met: a refund Lumi refused itself, or one never sent, never reaches it. */
  fired(): boolean;
}

/** A simulator fault armed for one request: whether it was met, and taking it away once the request is done. */
export interface ArmedFault {
  fired(): boolean;
  disarm(): void;
}

/**
 * What a customer's wallet must hold, built only from the requests the API acknowledged, each applied once:
 * stored value (principal + bonus), points, what they owe on credit. Nothing here is read back from the API.
 */
export interface CustomerModel {
  id: string;
  tenant: TenantContext;
  token: string;
  totalFen: number;
  points: number;
  owedFen: number;
  limitFen: number;
  /** Bonus ever granted by top-ups: the bonus balance is at most this, so principal >= totalFen - this. */
  bonusGrantedFen: number;
  /** Acknowledged spends not yet reversed: what reversing one gives back. */
  reversibleSpends: { transferId: number; amountFen: number; points: number }[];
  orders: WechatOrderModel[];
  /** Package cards sold to the customer (acknowledged) and the sessions each has left. */
  cards: { id: string; sessionsLeft: number }[];
}

/** The top-up offers the fixture tenants have (充1000送200, 充3000送800 + 300 points): the richest tier reached. */
export function topUpBonus(amountFen: number): { bonusFen: number; points: number } {
  if (amountFen >= 300_000) return { bonusFen: 80_000, points: 300 };
  if (amountFen >= 100_000) return { bonusFen: 20_000, points: 0 };
  return { bonusFen: 0, points: 0 };
}

/** Points earned on a spend or a bill: one per whole yuan (tenant default, no tier). */
export const pointsFor = (amountFen: number) => Math.floor(amountFen / 100);

/** A request that got no answer before the run ended: replayed with the same key once the faults stop. */
export interface PendingStep {
  describe: string;
  resolve(deadline: number): Promise<boolean>;
}

/** What every operation of one client (one customer's till and phone) works with. */
export interface ClientContext {
  customer: CustomerModel;
  http: BankHttp;
  rng: Random;
  /** The run's end for new requests: a call still unanswered then becomes pending. */
  deadline: number;
  pending: PendingStep | null;
  violations: string[];
  counts: Record<string, number>;
  payAtWechat(requestPayment: unknown): boolean;
  /** Adds a fault to the simulator (WeChat) for one request of this client. */
  armWechatFault(fault: FaultInput): ArmedFault;
}

/**
 * Sends a call; on an answer applies it to the model. Without one before the deadline the call is left pending,
 * to be replayed with the same key after the faults, and the client stops (its model is unknown until then).
 */
export async function callAndApply(
  ctx: ClientContext,
  call: Call,
  apply: (reply: Reply) => void | Promise<void>,
): Promise<boolean> {
  const reply = await ctx.http.send(call, ctx.deadline);
  if (reply) {
    await apply(reply);
    return true;
  }
  ctx.pending = {
    describe: `${call.method} ${call.path} (${call.idempotencyKey ?? 'no key'})`,
    async resolve(deadline) {
      const late = await ctx.http.send(call, deadline);
      if (late) await apply(late);
      return late !== null;
    },
  };
  return false;
}

/** Records a reply that does not match what the model says must happen. */
export function expectStatus(ctx: ClientContext, what: string, reply: Reply, ok: boolean): boolean {
  const success = reply.status === 200 || reply.status === 201;
  const rejected = reply.status >= 400 && reply.status < 500;
  if (ok ? !success : !rejected) {
    ctx.violations.push(
      `${what} for customer ${ctx.customer.id}: expected ${ok ? 'success' : 'a rejection'}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`,
    );
  }
  if (rejected) {
    const code = `rejected:${reply.body?.error?.code ?? reply.status}`;
    ctx.counts[code] = (ctx.counts[code] ?? 0) + 1;
  }
  return success;
}

let keySeq = 0;
/** A fresh Idempotency-Key, chosen by the client before it sends. */
export const newKey = (ctx: ClientContext, op: string) =>
  `chaos-${op}-${ctx.customer.id.slice(0, 8)}-${++keySeq}-${ctx.rng.int(0, 1e9)}`;
