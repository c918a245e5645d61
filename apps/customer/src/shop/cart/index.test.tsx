import { fireEvent, render, screen, within } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  type FakeResponse,
  fakeTaro,
  makeCart,
  makeCartLine,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { Cart } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ShopCartPage from './index.tsx';

const API = 'http://api.test';
const SERUM = '00000000-0000-4000-8000-0000000005a1';
const MASK = '00000000-0000-4000-8000-0000000005a2';
const unavailable: FakeResponse = { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } };
let cart: Cart;
let cartAnswer: FakeResponse | null;
let lineAnswer: FakeResponse | null;
let seen: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/shop/index', 'shop/cart/index']);
  cart = makeCart([makeCartLine(), makeCartLine({ itemId: MASK, name: '修护面膜', quantity: 1, unitPriceFen: 9_900 })]);
  cartAnswer = null;
  lineAnswer = null;
  seen = [];
  setFakeServer((req) => {
    seen.push(req);
    const key = `${req.method} ${req.url.replace(API, '')}`;
    if (key === 'GET /me/shop/cart') return cartAnswer ?? { status: 200, body: cart };
    if (key === 'PUT /me/shop/cart/lines') {
      if (lineAnswer) return lineAnswer;
      const { itemId, quantity } = req.data as { itemId: string; quantity: number };
      const lines = cart.lines.map((l) => (l.itemId === itemId ? makeCartLine({ ...l, quantity }) : l));
      return { status: 200, body: makeCart(lines.filter((l) => l.quantity > 0)) };
    }
    throw new Error(`unexpected ${key}`);
  });
});

const line = (itemId: string) => within(screen.getByTestId(`line-${itemId}`));
const lineWrites = () => seen.filter((r) => r.method === 'PUT').map((r) => r.data);

describe('shop cart', () => {
  it('shows the loading state while the cart is on its way', () => {
    setFakeServer(() => new Promise<FakeResponse>(() => {}));
    render(<ShopCartPage />);
    expect(screen.getByRole('status')).toHaveTextContent('加载中');
  });

  it('lists each line at her price with the total, and opens checkout', async () => {
    render(<ShopCartPage />);
    expect(await screen.findByText('玻尿酸精华')).toBeInTheDocument();
    expect(line(SERUM).getByText('¥268.00')).toBeInTheDocument();
    expect(line(SERUM).getByText('2')).toBeInTheDocument();
    expect(line(MASK).getByRole('button', { name: '删除' })).toBeInTheDocument();
    expect(screen.getByText('合计').nextSibling).toHaveTextContent('¥635.00');
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '去结算' }));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/shop/checkout/index' });
  });

  it('changes a quantity through the API and shows the cart it answers with', async () => {
    render(<ShopCartPage />);
    await screen.findByText('玻尿酸精华');
    fireEvent.click(line(SERUM).getByRole('button', { name: '＋' }));
    await vi.waitFor(() => expect(line(SERUM).getByText('3')).toBeInTheDocument());
    expect(screen.getByText('合计').nextSibling).toHaveTextContent('¥903.00');
    expect(lineWrites()).toEqual([{ itemId: SERUM, quantity: 3 }]);
  });

  it('takes a line of one out of the cart with 删除 (quantity 0)', async () => {
    render(<ShopCartPage />);
    await screen.findByText('修护面膜');
    fireEvent.click(line(MASK).getByRole('button', { name: '删除' }));
    await vi.waitFor(() => expect(screen.queryByText('修护面膜')).toBeNull());
    expect(lineWrites()).toEqual([{ itemId: MASK, quantity: 0 }]);
    expect(screen.getByText('合计').nextSibling).toHaveTextContent('¥536.00');
  });

  it('says why a change failed, in Chinese, and keeps the cart as it was', async () => {
    lineAnswer = { status: 422, body: { error: { code: 'SHOP_OUT_OF_STOCK', message: 'Out of stock' } } };
    render(<ShopCartPage />);
    await screen.findByText('玻尿酸精华');
    fireEvent.click(line(SERUM).getByRole('button', { name: '＋' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('库存不足，请减少数量或换个门店');
    expect(screen.getByText('合计').nextSibling).toHaveTextContent('¥635.00');
    expect(lineWrites()).toEqual([{ itemId: SERUM, quantity: 3 }]);
  });

  it('marks a line taken off sale and will not go to checkout until it is removed', async () => {
    cart = makeCart([makeCartLine(), makeCartLine({ itemId: MASK, name: '修护面膜', quantity: 1, onSale: false })]);
    render(<ShopCartPage />);
    expect(await screen.findByText('（已下架）')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('请先删除已下架的商品');
    expect(screen.getByRole('button', { name: '去结算' })).toBeDisabled();
  });

  it('says the cart is empty', async () => {
    cart = makeCart([]);
    render(<ShopCartPage />);
    expect(await screen.findByText('购物车是空的')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '去结算' })).toBeNull();
  });

  it('shows why the cart did not load and loads it on 重试', async () => {
    cartAnswer = unavailable;
    render(<ShopCartPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后重试');
    cartAnswer = null;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('玻尿酸精华')).toBeInTheDocument();
    expect(seen.filter((r) => r.url.endsWith('/me/shop/cart'))).toHaveLength(2);
  });
});
