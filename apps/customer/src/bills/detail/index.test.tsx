import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  type FakeResponse,
  fakeTaro,
  makeBill,
  makeDispute,
  makePaymentOrder,
  setCurrentPages,
  setFakeServer,
  SIM_PAY_URL,
} from '@lumi/mini/testing';
import type { Bill, Dispute, PaymentOrder } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import BillDetailPage from './index.tsx';

const API = 'http://api.test';
const BILL_ID = makeBill().id;
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

const templates = [
  { purpose: 'bill_to_confirm', templateId: 'tpl-confirm' },
  { purpose: 'bill_settled', templateId: 'tpl-settled' },
  { purpose: 'bill_voided', templateId: 'tpl-voided' },
  { purpose: 'bill_refunded', templateId: 'tpl-refunded' },
  { purpose: 'dispute_answered', templateId: 'tpl-answered' },
];

let bill: Bill;
let disputes: Dispute[];
let seen: FakeRequest[];
/** Answers for routes a test adds; the bill, disputes and templates are always served. */
let extra: Record<string, (req: FakeRequest) => FakeResponse>;

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/bills/index', `bills/detail/index?id=${BILL_ID}`]);
  disputes = [];
  seen = [];
  extra = {};
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    const key = `${req.method} ${path}`;
    if (extra[key]) return extra[key](req);
    if (key === `GET /me/bills/${BILL_ID}`) return { status: 200, body: bill };
    if (key === 'GET /me/disputes') return { status: 200, body: disputes };
    if (key === 'GET /me/subscriptions/templates') return { status: 200, body: templates };
    if (key === 'GET /me/points')
      return { status: 200, body: { points: 0, pointValueFen: 2, valueFen: 0, expiring: [] } };
    if (key === 'POST /me/subscriptions') return { status: 201, body: { ...(req.data as object), available: 1 } };
    if (key === 'POST http://sim.test/__control/subscriptions') return { status: 200, body: {} };
    throw new Error(`unexpected ${key}`);
  });
});

const posted = () => seen.filter((r) => r.method === 'POST').map((r) => r.url.replace(API, ''));

describe('bill detail', () => {
  it('gives points paid on the bill their ¥ value at the salon rate', async () => {
    bill = makeBill({ tenders: [{ method: 'points', points: 1_500 }] });
    render(<BillDetailPage />);
    expect(await screen.findByText('1,500 积分（价值 ¥30.00）')).toBeInTheDocument();
  });

  it('says in Chinese that a bill is not there, and offers a way back rather than 重试', async () => {
    extra[`GET /me/bills/${BILL_ID}`] = () => ({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Bill not found' } },
    });
    setCurrentPages([`bills/detail/index?id=${BILL_ID}`]);
    render(<BillDetailPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('没有找到这条记录');
    expect(screen.queryByText(/Bill not found/)).toBeNull();
    expect(screen.queryByRole('button', { name: '重试' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '返回' }));
    await waitFor(() => expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/bills/index' }));
  });

  it('shows the receipt: store, staff, lines, discounts, total and how it was paid', async () => {
    bill = makeBill({
      lines: [
        { ...makeBill().lines[0]!, quantity: 1, amountFen: 38_800 },
        {
          ...makeBill().lines[0]!,
          id: '00000000-0000-4000-8000-0000000000c2',
          type: 'package_session',
          name: '补水护理10次卡',
          amountFen: 0,
        },
      ],
      subtotalFen: 38_800,
      tierDiscountFen: 3_880,
      manualDiscountFen: 920,
      totalFen: 34_000,
      tenders: [
        { method: 'stored_value', amountFen: 30_000 },
        { method: 'card', amountFen: 4_000, reference: '6222' },
      ],
    });
    render(<BillDetailPage />);

    expect(await screen.findByText('示例美容院·国贸店')).toBeInTheDocument();
    expect(screen.getByText('已完成')).toBeInTheDocument();
    expect(screen.getByText('服务人员 王美丽')).toBeInTheDocument();
    expect(screen.getByText('时间 2026-03-05 13:01')).toBeInTheDocument();
    expect(screen.getByText('深层补水护理 ×1')).toBeInTheDocument();
    expect(screen.getByText('次卡抵扣')).toBeInTheDocument();
    expect(screen.getByText('会员折扣').nextSibling).toHaveTextContent('-¥38.80');
    expect(screen.getByText('门店优惠').nextSibling).toHaveTextContent('-¥9.20');
    expect(screen.queryByText('优惠券')).toBeNull();
    expect(screen.getByText('合计').nextSibling).toHaveTextContent('¥340.00');
    expect(screen.getByText('支付方式')).toBeInTheDocument();
    expect(screen.getByText('储值').nextSibling).toHaveTextContent('¥300.00');
    expect(screen.getByText('银行卡').nextSibling).toHaveTextContent('¥40.00');
    // Confirmed or settled without a window: nothing to do here.
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('confirms a waiting bill after asking for the bill notices, and shows it settled', async () => {
    bill = makeBill({
      status: 'awaiting_customer',
      confirmationRequired: true,
      holdExpiresAt: inMinutes(30),
      settledAt: null,
      transferId: null,
    });
    extra[`POST /me/bills/${BILL_ID}/confirmation`] = () => {
      bill = { ...bill, status: 'settled', holdExpiresAt: null, settledAt: new Date().toISOString(), transferId: 9 };
      return { status: 200, body: bill };
    };
    render(<BillDetailPage />);

    expect(await screen.findByText('待确认')).toBeInTheDocument();
    expect(screen.getByText('待扣款')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '确认扣款 ¥388.00' }));

    expect(await screen.findByText('已完成')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /确认扣款/ })).toBeNull();
    // Consent first (H5: the simulator stands in for WeChat's dialog), then the confirmation itself.
    expect(posted()).toEqual([
      'http://sim.test/__control/subscriptions',
      'http://sim.test/__control/subscriptions',
      'http://sim.test/__control/subscriptions',
      '/me/subscriptions',
      '/me/subscriptions',
      '/me/subscriptions',
      `/me/bills/${BILL_ID}/confirmation`,
    ]);
    expect(seen.filter((r) => r.url === `${API}/me/subscriptions`).map((r) => r.data)).toEqual([
      { templateId: 'tpl-confirm' },
      { templateId: 'tpl-voided' },
      { templateId: 'tpl-refunded' },
    ]);
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已确认' }));
  });

  it('offers nothing on a bill whose wait ran out, and says why', async () => {
    bill = makeBill({ status: 'awaiting_customer', confirmationRequired: true, holdExpiresAt: inMinutes(-1) });
    render(<BillDetailPage />);
    expect(await screen.findByText('已超时')).toBeInTheDocument();
    expect(screen.getByText('确认已超时，未扣款。如需结账，请联系美容师重新发起。')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('says so and shows the bill as it is when it changed before the customer confirmed', async () => {
    bill = makeBill({ status: 'awaiting_customer', confirmationRequired: true, holdExpiresAt: inMinutes(30) });
    extra[`POST /me/bills/${BILL_ID}/confirmation`] = () => {
      bill = { ...bill, status: 'open', tenders: [], holdExpiresAt: null };
      return { status: 409, body: { error: { code: 'CONFLICT', message: 'This bill is open' } } };
    };
    render(<BillDetailPage />);
    fireEvent.click(await screen.findByRole('button', { name: '确认扣款 ¥388.00' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('账单状态已变化，请查看最新状态');
    expect(await screen.findByText('待结账')).toBeInTheDocument();
  });

  it('declines a waiting bill with a reason', async () => {
    bill = makeBill({ status: 'awaiting_customer', confirmationRequired: true, holdExpiresAt: inMinutes(30) });
    extra[`POST /me/bills/${BILL_ID}/decline`] = () => {
      bill = { ...bill, status: 'open', tenders: [], holdExpiresAt: null };
      return { status: 200, body: bill };
    };
    render(<BillDetailPage />);
    fireEvent.click(await screen.findByRole('button', { name: '拒绝' }));
    fireEvent.click(screen.getByRole('button', { name: '确认拒绝' }));
    expect(screen.getByRole('alert')).toHaveTextContent('请填写原因，至少 2 个字');

    fireEvent.input(screen.getByPlaceholderText(/请告诉美容师/), { target: { value: '  项目做的是小气泡  ' } });
    fireEvent.click(screen.getByRole('button', { name: '确认拒绝' }));

    expect(await screen.findByText('待结账')).toBeInTheDocument();
    expect(screen.getByText('本单已退回美容师处理，未扣款。')).toBeInTheDocument();
    const decline = seen.find((r) => r.url.endsWith('/decline'));
    expect(decline?.data).toEqual({ reason: '项目做的是小气泡' });
    expect(screen.queryByRole('button', { name: '拒绝' })).toBeNull();
  });

  it("pays the bill's WeChat part through the shared payment flow, with an Idempotency-Key", async () => {
    bill = makeBill({
      status: 'awaiting_customer',
      confirmationRequired: true,
      holdExpiresAt: inMinutes(30),
      tenders: [
        { method: 'stored_value', amountFen: 30_000 },
        { method: 'wechat', amountFen: 8_800 },
      ],
    });
    const order = (state: PaymentOrder['state']) =>
      makePaymentOrder(state, {
        outTradeNo: 'LB20260305ABCDEF',
        purpose: 'bill',
        customerId: bill.customerId,
        description: `账单 ${bill.number}`,
        amountFen: 8_800,
        paidAt: null,
        transferId: null,
      });
    extra[`POST /me/bills/${BILL_ID}/payments`] = () => ({ status: 201, body: order('NOTPAY') });
    extra[`POST ${SIM_PAY_URL}`] = () => ({ status: 200, body: { ok: true } });
    extra['GET /me/payments/LB20260305ABCDEF'] = () => {
      bill = { ...bill, status: 'settled', holdExpiresAt: null, transferId: 10 };
      return { status: 200, body: order('SUCCESS') };
    };
    render(<BillDetailPage />);

    expect(await screen.findByText('支付即视为确认本单。', { exact: false })).toBeInTheDocument();
    // Paying confirms the bill, so there is no separate 确认扣款.
    expect(screen.queryByRole('button', { name: /确认扣款/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '微信支付 ¥88.00' }));

    expect(await screen.findByText('已完成')).toBeInTheDocument();
    const create = seen.find((r) => r.url.endsWith('/payments') && r.method === 'POST');
    expect(create?.headers['idempotency-key']).toMatch(/^bill-/);
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '支付成功' }));
  });

  it('takes a question while the dispute window is open, then shows it waiting for an answer', async () => {
    bill = makeBill({ disputeUntil: inMinutes(7 * 24 * 60) });
    extra[`POST /me/bills/${BILL_ID}/disputes`] = (req) => {
      disputes = [makeDispute({ reason: (req.data as { reason: string }).reason })];
      return { status: 201, body: disputes };
    };
    render(<BillDetailPage />);

    expect(await screen.findByText(/如对本单有疑问，可在 .+ 前反馈/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '有疑问' }));
    fireEvent.input(screen.getByPlaceholderText(/请简要说明疑问/), { target: { value: '护理时长不足' } });
    fireEvent.click(screen.getByRole('button', { name: '提交疑问' }));

    expect(await screen.findByText('我的疑问：护理时长不足')).toBeInTheDocument();
    expect(screen.getByText('处理中')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '有疑问' })).toBeNull();
    expect(seen.filter((r) => r.url === `${API}/me/subscriptions`).map((r) => r.data)).toEqual([
      { templateId: 'tpl-voided' },
      { templateId: 'tpl-refunded' },
      { templateId: 'tpl-answered' },
    ]);
  });

  it("shows the manager's answer, refunds and voids with their amounts, and a closed window", async () => {
    bill = makeBill({
      status: 'voided',
      disputeUntil: inMinutes(-60),
      refundedFen: 38_800,
      refunds: [
        {
          id: 'r1',
          kind: 'refund',
          amountFen: 10_000,
          lines: [],
          tenders: [{ method: 'stored_value', amountFen: 10_000 }],
          pointsClawedBack: 0,
          reason: '少做一项',
          staffId: 's1',
          transferId: 11,
          wechatOutRefundNo: null,
          createdAt: '2026-03-05T06:00:00Z',
        },
        {
          id: 'r2',
          kind: 'void',
          amountFen: 28_800,
          lines: [],
          tenders: [{ method: 'stored_value', amountFen: 28_800 }],
          pointsClawedBack: 0,
          reason: '顾客异议：已全额退回',
          staffId: 's1',
          transferId: 12,
          wechatOutRefundNo: null,
          createdAt: '2026-03-06T06:00:00Z',
        },
      ],
    });
    disputes = [makeDispute({ status: 'reversed', answer: '已全额退回您的储值' })];
    render(<BillDetailPage />);

    expect(await screen.findByText('已撤销')).toBeInTheDocument();
    expect(screen.getByText('共退 ¥388.00')).toBeInTheDocument();
    expect(screen.getByText('退款 ¥100.00')).toBeInTheDocument();
    expect(screen.getByText('撤销 ¥288.00')).toBeInTheDocument();
    expect(screen.getByText('退回 储值 ¥288.00')).toBeInTheDocument();
    expect(screen.getByText('门店答复：已全额退回您的储值')).toBeInTheDocument();
    expect(screen.getByText('已撤销账单')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
