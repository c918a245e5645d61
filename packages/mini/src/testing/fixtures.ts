import type { Bill, Dispute, Entry, PaymentOrder, RequestPaymentParams } from '@lumi/shared';

/**
 * A settled bill of 林小雅 at 国贸店 (¥388.00 from stored value), for tests of both apps' bill pages and of the
 * bill helpers; `partial` overrides any field.
 */
export function makeBill(partial: Partial<Bill> = {}): Bill {
  return {
    id: '00000000-0000-4000-8000-0000000000b1',
    number: 'S01-20260305-0012',
    status: 'settled',
    storeId: '00000000-0000-4000-8000-000000000010',
    storeName: '示例美容院·国贸店',
    customerId: '00000000-0000-4000-8000-000000000001',
    customerName: '林小雅',
    openedBy: { id: '00000000-0000-4000-8000-000000000011', name: '王美丽' },
    lines: [
      {
        id: '00000000-0000-4000-8000-0000000000c1',
        type: 'service',
        name: '深层补水护理',
        quantity: 1,
        listPriceFen: 38_800,
        unitPriceFen: 38_800,
        discountFen: 0,
        amountFen: 38_800,
        performerIds: [],
      },
    ],
    subtotalFen: 38_800,
    tierDiscountFen: 0,
    couponDiscountFen: 0,
    manualDiscountFen: 0,
    totalFen: 38_800,
    tenders: [{ method: 'stored_value', amountFen: 38_800 }],
    confirmationRequired: false,
    holdExpiresAt: null,
    transferId: 7,
    voidTransferId: null,
    disputeUntil: null,
    createdAt: '2026-03-05T05:00:00Z',
    settledAt: '2026-03-05T05:01:00Z',
    refundedFen: 0,
    refunds: [],
    ...partial,
  };
}

/** An open question of 林小雅 about makeBill()'s bill. */
export function makeDispute(partial: Partial<Dispute> = {}): Dispute {
  const bill = makeBill();
  return {
    id: '00000000-0000-4000-8000-0000000000d1',
    billId: bill.id,
    billNumber: bill.number,
    customerId: bill.customerId,
    customerName: '林小雅',
    staffId: bill.openedBy.id,
    staffName: '王美丽',
    reason: '项目与实际不符',
    status: 'open',
    answer: null,
    createdAt: '2026-03-05T05:10:00Z',
    resolvedAt: null,
    totalFen: bill.totalFen,
    ...partial,
  };
}

/** A ledger entry as the API lists it (no store, staff, items or memo unless `partial` gives them). */
export function makeEntry(
  partial: Partial<Entry> & Pick<Entry, 'id' | 'transferId' | 'kind' | 'bucket' | 'unit' | 'amount'>,
): Entry {
  return {
    at: '2026-03-04T16:30:00Z',
    balanceAfter: 0,
    packageCardId: null,
    store: null,
    staff: null,
    items: [],
    memo: null,
    reversesTransferId: null,
    reference: null,
    merge: null,
    ...partial,
  };
}

/** wx.requestPayment parameters of an unpaid order; in H5 the shared requestPayment posts them to the simulator. */
export const PAYMENT_PARAMS: RequestPaymentParams = {
  appId: 'wx-test-app',
  timeStamp: '1767232800',
  nonceStr: 'n0nce',
  package: 'prepay_id=wx0101',
  signType: 'RSA',
  paySign: 'c2lnbg==',
};

/** Where the H5 builds' requestPayment has the simulator pay (tests answer it with `{ ok: true }`). */
export const SIM_PAY_URL = 'http://sim.test/__control/pay';

/**
 * A WeChat payment order of 林小雅 (a ¥1,000 top-up unless `partial` says otherwise) in `state`: payable
 * (requestPayment set) while NOTPAY, paid a minute after it was opened when SUCCESS.
 */
export function makePaymentOrder(state: PaymentOrder['state'], partial: Partial<PaymentOrder> = {}): PaymentOrder {
  return {
    outTradeNo: 'LT20260101ABCDEF',
    purpose: 'top_up',
    customerId: '00000000-0000-4000-8000-000000000001',
    description: '会员储值 充1000送200',
    amountFen: 100_000,
    state,
    createdAt: '2026-01-01T02:00:00Z',
    expiresAt: '2026-01-01T02:30:00Z',
    paidAt: state === 'SUCCESS' ? '2026-01-01T02:01:00Z' : null,
    transferId: state === 'SUCCESS' ? 42 : null,
    refundedFen: 0,
    refunds: [],
    requestPayment: state === 'NOTPAY' ? PAYMENT_PARAMS : null,
    ...partial,
  };
}
