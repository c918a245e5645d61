import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeResponse, fakeTaro, makeShopOrder, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ShopOrder, ShopVoucher } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ShopOrdersPage from './index.tsx';

const API = 'http://api.test';
const voucher = (id: string, status: ShopVoucher['status']): ShopVoucher => ({
  id,
  customerId: '00000000-0000-4000-8000-000000000001',
  name: '面部护理体验券',
  serviceId: null,
  status,
  orderNumber: 'SO-S01-20260305-0001',
  createdAt: '2026-03-05T05:00:00.000Z',
  redeemedAt: status === 'redeemed' ? '2026-03-06T05:00:00.000Z' : null,
  valueFen: 6_000,
  billId: null,
});
let vouchers: ShopVoucher[];
let orders: ShopOrder[];
let ordersAnswer: FakeResponse | null;
let requests: string[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/shop/index', 'shop/orders/index']);
  vouchers = [
    voucher('00000000-0000-4000-8000-0000000007d1', 'issued'),
    voucher('00000000-0000-4000-8000-0000000007d2', 'redeemed'),
  ];
  orders = [makeShopOrder()];
  ordersAnswer = null;
  requests = [];
  setFakeServer((req) => {
    const path = req.url.replace(API, '');
    requests.push(path);
    if (path === '/me/shop/orders') return ordersAnswer ?? { status: 200, body: { items: orders } };
    if (path === '/me/shop/vouchers') return { status: 200, body: { items: vouchers } };
    throw new Error(`unexpected ${req.method} ${path}`);
  });
});

describe('my shop orders', () => {
  it('lists the orders and the service vouchers not used yet', async () => {
    render(<ShopOrdersPage />);
    expect(await screen.findByText('SO-S01-20260305-0001')).toBeInTheDocument();
    expect(screen.getByText('我的服务券（1）')).toBeInTheDocument();
    expect(screen.getAllByText('面部护理体验券')).toHaveLength(1);
  });

  it('shows no voucher section when every voucher is used', async () => {
    vouchers = [voucher('00000000-0000-4000-8000-0000000007d2', 'redeemed')];
    render(<ShopOrdersPage />);
    await screen.findByText('SO-S01-20260305-0001');
    expect(screen.queryByText(/我的服务券/)).not.toBeInTheDocument();
  });

  it('shows the loading state while the orders are on their way', () => {
    setFakeServer(() => new Promise<FakeResponse>(() => {}));
    render(<ShopOrdersPage />);
    expect(screen.getByRole('status')).toHaveTextContent('加载中');
  });

  it('shows each order with its status, lines and total, and opens it on a tap', async () => {
    render(<ShopOrdersPage />);
    expect(await screen.findByText('SO-S01-20260305-0001')).toBeInTheDocument();
    expect(screen.getByText('SO-S01-20260305-0001').nextSibling).toHaveTextContent('待核销');
    expect(screen.getByText('玻尿酸精华 × 2')).toBeInTheDocument();
    expect(screen.getByText('¥536.00')).toBeInTheDocument();
    fireEvent.click(screen.getByText('玻尿酸精华 × 2'));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/shop/order/index?id=${makeShopOrder().id}` });
  });

  it('says she has no orders yet', async () => {
    orders = [];
    vouchers = [];
    render(<ShopOrdersPage />);
    expect(await screen.findByText('还没有订单')).toBeInTheDocument();
    expect(screen.queryByText('SO-S01-20260305-0001')).toBeNull();
  });

  it('shows why the orders did not load and loads them on 重试', async () => {
    ordersAnswer = { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } };
    render(<ShopOrdersPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后重试');
    expect(screen.queryByText(/我的服务券/)).toBeNull();
    ordersAnswer = null;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('SO-S01-20260305-0001')).toBeInTheDocument();
    expect(requests.filter((p) => p === '/me/shop/orders')).toHaveLength(2);
  });
});
