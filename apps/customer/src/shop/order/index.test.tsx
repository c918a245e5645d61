import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, makeShopOrder, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ShopOrder } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ShopOrderPage from './index.tsx';

const API = 'http://api.test';
let order: ShopOrder;
let seen: FakeRequest[];
let failNext: { status: number; body: unknown } | null;

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  order = makeShopOrder();
  setCurrentPages(['shop/orders/index', `shop/order/index?id=${order.id}`]);
  seen = [];
  failNext = null;
  setFakeServer((req) => {
    seen.push(req);
    const key = `${req.method} ${req.url.replace(API, '')}`;
    if (key === `GET /me/shop/orders/${order.id}`) return { status: 200, body: order };
    if (key === `POST /me/shop/orders/${order.id}/after-sales`) {
      if (failNext) return failNext;
      const body = req.data as { lines?: { lineId: string; quantity: number }[]; reason: string };
      order = {
        ...order,
        afterSales: [
          {
            id: '00000000-0000-4000-8000-0000000005e1',
            orderId: order.id,
            orderNumber: order.number,
            status: 'requested',
            lines: (body.lines ?? [{ lineId: order.lines[0]!.id, quantity: 2 }]).map((l) => ({
              ...l,
              name: '玻尿酸精华',
              amountFen: 26_800 * l.quantity,
            })),
            amountFen: 26_800,
            reason: body.reason,
            decisionNote: null,
            tenders: [],
            wechatOutRefundNo: null,
            pointsClawedBack: 0,
            createdAt: new Date().toISOString(),
            decidedAt: null,
          },
        ],
      };
      return { status: 201, body: order };
    }
    if (key === `POST /me/shop/orders/${order.id}/cancel`) {
      order = { ...order, status: 'closed', closedReason: 'cancelled' };
      return { status: 200, body: order };
    }
    throw new Error(`unexpected ${key}`);
  });
});

describe('shop order page', () => {
  it("shows the order's progress with dates, newest first, after-sales with their amounts and points taken back", async () => {
    order = makeShopOrder({
      status: 'collected',
      afterSales: [
        {
          id: '00000000-0000-4000-8000-0000000005e2',
          orderId: order.id,
          orderNumber: order.number,
          status: 'approved',
          lines: [{ lineId: order.lines[0]!.id, name: '玻尿酸精华', quantity: 1, amountFen: 26_800 }],
          amountFen: 26_800,
          reason: '过敏',
          decisionNote: null,
          tenders: [{ method: 'stored_value', amountFen: 26_800, principalFen: 26_800, bonusFen: 0 }],
          wechatOutRefundNo: null,
          pointsClawedBack: 268,
          createdAt: '2026-03-06T02:00:00.000Z',
          decidedAt: '2026-03-06T03:30:00.000Z',
        },
      ],
      timeline: [
        { step: 'placed', at: '2026-03-05T04:58:00.000Z', amountFen: 53_600 },
        { step: 'paid', at: '2026-03-05T05:00:00.000Z', amountFen: 53_600 },
        { step: 'collected', at: '2026-03-05T08:15:00.000Z', amountFen: null },
        { step: 'after_sale_requested', at: '2026-03-06T02:00:00.000Z', amountFen: 26_800 },
        { step: 'after_sale_approved', at: '2026-03-06T03:30:00.000Z', amountFen: 26_800 },
      ],
    });
    render(<ShopOrderPage />);
    const timeline = (await screen.findByText('订单进度')).parentElement!;
    // Shanghai time, newest first.
    expect(timeline.textContent).toMatch(
      /售后通过，已退款¥268\.00 · 2026-03-06 11:30申请售后¥268\.00 · 2026-03-06 10:00已到店取货2026-03-05 16:15支付成功2026-03-05 13:00提交订单2026-03-05 12:58/,
    );
    expect(screen.getByText('扣回积分 268')).toBeTruthy();
  });
  it('shows the pickup code in large digits, the lines and how it was paid', async () => {
    render(<ShopOrderPage />);
    expect(await screen.findByText('042917')).toHaveClass('shop-pickup-code');
    // The same code as a QR for the till to scan, and what the order earned.
    expect(document.querySelector('.shop-pickup-qr')).not.toBeNull();
    expect(screen.getByText('+536')).toBeInTheDocument();
    expect(screen.getByText('待核销')).toHaveClass('shop-status');
    expect(screen.getByText('玻尿酸精华 × 2')).toBeInTheDocument();
    expect(screen.getByText('合计').nextSibling).toHaveTextContent('¥536.00');
    expect(screen.getByText('储值').nextSibling).toHaveTextContent('¥200.00');
    expect(screen.getByText('微信支付').nextSibling).toHaveTextContent('¥336.00');
  });

  it('asks for a refund of one unit with a reason, once per key, and shows it waiting', async () => {
    render(<ShopOrderPage />);
    fireEvent.click(await screen.findByRole('button', { name: '申请售后' }));
    fireEvent.click(screen.getByRole('button', { name: '部分退款' }));
    const submit = screen.getByRole('button', { name: '提交申请' });
    expect(submit).toBeDisabled();
    fireEvent.click(screen.getAllByRole('button', { name: '＋' })[0]!);
    fireEvent.input(screen.getByPlaceholderText('退款原因（至少 2 个字）'), { target: { value: '买多了一瓶' } });
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByText('待审核')).toBeInTheDocument();
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.data).toEqual({ lines: [{ lineId: order.lines[0]!.id, quantity: 1 }], reason: '买多了一瓶' });
    expect(post?.headers['idempotency-key']).toMatch(/^after-sale-/);
    // One request at a time.
    expect(screen.queryByRole('button', { name: '申请售后' })).toBeNull();
  });

  it('asks for the whole order, wallet items included, and hears in Chinese when one was used', async () => {
    order = makeShopOrder({
      status: 'completed',
      pickupCode: null,
      lines: [{ ...makeShopOrder().lines[0]!, kind: 'package_card', name: '面部护理十次卡', quantity: 1 }],
    });
    failNext = { status: 422, body: { error: { code: 'SHOP_WALLET_ITEM_USED', message: 'x' } } };
    render(<ShopOrderPage />);
    fireEvent.click(await screen.findByRole('button', { name: '申请售后' }));
    // A card alone cannot go back in part: only the whole order is offered.
    expect(screen.queryByRole('button', { name: '部分退款' })).toBeNull();
    expect(screen.getByText('次卡、充值和服务券未使用时随整单退回；已使用的服务券不退。')).toBeInTheDocument();
    fireEvent.input(screen.getByPlaceholderText('退款原因（至少 2 个字）'), { target: { value: '不想办卡了' } });
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('订单中的次卡、充值或服务券已使用，不能整单退款');
    failNext = null;
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByText('待审核')).toBeInTheDocument();
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.data)).toEqual([
      { reason: '不想办卡了' },
      { reason: '不想办卡了' },
    ]);
  });

  it('shows the API refusal in Chinese and keeps the form', async () => {
    failNext = { status: 422, body: { error: { code: 'REFUND_AMOUNT_EXCEEDED', message: 'x' } } };
    render(<ShopOrderPage />);
    fireEvent.click(await screen.findByRole('button', { name: '申请售后' }));
    fireEvent.click(screen.getByRole('button', { name: '部分退款' }));
    fireEvent.click(screen.getAllByRole('button', { name: '＋' })[0]!);
    fireEvent.input(screen.getByPlaceholderText('退款原因（至少 2 个字）'), { target: { value: '不要了' } });
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('退款金额超过可退金额');
  });

  it('names the bill a voucher sits on when the store has not settled it yet', async () => {
    failNext = {
      status: 409,
      body: {
        error: {
          code: 'VOUCHER_ON_OPEN_BILL',
          message: 'This voucher is on bill B0003, not yet settled',
          details: { billNumber: 'B0003', billStatus: 'open' },
        },
      },
    };
    render(<ShopOrderPage />);
    fireEvent.click(await screen.findByRole('button', { name: '申请售后' }));
    fireEvent.click(screen.getByRole('button', { name: '部分退款' }));
    fireEvent.click(screen.getAllByRole('button', { name: '＋' })[0]!);
    fireEvent.input(screen.getByPlaceholderText('退款原因（至少 2 个字）'), { target: { value: '不去了' } });
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '该服务券正在门店账单 B0003 中使用，该账单结账或取消后才能办理售后',
    );
  });

  it("names a top-up's gift card under its line, one a unit, and nothing under other lines", async () => {
    const product = makeShopOrder().lines[0]!;
    order = makeShopOrder({
      status: 'completed',
      pickupCode: null,
      lines: [
        {
          ...product,
          id: '00000000-0000-4000-8000-0000000005d2',
          kind: 'top_up_plan',
          name: '充2000送300',
          giftCard: { name: '补水护理3次卡', sessions: 3 },
        },
        product,
      ],
    });
    render(<ShopOrderPage />);
    const gifts = await screen.findAllByTestId('gift-card');
    expect(gifts.map((g) => g.textContent)).toEqual(['赠送次卡：补水护理3次卡（3 次） × 2 张']);
    expect(gifts[0]!.previousSibling).toHaveTextContent('充2000送300 × 2');
  });

  it('lets her cancel an order waiting for payment', async () => {
    order = makeShopOrder({
      status: 'pending_payment',
      pickupCode: null,
      paidAt: null,
      expiresAt: '2026-03-05T05:30:00.000Z',
    });
    render(<ShopOrderPage />);
    expect(await screen.findByText(/前完成支付/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '微信支付' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '取消订单' }));
    expect(await screen.findByText('已关闭')).toBeInTheDocument();
  });
});
