import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  fakeTaro,
  makePaymentOrder,
  setCurrentPages,
  setFakeServer,
  SIM_PAY_URL,
} from '@lumi/mini/testing';
import type { PaymentOrder } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TopUpPlan } from '../../services/wallet.ts';
import TopUpPage from './index.tsx';

const API = 'http://api.test';
const plans: TopUpPlan[] = [
  {
    id: '00000000-0000-4000-8000-0000000000a1',
    name: '充1000送200',
    payFen: 100_000,
    bonusFen: 20_000,
    bonusPoints: 0,
    giftPackagePlanId: null,
  },
  {
    id: '00000000-0000-4000-8000-0000000000a2',
    name: '充3000送800',
    payFen: 300_000,
    bonusFen: 80_000,
    bonusPoints: 500,
    giftPackagePlanId: null,
  },
];

const order = (state: PaymentOrder['state'], amountFen: number) =>
  makePaymentOrder(state, { description: '会员储值', amountFen });

let seen: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/home/index', 'wallet/top-up/index']);
  seen = [];
  let amountFen = 0;
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    if (path === '/me/top-up-plans') return { status: 200, body: plans };
    if (path === '/me/payments/top-ups') {
      const body = req.data as { planId?: string; amountFen?: number };
      amountFen = body.amountFen ?? plans.find((p) => p.id === body.planId)?.payFen ?? 0;
      return { status: 201, body: order('NOTPAY', amountFen) };
    }
    // WeChat's confirmation is already in by the first read.
    if (path === '/me/payments/LT20260101ABCDEF') return { status: 200, body: order('SUCCESS', amountFen) };
    if (req.url === SIM_PAY_URL) return { status: 200, body: { ok: true } };
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
});

const payButton = () => screen.getByRole('button', { name: /微信支付/ });

describe('top-up page', () => {
  it('lists the offers, pays the chosen one and goes back to the wallet', async () => {
    render(<TopUpPage />);
    expect(await screen.findByText('充1000送200')).toBeInTheDocument();
    expect(screen.getByText('送 ¥800.00 · 送 500 积分')).toBeInTheDocument();
    expect(payButton()).toBeDisabled();

    fireEvent.click(screen.getByText('充1000送200'));
    expect(payButton()).toHaveTextContent('微信支付 ¥1,000.00');
    fireEvent.click(payButton());

    await waitFor(() => expect(fakeTaro.navigateBack).toHaveBeenCalledTimes(1));
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '充值成功' }));
    const post = seen.find((r) => r.url.endsWith('/me/payments/top-ups'));
    expect(post?.data).toEqual({ planId: plans[0]?.id });
    expect(post?.headers['idempotency-key']).toMatch(/^topup-/);
    expect(seen.some((r) => r.url === SIM_PAY_URL)).toBe(true);
  });

  it('pays a custom amount typed in yuan, as integer fen', async () => {
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('其他金额'));
    fireEvent.change(screen.getByPlaceholderText('输入充值金额（元）'), { target: { value: '888.8' } });
    expect(payButton()).toHaveTextContent('微信支付 ¥888.80');
    fireEvent.click(payButton());

    await waitFor(() => expect(fakeTaro.navigateBack).toHaveBeenCalled());
    expect(seen.find((r) => r.url.endsWith('/me/payments/top-ups'))?.data).toEqual({ amountFen: 88_880 });
  });

  it('refuses a bad custom amount in Chinese without calling the API', async () => {
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('其他金额'));

    fireEvent.click(payButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('请输入充值金额');

    fireEvent.change(screen.getByPlaceholderText('输入充值金额（元）'), { target: { value: '12.345' } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(payButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('请输入正确的金额，最多两位小数');

    fireEvent.change(screen.getByPlaceholderText('输入充值金额（元）'), { target: { value: '60000' } });
    fireEvent.click(payButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('单笔充值不能超过 ¥50,000.00');

    expect(seen.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('a cancelled WeChat payment shows a toast and stays on the page, with no error', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    fakeTaro.requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('充1000送200'));
    fireEvent.click(payButton());

    await waitFor(() =>
      expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已取消支付', icon: 'none' })),
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(payButton()).toBeEnabled();
    expect(fakeTaro.navigateBack).not.toHaveBeenCalled();
    expect(seen.some((r) => r.url.includes('/me/payments/LT'))).toBe(false);
  });

  it('shows a failed order on the page, and the retry sends the same Idempotency-Key', async () => {
    let failures = 1;
    const server = seen;
    setFakeServer((req) => {
      server.push(req);
      if (req.url.endsWith('/me/top-up-plans')) return { status: 200, body: plans };
      if (req.url.endsWith('/me/payments/top-ups') && failures-- > 0) {
        return { status: 502, body: { error: { code: 'WECHAT_PAY_REJECTED', message: 'refused' } } };
      }
      if (req.url.endsWith('/me/payments/top-ups')) return { status: 200, body: order('NOTPAY', 100_000) };
      if (req.url.includes('/me/payments/')) return { status: 200, body: order('SUCCESS', 100_000) };
      return { status: 200, body: { ok: true } };
    });
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('充1000送200'));
    fireEvent.click(payButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('微信支付暂时无法下单，请稍后重试');

    fireEvent.click(payButton());
    await waitFor(() => expect(fakeTaro.navigateBack).toHaveBeenCalled());
    const keys = server.filter((r) => r.url.endsWith('/me/payments/top-ups')).map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('opened on its own (no page below), it returns to the wallet by relaunching it', async () => {
    setCurrentPages(['wallet/top-up/index']);
    render(<TopUpPage />);
    fireEvent.click(await screen.findByText('充1000送200'));
    fireEvent.click(payButton());
    await waitFor(() => expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' }));
    expect(fakeTaro.navigateBack).not.toHaveBeenCalled();
  });
});
