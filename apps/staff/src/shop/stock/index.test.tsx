import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  fakeTaro,
  makeShopCatalogue,
  makeShopItem,
  SHOP_STORE_ID,
  setFakeServer,
} from '@lumi/mini/testing';
import type { ShopSettings, StaffProfile } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ShopStockPage from './index.tsx';

const API = 'http://api.test';
const profile: StaffProfile = {
  id: '00000000-0000-4000-8000-000000000004',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  name: '张店长',
  phone: '13800000004',
  role: 'manager',
  stores: [{ id: SHOP_STORE_ID, name: '国贸店' }],
};
const voucher = makeShopItem({
  id: '00000000-0000-4000-8000-0000000005a2',
  kind: 'service_voucher',
  name: '体验券',
  stock: [],
});
let settings: ShopSettings;
let seen: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  settings = { afterSaleApproval: true, autoReceiveDays: 10, autoCompleteDays: 7 };
  seen = [];
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    if (path === '/staff/me') return { status: 200, body: profile };
    if (path === '/staff/shop/catalogue') {
      return { status: 200, body: makeShopCatalogue({ items: [makeShopItem(), voucher] }) };
    }
    if (path === '/staff/shop/settings' && req.method === 'GET') return { status: 200, body: settings };
    if (path === '/staff/shop/settings') {
      settings = { ...settings, ...(req.data as object) };
      return { status: 200, body: settings };
    }
    throw new Error(`unexpected ${req.method} ${path}`);
  });
});

describe('staff shop management', () => {
  it('changes the after-sale review and the auto-receive days, and opens an item’s editor', async () => {
    render(<ShopStockPage />);
    expect(await screen.findByText('✓ 店长审核后退款')).toBeInTheDocument();
    const save = screen.getByRole('button', { name: '保存设置' });
    expect(save).toBeDisabled();
    fireEvent.click(screen.getByText('申请即退款'));
    fireEvent.input(screen.getByDisplayValue('10'), { target: { value: '5' } });
    fireEvent.click(save);
    await vi.waitFor(() =>
      expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '设置已保存' })),
    );
    await vi.waitFor(() => expect(screen.getByText('✓ 申请即退款')).toBeInTheDocument());
    expect(seen.find((r) => r.method === 'PUT')?.data).toEqual({
      afterSaleApproval: false,
      autoReceiveDays: 5,
      autoCompleteDays: 7,
    });

    // Every item can be edited; only products have a count per store.
    expect(screen.getByText('体验券')).toBeInTheDocument();
    expect(screen.getAllByText(/^库存 /)).toHaveLength(1);
    fireEvent.click(screen.getAllByRole('button', { name: '编辑' })[1]!);
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/shop/item/index?id=${voucher.id}` });
  });

  it('refuses days outside 1–60', async () => {
    render(<ShopStockPage />);
    fireEvent.input(await screen.findByDisplayValue('7'), { target: { value: '0' } });
    expect(screen.getByRole('alert')).toHaveTextContent('天数为 1–60');
    expect(screen.getByRole('button', { name: '保存设置' })).toBeDisabled();
  });
});
