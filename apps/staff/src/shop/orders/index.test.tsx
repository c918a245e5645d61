import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, makeShopOrder, SHOP_STORE_ID, setFakeServer } from '@lumi/mini/testing';
import type { ShopOrder, StaffProfile } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ShopOrdersPage from './index.tsx';

const API = 'http://api.test';
const profile: StaffProfile = {
  id: '00000000-0000-4000-8000-000000000003',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  name: '王美丽',
  phone: '13800000003',
  role: 'beautician',
  stores: [{ id: SHOP_STORE_ID, name: '国贸店' }],
};
let waiting: ShopOrder[];
let shipping: ShopOrder[];
let seen: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  waiting = [makeShopOrder({ pickupCode: null })];
  shipping = [
    makeShopOrder({
      id: '00000000-0000-4000-8000-000000000502',
      number: 'SO-S01-20260305-0002',
      status: 'awaiting_shipment',
      fulfilment: 'delivery',
      pickupCode: null,
      address: { name: '林小雅', phone: '13800000000', region: '北京市 朝阳区', detail: '建国门外大街 1 号' },
    }),
  ];
  seen = [];
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    if (path === '/staff/me') return { status: 200, body: profile };
    if (path.startsWith('/staff/shop/orders?') || path === '/staff/shop/orders') {
      const status = (req.data as { status?: string }).status;
      return { status: 200, body: { items: status === 'awaiting_pickup' ? waiting : shipping } };
    }
    if (path === '/staff/shop/pickups') {
      const { code } = req.data as { code: string };
      if (code !== '042917') {
        return { status: 422, body: { error: { code: 'PICKUP_CODE_INVALID', message: 'x' } } };
      }
      waiting = [];
      return { status: 200, body: makeShopOrder({ status: 'collected', pickupCode: null }) };
    }
    if (path === `/staff/shop/orders/${shipping[0]?.id}/shipment`) {
      const done = {
        ...shipping[0]!,
        status: 'shipped' as const,
        trackingNote: (req.data as { trackingNote: string }).trackingNote,
      };
      shipping = [];
      return { status: 200, body: done };
    }
    throw new Error(`unexpected ${req.method} ${path}`);
  });
});

describe('staff shop orders', () => {
  it('hands over an order by its pickup code, and explains a wrong code', async () => {
    render(<ShopOrdersPage />);
    expect(await screen.findByText('待核销（1）')).toBeInTheDocument();
    const input = screen.getByPlaceholderText('输入顾客的 6 位核销码');
    const button = screen.getByRole('button', { name: '确定' });
    expect(button).toBeDisabled();
    // Not a pickup code at all: explained without asking the API.
    fireEvent.input(input, { target: { value: 'abc' } });
    fireEvent.click(button);
    expect(await screen.findByRole('alert')).toHaveTextContent('核销码是 6 位数字');
    fireEvent.input(input, { target: { value: '111111' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('核销码无效');
    fireEvent.input(input, { target: { value: '042917' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    expect(await screen.findByText('待核销（0）')).toBeInTheDocument();
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.data)).toEqual([
      { storeId: SHOP_STORE_ID, code: '111111' },
      { storeId: SHOP_STORE_ID, code: '042917' },
    ]);
  });

  it('ships a delivery with a tracking note', async () => {
    render(<ShopOrdersPage />);
    expect(await screen.findByText('待发货（1）')).toBeInTheDocument();
    expect(screen.getByText('林小雅 13800000000 北京市 朝阳区 建国门外大街 1 号')).toBeInTheDocument();
    fireEvent.input(screen.getByPlaceholderText('快递公司和单号'), { target: { value: '顺丰 SF123' } });
    fireEvent.click(screen.getByRole('button', { name: '发货' }));
    expect(await screen.findByText('待发货（0）')).toBeInTheDocument();
    expect(seen.find((r) => r.url.endsWith('/shipment'))?.data).toEqual({ trackingNote: '顺丰 SF123' });
  });
});
