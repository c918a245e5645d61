import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  type FakeResponse,
  fakeTaro,
  makeCart,
  makeCartLine,
  makeShopItem,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { Cart, ShopItem } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ShopItemPage from './index.tsx';

const API = 'http://api.test';
const SERUM = '00000000-0000-4000-8000-0000000005a1';
let item: ShopItem;
let cart: Cart;
let itemAnswer: FakeResponse | null;
let lineAnswer: FakeResponse | null;
let seen: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/shop/index', `shop/item/index?id=${SERUM}`]);
  item = makeShopItem();
  cart = makeCart([makeCartLine({ quantity: 2 })]);
  itemAnswer = null;
  lineAnswer = null;
  seen = [];
  setFakeServer((req) => {
    seen.push(req);
    const key = `${req.method} ${req.url.replace(API, '')}`;
    if (key === `GET /me/shop/items/${SERUM}`) return itemAnswer ?? { status: 200, body: item };
    if (key === 'GET /me/shop/cart') return { status: 200, body: cart };
    if (key === 'PUT /me/shop/cart/lines') {
      const { quantity } = req.data as { quantity: number };
      return lineAnswer ?? { status: 200, body: makeCart([makeCartLine({ quantity })]) };
    }
    throw new Error(`unexpected ${key}`);
  });
});

const cartWrites = () => seen.filter((r) => r.method === 'PUT').map((r) => r.data);

describe('shop item', () => {
  it('shows the loading state while the item is on its way', () => {
    setFakeServer(() => new Promise<FakeResponse>(() => {}));
    render(<ShopItemPage />);
    expect(screen.getByRole('status')).toHaveTextContent('加载中');
  });

  it('shows her tier price under the list price, the points price and stock per store', async () => {
    item = makeShopItem({
      stock: [
        { storeId: '00000000-0000-4000-8000-000000000010', storeName: '国贸店', quantity: 5 },
        { storeId: '00000000-0000-4000-8000-000000000011', storeName: '望京店', quantity: 0 },
      ],
    });
    render(<ShopItemPage />);
    expect(await screen.findByText('玻尿酸精华')).toBeInTheDocument();
    expect(screen.getByText('商品')).toBeInTheDocument();
    expect(screen.getByText('¥268.00')).toBeInTheDocument();
    expect(screen.getByText('¥298.00')).toBeInTheDocument();
    expect(screen.getByText('会员价')).toBeInTheDocument();
    expect(screen.getByText('或 20,000 积分')).toBeInTheDocument();
    expect(screen.getByText('国贸店').nextSibling).toHaveTextContent('剩 5 件');
    expect(screen.getByText('望京店').nextSibling).toHaveTextContent('缺货');
  });

  it('adds the chosen quantity on top of what is already in the cart', async () => {
    render(<ShopItemPage />);
    await screen.findByText('玻尿酸精华');
    fireEvent.click(screen.getByRole('button', { name: '＋' }));
    fireEvent.click(screen.getByRole('button', { name: '＋' }));
    expect(screen.getByTestId('quantity')).toHaveTextContent('3');
    fireEvent.click(screen.getByRole('button', { name: '加入购物车' }));
    await vi.waitFor(() =>
      expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已加入购物车' })),
    );
    expect(cartWrites()).toEqual([{ itemId: SERUM, quantity: 5 }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says in Chinese why the item could not be added, and toasts nothing', async () => {
    lineAnswer = { status: 422, body: { error: { code: 'SHOP_OUT_OF_STOCK', message: 'Out of stock' } } };
    render(<ShopItemPage />);
    await screen.findByText('玻尿酸精华');
    fireEvent.click(screen.getByRole('button', { name: '加入购物车' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('库存不足，请减少数量或换个门店');
    expect(cartWrites()).toEqual([{ itemId: SERUM, quantity: 3 }]);
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
  });

  it('will not add a product no store has left', async () => {
    item = makeShopItem({ stock: [] });
    render(<ShopItemPage />);
    expect(await screen.findByText('暂无库存')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '已售罄' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: '加入购物车' })).toBeNull();
  });

  it('opens the cart', async () => {
    render(<ShopItemPage />);
    await screen.findByText('玻尿酸精华');
    fireEvent.click(screen.getByRole('button', { name: '购物车' }));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/shop/cart/index' });
  });

  it('says an item that is gone is not found, with 返回 and no 重试', async () => {
    itemAnswer = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Item not found' } } };
    render(<ShopItemPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('没有找到这条记录，它可能已被撤销或删除');
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '重试' })).toBeNull();
  });

  it('shows why the item did not load and loads it on 重试', async () => {
    itemAnswer = { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } };
    render(<ShopItemPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后重试');
    itemAnswer = null;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('玻尿酸精华')).toBeInTheDocument();
  });
});
