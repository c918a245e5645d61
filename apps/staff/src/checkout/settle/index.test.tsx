import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { Bill, StaffCatalog, Wallet } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import SettlePage from './index.tsx';

const API = 'http://api.test';
const BILL_ID = '00000000-0000-4000-8000-0000000000b1';
const CUSTOMER_ID = '00000000-0000-4000-8000-000000000001';

const bill: Bill = {
  id: BILL_ID,
  number: 'S01-20260501-0007',
  status: 'open',
  storeId: '00000000-0000-4000-8000-000000000004',
  storeName: '示例美容院·国贸店',
  customerId: CUSTOMER_ID,
  customerName: '林小雅',
  openedBy: { id: '00000000-0000-4000-8000-000000000003', name: '王美丽' },
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
      performerIds: ['00000000-0000-4000-8000-000000000003'],
    },
  ],
  subtotalFen: 38_800,
  tierDiscountFen: 0,
  couponDiscountFen: 0,
  manualDiscountFen: 0,
  totalFen: 38_800,
  tenders: [],
  confirmationRequired: false,
  holdExpiresAt: null,
  transferId: null,
  voidTransferId: null,
  disputeUntil: null,
  createdAt: '2026-05-01T02:00:00Z',
  settledAt: null,
  refundedFen: 0,
  refunds: [],
};

const wallet: Wallet = {
  customerId: CUSTOMER_ID,
  principalFen: 40_000,
  bonusFen: 10_000,
  totalFen: 50_000,
  points: 0,
  packageCards: [],
  credit: { owedFen: 0, limitFen: 0 },
  chainVerified: null,
};

const catalog: StaffCatalog = { services: [], products: [], packagePlans: [], pointValueFen: 1 };

let settlements: FakeRequest[];

function serve(settle: (req: FakeRequest) => { status: number; body: unknown }) {
  setFakeServer((req) => {
    if (req.method === 'GET' && req.url === `${API}/staff/bills/${BILL_ID}`) return { status: 200, body: bill };
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/wallet`) return { status: 200, body: wallet };
    if (req.url === `${API}/staff/catalog`) return { status: 200, body: catalog };
    if (req.method === 'POST' && req.url === `${API}/staff/bills/${BILL_ID}/settlement`) {
      settlements.push(req);
      return settle(req);
    }
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
}

const amountInput = (method: string) => document.querySelector(`.ck__tender--${method} input`) as HTMLInputElement;

beforeEach(() => {
  settlements = [];
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/home/index', `checkout/settle/index?id=${BILL_ID}`]);
});

describe('settle page', () => {
  it('blocks settling until stored value and cash add up to the total, then sends exactly those tenders', async () => {
    serve(() => ({ status: 200, body: { ...bill, status: 'settled' } }));
    render(<SettlePage />);
    const settle = await screen.findByText('确认结账 ¥388.00');
    expect(screen.getByText('未开通挂账')).toBeInTheDocument();
    expect(settle).toBeDisabled();

    fireEvent.change(amountInput('stored_value'), { target: { value: '300' } });
    expect(screen.getByText('还差 ¥88.00 未分配')).toBeInTheDocument();
    expect(settle).toBeDisabled();

    fireEvent.click(document.querySelector('.ck__tender--cash .ck__fill') as HTMLElement);
    expect(amountInput('cash').value).toBe('88.00');
    expect(document.querySelector('.ck__remaining')?.textContent).toBe('¥0.00');
    expect(settle).toBeEnabled();

    fireEvent.click(settle);
    await waitFor(() =>
      expect(fakeTaro.redirectTo).toHaveBeenCalledWith({ url: `/checkout/bill/index?id=${BILL_ID}` }),
    );
    expect(settlements).toHaveLength(1);
    expect(settlements[0]?.data).toEqual({
      tenders: [
        { method: 'stored_value', amountFen: 30_000 },
        { method: 'cash', amountFen: 8_800 },
      ],
    });
    expect(settlements[0]?.headers['idempotency-key']).toMatch(/^settle-/);
  });

  it("shows the server's difference when it disagrees, and retries the same tenders under the same key", async () => {
    serve(() => ({
      status: 422,
      body: {
        error: {
          code: 'BUSINESS_RULE_VIOLATED',
          message: 'The tenders do not add up to the bill',
          details: { totalFen: 39_000, tenderedFen: 38_800, differenceFen: 200 },
        },
      },
    }));
    render(<SettlePage />);
    const settle = await screen.findByText('确认结账 ¥388.00');
    fireEvent.change(amountInput('cash'), { target: { value: '388' } });
    fireEvent.click(settle);
    expect(await screen.findByText('支付金额与账单不符：还差 ¥2.00')).toBeInTheDocument();

    fireEvent.click(settle);
    await waitFor(() => expect(settlements).toHaveLength(2));
    expect(settlements[1]?.headers['idempotency-key']).toBe(settlements[0]?.headers['idempotency-key']);
  });

  it('marks stored value above the balance at the field and keeps settling blocked', async () => {
    serve(() => ({ status: 500, body: null }));
    render(<SettlePage />);
    const settle = await screen.findByText('确认结账 ¥388.00');
    fireEvent.change(amountInput('stored_value'), { target: { value: '600' } });
    expect(screen.getByText('超出可用额度 ¥500.00')).toBeInTheDocument();
    expect(screen.getByText('请先修正标红的金额')).toBeInTheDocument();
    expect(settle).toBeDisabled();
  });
});
