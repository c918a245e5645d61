import { render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { makeShopOrder, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ShopVoucher } from '@lumi/shared';
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

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/shop/index', 'shop/orders/index']);
  vouchers = [
    voucher('00000000-0000-4000-8000-0000000007d1', 'issued'),
    voucher('00000000-0000-4000-8000-0000000007d2', 'redeemed'),
  ];
  setFakeServer((req) => {
    const path = req.url.replace(API, '');
    if (path === '/me/shop/orders') return { status: 200, body: { items: [makeShopOrder()] } };
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
});
