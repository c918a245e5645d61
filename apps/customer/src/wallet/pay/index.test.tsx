import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { fakeTaro, makePaymentOrder, setCurrentPages, setFakeServer, SIM_PAY_URL } from '@lumi/mini/testing';
import type { PaymentOrder } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import CounterPaymentPage from './index.tsx';

const API = 'http://api.test';
const OUT_TRADE_NO = 'LT20260101COUNTER';

const order = (state: PaymentOrder['state']) => makePaymentOrder(state, { outTradeNo: OUT_TRADE_NO });

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/home/index', `wallet/pay/index?outTradeNo=${OUT_TRADE_NO}`]);
});

describe('到店付款', () => {
  it('pays the order the beautician opened and says when it has reached her stored value', async () => {
    let reads = 0;
    const paid: unknown[] = [];
    setFakeServer((req) => {
      // H5: the shared requestPayment has the simulator pay the order.
      if (req.url === SIM_PAY_URL) {
        paid.push(req.data);
        return { status: 200, body: { ok: true } };
      }
      if (req.url === `${API}/me/payments/${OUT_TRADE_NO}`) {
        reads += 1;
        return { status: 200, body: order(reads > 1 ? 'SUCCESS' : 'NOTPAY') };
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    render(<CounterPaymentPage />);
    expect(await screen.findByText('会员储值 充1000送200')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '微信支付 ¥1,000.00' }));
    expect(await screen.findByText('付款成功，已存入您的储值', {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ package: 'prepay_id=wx0101' });
  });

  it('says a closed order cannot be paid', async () => {
    setFakeServer(() => ({ status: 200, body: order('CLOSED') }));
    render(<CounterPaymentPage />);
    expect(await screen.findByText('该付款已失效，请让店员重新生成付款码')).toBeInTheDocument();
  });

  it('opens the order a scanned 小程序码 names: the scene WeChat hands the page, URL-encoded', async () => {
    setCurrentPages([`wallet/pay/index?scene=${encodeURIComponent(`pay=${OUT_TRADE_NO}`)}`]);
    const read: string[] = [];
    setFakeServer((req) => {
      read.push(req.url);
      return { status: 200, body: order('NOTPAY') };
    });
    render(<CounterPaymentPage />);
    expect(await screen.findByRole('button', { name: '微信支付 ¥1,000.00' })).toBeInTheDocument();
    expect(read).toEqual([`${API}/me/payments/${OUT_TRADE_NO}`]);
  });

  it('reads the scene from the launch options when the code cold-started the mini-program at this page', async () => {
    setCurrentPages(['wallet/pay/index']);
    fakeTaro.getLaunchOptionsSync.mockReturnValue({
      path: 'wallet/pay/index',
      query: { scene: encodeURIComponent(`pay=${OUT_TRADE_NO}`) },
      scene: 1047,
    });
    const read: string[] = [];
    setFakeServer((req) => {
      read.push(req.url);
      return { status: 200, body: order('NOTPAY') };
    });
    render(<CounterPaymentPage />);
    expect(await screen.findByText('会员储值 充1000送200')).toBeInTheDocument();
    expect(read).toEqual([`${API}/me/payments/${OUT_TRADE_NO}`]);
  });
});
