import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  type FakeServer,
  fakeTaro,
  makeBill,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { CustomerSummary, WaitingCreditLimitRequest } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import CreditPage from './credit/index.tsx';
import CustomerCardPage from './customer/index.tsx';
import FrontDeskCustomersPage from './customers/index.tsx';
import {
  API,
  CUSTOMER_ID,
  credit,
  customer,
  me,
  pendingLimitRequest,
  plans,
  SERVICE_ID,
  STORE_A,
  value,
  wallet,
} from './fixtures.test-data.ts';
import RegisterPage from './register/index.tsx';
import SellCardPage from './sell-card/index.tsx';
import TopUpPage from './top-up/index.tsx';

let sent: FakeRequest[];
/** The customer's limit request waiting for a manager (GET …/credit-requests/waiting), whoever filed it. */
let waiting: WaitingCreditLimitRequest | null;
const OTHER_BEAUTICIAN = '00000000-0000-4000-8000-000000000004';

/** The reads every front-desk page may make, then `extra` for what a test posts. */
function serve(
  extra: FakeServer = () => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'x' } } }),
  suggestedLimitFen = 300_029,
) {
  setFakeServer((req) => {
    sent.push(req);
    const path = req.url.replace(API, '');
    if (req.method === 'GET') {
      if (path === '/staff/me') return { status: 200, body: me };
      if (path === `/staff/customers/${CUSTOMER_ID}`) return { status: 200, body: customer };
      if (path === `/staff/customers/${CUSTOMER_ID}/wallet`) return { status: 200, body: wallet };
      if (path === `/staff/customers/${CUSTOMER_ID}/value`) return { status: 200, body: value };
      if (path === `/staff/customers/${CUSTOMER_ID}/credit`) return { status: 200, body: credit };
      if (path === `/staff/customers/${CUSTOMER_ID}/credit-requests/waiting`) return { status: 200, body: { waiting } };
      if (path === `/staff/customers/${CUSTOMER_ID}/credit/suggestion`) {
        return {
          status: 200,
          body: { suggestedLimitFen, reasons: ['近12个月消费 ¥5,600.00', '按时还款 3 次'], factors: {} },
        };
      }
      if (path === `/staff/customers/${CUSTOMER_ID}/notes`) {
        return {
          status: 200,
          body: {
            items: [
              {
                id: '00000000-0000-4000-8000-000000000901',
                body: '对芒果过敏',
                authorId: me.id,
                authorName: '王美丽',
                createdAt: '2026-03-01T02:00:00Z',
              },
            ],
          },
        };
      }
      if (path === '/staff/bills') return { status: 200, body: [makeBill({ customerId: CUSTOMER_ID })] };
      if (path === '/staff/top-up-plans') return { status: 200, body: plans };
      if (path === '/staff/catalog') {
        return {
          status: 200,
          body: {
            services: [],
            products: [],
            pointValueFen: 1,
            packagePlans: [
              {
                id: '00000000-0000-4000-8000-000000000801',
                name: '补水护理10次卡',
                serviceId: SERVICE_ID,
                sessions: 10,
                priceFen: 100_000,
                validDays: 365,
              },
            ],
          },
        };
      }
    }
    return extra(req);
  });
}

const posted = (path: string) => sent.filter((r) => r.method === 'POST' && r.url === `${API}${path}`);

beforeEach(() => {
  sent = [];
  waiting = null;
  saveSession({ accessToken: 'a', refreshToken: 'r' });
});

const summary = (i: number): CustomerSummary => ({
  id: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
  memberNo: String(100_000 + i),
  name: `顾客${i}`,
  phone: '139****0001',
  gender: 'female',
  tags: [],
});

describe('front desk: finding a customer', () => {
  it('searches, pages with 加载更多, and opens the card', async () => {
    setCurrentPages(['pages/home/index', 'front-desk/customers/index']);
    serve((req) => {
      if (req.url === `${API}/staff/customers`) {
        const data = req.data as { q?: string; cursor?: string };
        if (data.cursor === 'next') return { status: 200, body: { items: [summary(3)], nextCursor: null } };
        if (data.q === '139') return { status: 200, body: { items: [summary(1), summary(2)], nextCursor: 'next' } };
        return { status: 200, body: { items: [], nextCursor: null } };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<FrontDeskCustomersPage />);
    expect(await screen.findByText('还没有顾客')).toBeInTheDocument();
    const search = screen.getByPlaceholderText('手机号、姓名或会员号，按搜索');
    fireEvent.change(search, { target: { value: '139' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(await screen.findByText('顾客2')).toBeInTheDocument();
    expect(screen.getByText(/会员号 100001/)).toHaveTextContent('139****0001');
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    expect(await screen.findByText('顾客3')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '加载更多' })).toBeNull();
    fireEvent.click(screen.getByText('顾客3'));
    await waitFor(() =>
      expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/front-desk/customer/index?id=${summary(3).id}` }),
    );
  });

  it('opens the card of a scanned (typed) member code, and says in Chinese when it expired', async () => {
    setCurrentPages(['pages/home/index', 'front-desk/customers/index']);
    serve((req) => {
      if (req.url === `${API}/staff/customers`) return { status: 200, body: { items: [], nextCursor: null } };
      if (req.url === `${API}/staff/customers/member-code`) {
        const { code } = req.data as { code: string };
        if (code === 'M1.good') return { status: 200, body: customer };
        return {
          status: 422,
          body: { error: { code: 'MEMBER_CODE_EXPIRED', message: 'The member code has expired' } },
        };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<FrontDeskCustomersPage />);
    const field = await screen.findByPlaceholderText('输入或粘贴会员码');
    fireEvent.change(field, { target: { value: 'M1.old' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    expect(await screen.findByText('会员码已过期，请顾客刷新后再扫')).toBeInTheDocument();
    fireEvent.change(field, { target: { value: 'M1.good' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    await waitFor(() =>
      expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/front-desk/customer/index?id=${CUSTOMER_ID}` }),
    );
  });
});

describe('front desk: registering a walk-in', () => {
  it('sends what was entered and opens her card', async () => {
    setCurrentPages(['front-desk/register/index']);
    serve((req) => {
      if (req.url === `${API}/staff/customers`) return { status: 201, body: customer };
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<RegisterPage />);
    fireEvent.change(screen.getByPlaceholderText('11位手机号'), { target: { value: '13900000001' } });
    fireEvent.change(screen.getByPlaceholderText('顾客姓名'), { target: { value: ' 林小雅 ' } });
    fireEvent.change(screen.getByPlaceholderText('例如 1990-05-20'), { target: { value: '1992-05-20' } });
    fireEvent.click(screen.getByText('朋友介绍'));
    fireEvent.click(screen.getByText('顾客同意接收优惠活动消息'));
    fireEvent.click(screen.getByRole('button', { name: '登记' }));
    await waitFor(() => expect(posted('/staff/customers')).toHaveLength(1));
    expect(posted('/staff/customers')[0]!.data).toEqual({
      phone: '13900000001',
      name: '林小雅',
      gender: 'female',
      birthday: '1992-05-20',
      source: 'referral',
      marketingConsent: true,
    });
    await waitFor(() =>
      expect(fakeTaro.redirectTo).toHaveBeenCalledWith({ url: `/front-desk/customer/index?id=${CUSTOMER_ID}` }),
    );
  });

  it('checks the phone before sending, and offers the existing member on a duplicate', async () => {
    setCurrentPages(['front-desk/register/index']);
    serve(() => ({
      status: 409,
      body: {
        error: {
          code: 'CUSTOMER_PHONE_TAKEN',
          message: 'A customer with this phone already exists',
          details: { customer: summary(7) },
        },
      },
    }));
    render(<RegisterPage />);
    fireEvent.change(screen.getByPlaceholderText('11位手机号'), { target: { value: '1390000' } });
    fireEvent.click(screen.getByRole('button', { name: '登记' }));
    expect(await screen.findByText('请输入11位手机号')).toBeInTheDocument();
    expect(posted('/staff/customers')).toHaveLength(0);

    fireEvent.change(screen.getByPlaceholderText('11位手机号'), { target: { value: '13900000007' } });
    fireEvent.change(screen.getByPlaceholderText('顾客姓名'), { target: { value: '周女士' } });
    fireEvent.click(screen.getByRole('button', { name: '登记' }));
    expect(await screen.findByText('该手机号已是会员')).toBeInTheDocument();
    fireEvent.click(screen.getByText('打开会员卡 ›'));
    expect(fakeTaro.redirectTo).toHaveBeenCalledWith({ url: `/front-desk/customer/index?id=${summary(7).id}` });
  });
});

describe('front desk: the customer card', () => {
  it('shows her assets, credit, tier, segment, recommendations, notes and bills, and adds a note', async () => {
    setCurrentPages(['front-desk/customers/index', `front-desk/customer/index?id=${CUSTOMER_ID}`]);
    serve((req) => {
      if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/notes`) {
        return {
          status: 201,
          body: {
            id: '00000000-0000-4000-8000-000000000902',
            body: (req.data as { body: string }).body,
            authorId: me.id,
            authorName: '王美丽',
            createdAt: '2026-03-02T02:00:00Z',
          },
        };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<CustomerCardPage />);
    expect(await screen.findByText('林小雅')).toBeInTheDocument();
    expect(screen.getByText(/会员号 100023/)).toHaveTextContent('139****0001');
    const assets = document.querySelector('.fd__assets') as HTMLElement;
    expect(within(assets).getByText('¥1,200.00')).toBeInTheDocument();
    expect(within(assets).getByText('本金 ¥1,000.00')).toBeInTheDocument();
    expect(within(assets).getByText('赠送金 ¥200.00')).toBeInTheDocument();
    expect(within(assets).getByText('300')).toBeInTheDocument();
    expect(within(assets).getByText('剩余 7/10 次')).toBeInTheDocument();
    const creditCard = document.querySelector('.fd__credit') as HTMLElement;
    expect(within(creditCard).getByText('¥2,000.00')).toBeInTheDocument();
    expect(within(creditCard).getByText('¥300.00')).toBeInTheDocument();
    expect(within(creditCard).getByText(/应还 ¥300.00/)).toBeInTheDocument();
    expect(screen.getByText('金卡会员')).toBeInTheDocument();
    expect(screen.getByText('重要价值客户')).toBeInTheDocument();
    expect(screen.getByText('敏感肌')).toBeInTheDocument();
    expect(screen.getByText('玻尿酸保湿精华')).toBeInTheDocument();
    expect(screen.getByText('做过深层补水护理的顾客中 42% 也买了它')).toBeInTheDocument();
    expect(screen.getByText('对芒果过敏')).toBeInTheDocument();
    expect(within(document.querySelector('.fd__bills') as HTMLElement).getByText('深层补水护理')).toBeInTheDocument();

    fireEvent.change(screen.getByPlaceholderText('例如：对芒果过敏，喜欢安静'), { target: { value: '喜欢安静' } });
    fireEvent.click(screen.getByRole('button', { name: '添加备注' }));
    expect(await screen.findByText('喜欢安静')).toBeInTheDocument();
    expect(posted(`/staff/customers/${CUSTOMER_ID}/notes`)[0]!.data).toEqual({ body: '喜欢安静' });

    fireEvent.click(screen.getByRole('button', { name: '充值' }));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/front-desk/top-up/index?customerId=${CUSTOMER_ID}` });
  });
});

describe('front desk: counter tasks', () => {
  it('tops up with a bonus plan under one idempotency key and shows the new balance at once', async () => {
    setCurrentPages(['front-desk/customer/index', `front-desk/top-up/index?customerId=${CUSTOMER_ID}`]);
    serve((req) => {
      if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/top-ups`) {
        return {
          status: 201,
          body: {
            transferId: 11,
            kind: 'top_up',
            at: '2026-03-02T02:00:00Z',
            customerId: CUSTOMER_ID,
            entries: [],
            details: { paidFen: 100_000, bonusFen: 20_000 },
            wallet: { ...wallet, principalFen: 200_000, bonusFen: 40_000, totalFen: 240_000 },
          },
        };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('充1000送200'));
    fireEvent.click(screen.getByText('银行卡'));
    fireEvent.click(screen.getByRole('button', { name: '收 ¥1,000.00 并充值' }));
    expect(await screen.findByText('充值成功')).toBeInTheDocument();
    const [topUp] = posted(`/staff/customers/${CUSTOMER_ID}/top-ups`);
    expect(topUp!.data).toEqual({ storeId: STORE_A, amountFen: 100_000, method: 'card', planId: plans[0]!.id });
    expect(topUp!.headers['idempotency-key']).toMatch(/^topup-/);
    expect(screen.getByText('¥2,400.00')).toBeInTheDocument();
    expect(screen.getByText('赠送金 ¥400.00')).toBeInTheDocument();
  });

  it('refuses a top-up with neither a plan nor an amount', async () => {
    setCurrentPages([`front-desk/top-up/index?customerId=${CUSTOMER_ID}`]);
    serve();
    render(<TopUpPage />);
    fireEvent.click(await screen.findByRole('button', { name: '确认充值' }));
    expect(await screen.findByText('请选择充值方案或输入金额')).toBeInTheDocument();
    expect(posted(`/staff/customers/${CUSTOMER_ID}/top-ups`)).toHaveLength(0);
  });

  it('sells a package card from the plans', async () => {
    setCurrentPages([`front-desk/sell-card/index?customerId=${CUSTOMER_ID}`]);
    serve((req) => {
      if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/package-cards`) {
        return {
          status: 201,
          body: {
            transferId: 12,
            kind: 'package_sale',
            at: '2026-03-02T02:00:00Z',
            customerId: CUSTOMER_ID,
            entries: [],
            details: {},
            wallet: { ...wallet, totalFen: 20_000 },
          },
        };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<SellCardPage />);
    fireEvent.click(await screen.findByText('补水护理10次卡'));
    fireEvent.click(screen.getByText('储值'));
    fireEvent.click(screen.getByRole('button', { name: '确认售卡' }));
    expect(await screen.findByText('售卡成功')).toBeInTheDocument();
    expect(posted(`/staff/customers/${CUSTOMER_ID}/package-cards`)[0]!.data).toEqual({
      storeId: STORE_A,
      planId: '00000000-0000-4000-8000-000000000801',
      method: 'stored_value',
    });
  });

  it('shows what she owes and when, records a repayment, and files a limit request with the suggestion', async () => {
    setCurrentPages([`front-desk/credit/index?customerId=${CUSTOMER_ID}`]);
    serve((req) => {
      if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/credit-repayments`) {
        return {
          status: 201,
          body: {
            transferId: 13,
            amountFen: 10_000,
            method: 'cash',
            allocations: [],
            credit: { ...credit, owedFen: 20_000 },
          },
        };
      }
      if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/credit-requests`) {
        return { status: 201, body: { ...pendingLimitRequest, requestedLimitFen: 300_029 } };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<CreditPage />);
    expect(await screen.findByText('2026-04-15 到期')).toBeInTheDocument();
    expect(screen.getByText('¥3,000.29')).toBeInTheDocument();
    expect(screen.getByText('· 近12个月消费 ¥5,600.00')).toBeInTheDocument();

    fireEvent.change(screen.getByPlaceholderText(/金额（元）/), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: '确认还款' }));
    expect(await screen.findByText('已还 ¥100.00，还欠 ¥200.00')).toBeInTheDocument();
    const [repayment] = posted(`/staff/customers/${CUSTOMER_ID}/credit-repayments`);
    expect(repayment!.data).toEqual({ storeId: STORE_A, amountFen: 10_000, method: 'cash' });
    expect(repayment!.headers['idempotency-key']).toMatch(/^repay-/);

    fireEvent.change(screen.getByPlaceholderText(/申请理由/), { target: { value: '老顾客，常办年卡' } });
    fireEvent.click(screen.getByRole('button', { name: '提交店长审批' }));
    expect(await screen.findByText('已提交，等待店长审批')).toBeInTheDocument();
    expect(document.querySelector('.fd__filed-amount')).toHaveTextContent('¥3,000.29');
    expect(posted(`/staff/customers/${CUSTOMER_ID}/credit-requests`)[0]!.data).toEqual({
      requestedLimitFen: 300_029,
      reason: '老顾客，常办年卡',
    });
  });

  it('shows the request she filed, waiting for a manager, instead of the form, so no second one is filed', async () => {
    setCurrentPages([`front-desk/credit/index?customerId=${CUSTOMER_ID}`]);
    waiting = pendingLimitRequest;
    serve();
    render(<CreditPage />);
    expect(await screen.findByText('已提交，等待店长审批')).toBeInTheDocument();
    expect(document.querySelector('.fd__filed-amount')).toHaveTextContent('¥5,000.00');
    // Filed 2026-03-20 06:30 UTC: 14:30 in Shanghai.
    expect(document.querySelector('.fd__filed-by')).toHaveTextContent('2026-03-20 14:30 · 我');
    expect(screen.queryByPlaceholderText(/申请理由/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '提交店长审批' })).not.toBeInTheDocument();
  });

  it('shows a colleague’s waiting request with who filed it, and no form', async () => {
    setCurrentPages([`front-desk/credit/index?customerId=${CUSTOMER_ID}`]);
    waiting = { ...pendingLimitRequest, requestedBy: { id: OTHER_BEAUTICIAN, name: '赵晓雪' } };
    serve();
    render(<CreditPage />);
    expect(await screen.findByText('赵晓雪 已提交申请，等待店长审批')).toBeInTheDocument();
    expect(document.querySelector('.fd__filed-amount')).toHaveTextContent('¥5,000.00');
    expect(document.querySelector('.fd__filed-by')).toHaveTextContent('2026-03-20 14:30 · 赵晓雪');
    expect(screen.getByText('店长审批前，不能再为她提交新的申请')).toBeInTheDocument();
    expect(screen.queryByPlaceholderText(/申请理由/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '提交店长审批' })).not.toBeInTheDocument();
  });

  it('asks for an amount above her limit when the suggestion is not (no request for less than she has)', async () => {
    setCurrentPages([`front-desk/credit/index?customerId=${CUSTOMER_ID}`]);
    // Suggested ¥1,000.00 against the ¥2,000.00 she has.
    serve(undefined, 100_000);
    render(<CreditPage />);
    const field = await screen.findByPlaceholderText('申请额度（元），须高于当前额度 ¥2,000.00');
    fireEvent.change(screen.getByPlaceholderText(/申请理由/), { target: { value: '老顾客，常办年卡' } });
    fireEvent.click(screen.getByRole('button', { name: '提交店长审批' }));
    expect(await screen.findByText('请输入申请额度')).toBeInTheDocument();
    fireEvent.change(field, { target: { value: '1500' } });
    fireEvent.click(screen.getByRole('button', { name: '提交店长审批' }));
    expect(await screen.findByText('申请额度应高于当前额度 ¥2,000.00')).toBeInTheDocument();
    expect(posted(`/staff/customers/${CUSTOMER_ID}/credit-requests`)).toEqual([]);
  });
});
