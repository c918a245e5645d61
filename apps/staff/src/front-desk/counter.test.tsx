import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  fakeTaro,
  makeBill,
  makePaymentOrder,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { CounterPaymentCode, MyCommissions, PaymentOrder, Takings } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ReceiptPage from '../checkout/receipt/index.tsx';
import DayClosePage from './day-close/index.tsx';
import { API, CUSTOMER_ID, me, plans, STORE_A, wallet } from './fixtures.test-data.ts';
import PerformancePage, { periodRange } from './performance/index.tsx';
import TopUpPage from './top-up/index.tsx';

let sent: FakeRequest[];
beforeEach(() => {
  sent = [];
  saveSession({ accessToken: 'a', refreshToken: 'r' });
});

const BILL_ID = '00000000-0000-4000-8000-0000000000b1';
const OTHER_STAFF = '00000000-0000-4000-8000-000000000004';

// What the staff app reads of a counter order: never its payment parameters.
const order = (state: PaymentOrder['state']) =>
  makePaymentOrder(state, {
    outTradeNo: 'LM20260302ABC123',
    customerId: CUSTOMER_ID,
    createdAt: '2026-03-02T02:00:00Z',
    expiresAt: '2026-03-02T02:30:00Z',
    paidAt: state === 'SUCCESS' ? '2026-03-02T02:01:00Z' : null,
    transferId: state === 'SUCCESS' ? 12 : null,
    requestPayment: null,
  });

const code: CounterPaymentCode = {
  outTradeNo: 'LM20260302ABC123',
  scene: 'pay=LM20260302ABC123',
  page: 'wallet/pay/index',
  imageDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
  expiresAt: '2026-03-02T02:30:00Z',
};

describe('到店微信充值', () => {
  it('opens the order, shows the code of her payment page, and the new balance once WeChat confirms', async () => {
    setCurrentPages(['front-desk/customer/index', `front-desk/top-up/index?customerId=${CUSTOMER_ID}`]);
    let polls = 0;
    let paid = false;
    setFakeServer((req) => {
      sent.push(req);
      const path = req.url.replace(API, '');
      if (path === '/staff/me') return { status: 200, body: me };
      if (path === `/staff/customers/${CUSTOMER_ID}`) return { status: 200, body: { id: CUSTOMER_ID, name: '林小雅' } };
      if (path === '/staff/top-up-plans') return { status: 200, body: plans };
      if (path === `/staff/customers/${CUSTOMER_ID}/wallet`) {
        const after = { ...wallet, principalFen: 200_000, bonusFen: 40_000, totalFen: 240_000 };
        return { status: 200, body: paid ? after : wallet };
      }
      if (path === `/staff/customers/${CUSTOMER_ID}/wechat-top-ups`) return { status: 201, body: order('NOTPAY') };
      if (path === `/staff/customers/${CUSTOMER_ID}/wechat-top-ups/LM20260302ABC123/code`) {
        return { status: 200, body: code };
      }
      if (path === `/staff/customers/${CUSTOMER_ID}/wechat-top-ups/LM20260302ABC123`) {
        polls += 1;
        paid = polls >= 2;
        return { status: 200, body: order(paid ? 'SUCCESS' : 'NOTPAY') };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('充1000送200'));
    fireEvent.click(screen.getByText('微信扫码'));
    fireEvent.click(screen.getByRole('button', { name: '生成付款码' }));
    expect(await screen.findByText('请顾客用微信扫码付款')).toBeInTheDocument();
    const opened = sent.filter((r) => r.method === 'POST');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.data).toEqual({ storeId: STORE_A, planId: plans[0]?.id });
    expect(opened[0]?.headers['idempotency-key']).toMatch(/^wxtopup-/);
    expect(screen.getByText('单号 LM20260302ABC123')).toBeInTheDocument();
    // The 小程序码 WeChat drew for this order, not a code the phone made up.
    const image = await screen.findByAltText('付款小程序码');
    expect(image.getAttribute('src')).toBe(code.imageDataUrl);
    expect(await screen.findByText('充值成功', {}, { timeout: 8_000 })).toBeInTheDocument();
    expect(polls).toBe(2);
    expect(screen.getByText('¥2,400.00')).toBeInTheDocument();
    // The bonus is what the offer added to her wallet.
    expect(screen.getByText('¥200.00')).toBeInTheDocument();
    expect(screen.getByText('实收（微信支付）')).toBeInTheDocument();
  }, 15_000);

  it('says in Chinese when WeChat cannot draw the code, and draws it on a retry', async () => {
    setCurrentPages([`front-desk/top-up/index?customerId=${CUSTOMER_ID}`]);
    let codeAsks = 0;
    setFakeServer((req) => {
      const path = req.url.replace(API, '');
      if (path === '/staff/me') return { status: 200, body: me };
      if (path === `/staff/customers/${CUSTOMER_ID}`) return { status: 200, body: { id: CUSTOMER_ID, name: '林小雅' } };
      if (path === '/staff/top-up-plans') return { status: 200, body: plans };
      if (path === `/staff/customers/${CUSTOMER_ID}/wallet`) return { status: 200, body: wallet };
      if (path === `/staff/customers/${CUSTOMER_ID}/wechat-top-ups`) return { status: 201, body: order('NOTPAY') };
      if (path.endsWith('/code')) {
        codeAsks += 1;
        if (codeAsks === 1) {
          return { status: 502, body: { error: { code: 'WECHAT_UNAVAILABLE', message: 'WeChat is unavailable' } } };
        }
        return { status: 200, body: code };
      }
      return { status: 200, body: order('NOTPAY') };
    });
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('充1000送200'));
    fireEvent.click(screen.getByText('微信扫码'));
    fireEvent.click(screen.getByRole('button', { name: '生成付款码' }));
    expect(await screen.findByText('微信服务暂时不可用，请稍后重试')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '重新获取小程序码' }));
    expect((await screen.findByAltText('付款小程序码')).getAttribute('src')).toBe(code.imageDataUrl);
    expect(codeAsks).toBe(2);
  });

  it('says in Chinese why a customer who never signed in cannot pay by WeChat', async () => {
    setCurrentPages([`front-desk/top-up/index?customerId=${CUSTOMER_ID}`]);
    setFakeServer((req) => {
      const path = req.url.replace(API, '');
      if (path === '/staff/me') return { status: 200, body: me };
      if (path === `/staff/customers/${CUSTOMER_ID}`) return { status: 200, body: { id: CUSTOMER_ID, name: '林小雅' } };
      if (path === '/staff/top-up-plans') return { status: 200, body: plans };
      if (path === `/staff/customers/${CUSTOMER_ID}/wallet`) return { status: 200, body: wallet };
      return {
        status: 422,
        body: { error: { code: 'BUSINESS_RULE_VIOLATED', message: 'Sign in to the mini-program first' } },
      };
    });
    render(<TopUpPage />);
    fireEvent.change(await screen.findByPlaceholderText('例如 500'), { target: { value: '300' } });
    fireEvent.click(screen.getByText('微信扫码'));
    fireEvent.click(screen.getByRole('button', { name: '生成付款码' }));
    expect(await screen.findByText(/请顾客先登录会员小程序/)).toBeInTheDocument();
  });
});

const commissions: MyCommissions = {
  from: '2026-03-01',
  to: '2026-03-02',
  totalFen: 7_380,
  days: [
    { date: '2026-03-02', amountFen: 4_380, lines: 2 },
    { date: '2026-03-01', amountFen: 3_000, lines: 1 },
  ],
  lines: [
    {
      date: '2026-03-02',
      at: '2026-03-02T03:00:00Z',
      billId: BILL_ID,
      billNumber: 'A0302-0001',
      customerName: '林小雅',
      item: '深层补水护理',
      amountFen: 3_880,
      reversal: false,
    },
    {
      date: '2026-03-02',
      at: '2026-03-02T03:00:00Z',
      billId: BILL_ID,
      billNumber: 'A0302-0001',
      customerName: '林小雅',
      item: '玻尿酸精华',
      amountFen: 500,
      reversal: false,
    },
    {
      date: '2026-03-01',
      at: '2026-03-01T03:00:00Z',
      billId: BILL_ID,
      billNumber: 'A0301-0004',
      customerName: '陈静',
      item: '肩颈舒缓',
      amountFen: 3_000,
      reversal: false,
    },
  ],
  linesTruncated: false,
};

describe('我的业绩', () => {
  it('covers today or the month so far', () => {
    expect(periodRange('day', '2026-03-02')).toEqual({ from: '2026-03-02', to: '2026-03-02' });
    expect(periodRange('month', '2026-03-02')).toEqual({ from: '2026-03-01', to: '2026-03-02' });
  });

  it('shows the total, the days of the month, and the lines of a tapped day, each leading to its bill', async () => {
    setCurrentPages(['pages/home/index', 'front-desk/performance/index']);
    setFakeServer((req) => {
      sent.push(req);
      if (req.url === `${API}/staff/commissions/mine`) return { status: 200, body: commissions };
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<PerformancePage />);
    expect(await screen.findByText('¥73.80')).toBeInTheDocument();
    const first = sent[0]?.data as { from: string; to: string };
    expect(first.from).toBe(first.to);
    fireEvent.click(screen.getByText('本月'));
    fireEvent.click(await screen.findByText('2026-03-01 · 1 项'));
    await waitFor(() => expect(screen.queryByText('深层补水护理')).toBeNull());
    expect(screen.getByText('肩颈舒缓')).toBeInTheDocument();
    const monthly = sent.at(-1)?.data as { from: string };
    expect(monthly.from.endsWith('-01')).toBe(true);
    fireEvent.click(screen.getByText('肩颈舒缓'));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/checkout/bill/index?id=${BILL_ID}` });
  });
});

const none = { principalFen: 0, bonusFen: 0, sessions: 0, points: 0, creditFen: 0, topUpFen: 0, topUpBonusFen: 0 };
const walletBill = { ...none, principalFen: 24_000, bonusFen: 4_800, sessions: 1, points: 200 };

const takings: Takings = {
  storeId: STORE_A,
  date: '2026-03-02',
  scope: 'store',
  totalFen: 368_800,
  byTender: { cash: 320_000, card: 38_800, wechat: 10_000 },
  byStaff: [
    { staffId: me.id, name: '王美丽', totalFen: 358_800, count: 3, usage: { ...walletBill, topUpFen: 300_000 } },
    { staffId: OTHER_STAFF, name: '李店长', totalFen: 10_000, count: 1, usage: { ...none, topUpFen: 10_000 } },
  ],
  usage: { ...walletBill, topUpFen: 310_000 },
  items: [
    {
      transferId: 4,
      at: '2026-03-02T06:00:00Z',
      kind: 'bill',
      staffId: me.id,
      staffName: '王美丽',
      customerName: '林小雅',
      billId: BILL_ID,
      billNumber: 'A0302-0002',
      tenders: { cash: 0, card: 0, wechat: 0 },
      totalFen: 0,
      usage: walletBill,
    },
    {
      transferId: 3,
      at: '2026-03-02T05:00:00Z',
      kind: 'top_up',
      staffId: OTHER_STAFF,
      staffName: '李店长',
      customerName: '陈静',
      billId: null,
      billNumber: null,
      tenders: { cash: 0, card: 0, wechat: 10_000 },
      totalFen: 10_000,
      usage: { ...none, topUpFen: 10_000 },
    },
    {
      transferId: 2,
      at: '2026-03-02T04:00:00Z',
      kind: 'bill',
      staffId: me.id,
      staffName: '王美丽',
      customerName: '林小雅',
      billId: BILL_ID,
      billNumber: 'A0302-0001',
      tenders: { cash: 20_000, card: 38_800, wechat: 0 },
      totalFen: 58_800,
      usage: none,
    },
    {
      transferId: 1,
      at: '2026-03-02T02:00:00Z',
      kind: 'top_up',
      staffId: me.id,
      staffName: '王美丽',
      customerName: '林小雅',
      billId: null,
      billNumber: null,
      tenders: { cash: 300_000, card: 0, wechat: 0 },
      totalFen: 300_000,
      usage: { ...none, topUpFen: 300_000 },
    },
  ],
};

describe('交班/日结', () => {
  it('shows the figures per tender and staff, and the postings behind a tapped figure', async () => {
    setCurrentPages(['pages/home/index', 'front-desk/day-close/index']);
    setFakeServer((req) => {
      sent.push(req);
      if (req.url === `${API}/staff/me`) return { status: 200, body: { ...me, role: 'manager' } };
      if (req.url === `${API}/staff/takings`) return { status: 200, body: takings };
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<DayClosePage />);
    expect(await screen.findByText('¥3,688.00')).toBeInTheDocument();
    expect(sent.find((r) => r.url === `${API}/staff/takings`)?.data).toEqual({ storeId: STORE_A });
    expect(screen.getByText('全部明细（4 笔）')).toBeInTheDocument();
    fireEvent.click(screen.getByText('现金'));
    expect(screen.getByText('现金明细（2 笔）')).toBeInTheDocument();
    const items = document.querySelector('.dc__items') as HTMLElement;
    // A tender's figure lists only its own part of a split bill.
    expect(within(items).getByText('¥200.00')).toBeInTheDocument();
    fireEvent.click(screen.getByText('李店长 · 1 笔'));
    expect(screen.getByText('李店长的明细（1 笔）')).toBeInTheDocument();
    fireEvent.click(screen.getByText('王美丽 · 3 笔'));
    fireEvent.click(within(items).getByText(/结账 A0302-0001/));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/checkout/bill/index?id=${BILL_ID}` });
  });

  it('shows what the day consumed beyond money, each figure opening the bills behind it', async () => {
    setCurrentPages(['pages/home/index', 'front-desk/day-close/index']);
    setFakeServer((req) => {
      if (req.url === `${API}/staff/me`) return { status: 200, body: { ...me, role: 'manager' } };
      if (req.url === `${API}/staff/takings`) return { status: 200, body: takings };
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<DayClosePage />);
    const principal = (await screen.findByText('储值消费（本金）')).parentElement as HTMLElement;
    expect(within(principal).getByText('¥240.00')).toBeInTheDocument();
    const sessions = screen.getByText('次卡核销').parentElement as HTMLElement;
    expect(within(sessions).getByText('1 次')).toBeInTheDocument();
    const points = screen.getByText('积分抵扣').parentElement as HTMLElement;
    expect(within(points).getByText('200 分')).toBeInTheDocument();
    const topUps = screen.getByText('充值（实付）').parentElement as HTMLElement;
    expect(within(topUps).getByText('¥3,100.00')).toBeInTheDocument();
    fireEvent.click(screen.getByText('储值消费（赠送金）'));
    expect(screen.getByText('储值消费（赠送金）明细（1 笔）')).toBeInTheDocument();
    const items = document.querySelector('.dc__items') as HTMLElement;
    expect(within(items).getByText('¥48.00')).toBeInTheDocument();
    fireEvent.click(within(items).getByText(/结账 A0302-0002/));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/checkout/bill/index?id=${BILL_ID}` });
    fireEvent.click(screen.getByText('充值（实付）'));
    expect(screen.getByText('充值（实付）明细（2 笔）')).toBeInTheDocument();
  });
});

describe('小票', () => {
  it('shows the bill as the customer takes it home', async () => {
    setCurrentPages([`checkout/receipt/index?id=${BILL_ID}`]);
    const bill = makeBill({ id: BILL_ID, status: 'settled' });
    setFakeServer((req) => {
      if (req.url === `${API}/staff/bills/${BILL_ID}`) return { status: 200, body: bill };
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<ReceiptPage />);
    expect(await screen.findByText('消费小票')).toBeInTheDocument();
    expect(screen.getByText('支付方式')).toBeInTheDocument();
    expect(screen.getByText(bill.lines[0]?.name ?? '', { exact: false })).toBeInTheDocument();
    expect(screen.getByText('谢谢光临，欢迎再来')).toBeInTheDocument();
  });
});
