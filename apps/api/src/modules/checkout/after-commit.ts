import type { Bill, BillEvent, BillNotice } from '@lumi/shared';
import type { FastifyInstance } from 'fastify';
import type { CheckoutDeps } from './open-bill.ts';

/** What checkout routes do once a transaction has committed: tell the customer, send a WeChat refund. */
export function afterCommit(app: FastifyInstance, deps: CheckoutDeps) {
  /**
   * Notifications go out after the commit and are not awaited: a slow or failing WeChat can never fail, or
   * hold up, the request that caused them.
   */
  const notify = (
    tenantId: string,
    bill: Bill,
    event: BillEvent,
    occurrence: { id: string; amountFen?: number } | null = null,
  ) => {
    const notice: BillNotice = {
      tenantId,
      customerId: bill.customerId,
      event,
      billId: bill.id,
      billNumber: bill.number,
      storeName: bill.storeName,
      amountFen: occurrence?.amountFen ?? bill.totalFen,
      at: deps.ledger.now(),
      ...(occurrence ? { occurrenceId: occurrence.id } : {}),
    };
    void deps.hooks
      .notifyCustomer(notice)
      .catch((error: unknown) => app.log.warn({ err: error, notice }, 'customer notification failed'));
  };

  /** The WeChat part of a refund is recorded with it; sending it may fail and is then retried by reconciliation. */
  const sendWechatRefund = async (tenantId: string, outRefundNo: string | null) => {
    if (!outRefundNo || !deps.wechatRefunds) return;
    await deps.wechatRefunds
      .send(tenantId, outRefundNo)
      .catch((error: unknown) => app.log.warn({ err: error, outRefundNo }, 'WeChat refund not sent yet'));
  };

  return { notify, sendWechatRefund };
}
