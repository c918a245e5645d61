import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  type FakeResponse,
  fakeTaro,
  makeCart,
  makeShopCatalogue,
  makeShopOrder,
  SHOP_STORE_ID,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ShopCheckoutPage from './index.tsx';

const API = 'http://api.test';
const cart = makeCart();
const wallet = {
  customerId: '00000000-0000-4000-8000-000000000001',
  principalFen: 20_000,
  bonusFen: 0,
  totalFen: 20_000,
  points: 100,
  packageCards: [],
  credit: { owedFen: 0, limitFen: null },
  chainVerified: null,
};
const coupon = {
  id: '00000000-0000-4000-8000-0000000007c1',
  customerId: wallet.customerId,
  kind: 'amount_off',
  title: '商城礼',
  description: '满100减30元',
  amountOffFen: 3_000,
  percentOffBasisPoints: null,
  maxDiscountFen: null,
  addonName: null,
  minSpendFen: 10_000,
  validFrom: '2026-03-01T00:00:00.000Z',
  validTo: '2026-03-31T00:00:00.000Z',
  status: 'issued',
  usable: true,
  campaignId: null,
  redeemedAt: null,
};
let seen: FakeRequest[];
let cartAnswer: FakeResponse | null;
let orderAnswer: FakeResponse | null;

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['shop/cart/index', 'shop/checkout/index']);
  seen = [];
  cartAnswer = null;
  orderAnswer = null;
  setFakeServer((req) => {
    seen.push(req);
    const key = `${req.method} ${req.url.replace(API, '')}`;
    if (key === 'GET /me/shop/cart') return cartAnswer ?? { status: 200, body: cart };
    if (key === 'GET /me/shop/catalogue') return { status: 200, body: makeShopCatalogue() };
    if (key === 'GET /me/wallet') return { status: 200, body: wallet };
    if (key === 'GET /me/coupons?status=all') return { status: 200, body: { items: [coupon] } };
    if (key === 'POST /me/shop/quote') {
      return {
        status: 200,
        body: {
          totalFen: 50_600,
          couponDiscountFen: 3_000,
          pointsPricePoints: 0,
          lines: [{ itemId: cart.lines[0]?.itemId, amountFen: 50_600, pointsPrice: null, couponDiscountFen: 3_000 }],
        },
      };
    }
    if (key === 'POST /me/shop/orders') {
      return (
        orderAnswer ?? {
          status: 201,
          body: makeShopOrder({ status: 'awaiting_pickup', tenders: (req.data as { tenders: [] }).tenders }),
        }
      );
    }
    throw new Error(`unexpected ${key}`);
  });
});

describe('shop checkout', () => {
  it('pays with stored value and points, WeChat for the rest, and opens the order', async () => {
    vi.stubEnv('TARO_ENV', 'h5');
    render(<ShopCheckoutPage />);
    expect(await screen.findByText('玻尿酸精华 × 2')).toBeInTheDocument();
    fireEvent.input(screen.getByPlaceholderText('0.00'), { target: { value: '200' } });
    fireEvent.input(screen.getByPlaceholderText('0'), { target: { value: '100' } });
    expect(screen.getByText('微信支付').nextSibling).toHaveTextContent('¥335.00');
    fireEvent.click(screen.getByRole('button', { name: '提交订单' }));
    await vi.waitFor(() => expect(fakeTaro.redirectTo).toHaveBeenCalled());
    const post = seen.find((r) => r.method === 'POST' && r.url.endsWith('/me/shop/orders'));
    expect(post?.data).toEqual({
      storeId: SHOP_STORE_ID,
      fulfilment: 'pickup',
      address: null,
      tenders: [
        { method: 'stored_value', amountFen: 20_000 },
        { method: 'points', points: 100 },
        { method: 'wechat', amountFen: 33_500 },
      ],
      couponId: null,
      pointsPriceItemIds: [],
    });
    expect(fakeTaro.redirectTo).toHaveBeenCalledWith({ url: expect.stringContaining('/shop/order/index?id=') });
  });

  it('takes a coupon from her wallet at the price the API quotes, and sends it with the order', async () => {
    render(<ShopCheckoutPage />);
    await screen.findByText('玻尿酸精华 × 2');
    // In the staff till's words (couponSummary), not the server's stored description.
    expect(screen.queryByText(/满100减30元/)).toBeNull();
    fireEvent.click(screen.getByText('商城礼 · 立减 ¥30.00 · 满 ¥100.00 可用 · 2026-03-01 至 2026-03-31'));
    expect(await screen.findByText('-¥30.00')).toBeInTheDocument();
    expect(seen.find((r) => r.url.endsWith('/me/shop/quote'))?.data).toEqual({
      couponId: coupon.id,
      pointsPriceItemIds: [],
    });
    expect(screen.getByText('微信支付').nextSibling).toHaveTextContent('¥506.00');
    fireEvent.click(screen.getByRole('button', { name: '提交订单' }));
    await vi.waitFor(() => expect(fakeTaro.redirectTo).toHaveBeenCalled());
    const post = seen.find((r) => r.method === 'POST' && r.url.endsWith('/me/shop/orders'));
    expect(post?.data).toMatchObject({ couponId: coupon.id, tenders: [{ method: 'wechat', amountFen: 50_600 }] });
  });

  it('refuses more stored value than she has before asking the API', async () => {
    render(<ShopCheckoutPage />);
    await screen.findByText('玻尿酸精华 × 2');
    fireEvent.input(screen.getByPlaceholderText('0.00'), { target: { value: '300' } });
    expect(screen.getByRole('alert')).toHaveTextContent('储值余额不足');
    expect(screen.getByRole('button', { name: '提交订单' })).toBeDisabled();
  });

  it('shows the loading state while her cart and wallet are on their way', () => {
    setFakeServer(() => new Promise<FakeResponse>(() => {}));
    render(<ShopCheckoutPage />);
    expect(screen.getByRole('status')).toHaveTextContent('加载中');
  });

  it('says the cart is empty and offers no order to submit', async () => {
    cartAnswer = { status: 200, body: makeCart([]) };
    render(<ShopCheckoutPage />);
    expect(await screen.findByText('购物车是空的')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '提交订单' })).toBeNull();
  });

  it('shows why checkout did not load and loads it on 重试', async () => {
    cartAnswer = { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } };
    render(<ShopCheckoutPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后重试');
    cartAnswer = null;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('玻尿酸精华 × 2')).toBeInTheDocument();
  });

  it('says in Chinese why the order was refused, stays on the page and lets her submit again', async () => {
    orderAnswer = { status: 422, body: { error: { code: 'SHOP_OUT_OF_STOCK', message: 'Out of stock' } } };
    render(<ShopCheckoutPage />);
    await screen.findByText('玻尿酸精华 × 2');
    fireEvent.click(screen.getByRole('button', { name: '提交订单' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('库存不足，请减少数量或换个门店');
    expect(screen.getByRole('button', { name: '提交订单' })).toBeEnabled();
    expect(fakeTaro.redirectTo).not.toHaveBeenCalled();
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
    const posts = seen.filter((r) => r.method === 'POST' && r.url.endsWith('/me/shop/orders'));
    expect(posts.map((r) => r.data)).toEqual([
      expect.objectContaining({ tenders: [{ method: 'wechat', amountFen: 53_600 }] }),
    ]);
  });
});
