import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  makeShopCatalogue,
  makeShopItem,
  SHOP_STORE_ID,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { StaffProfile } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ShopItemPage from './index.tsx';

const API = 'http://api.test';
const item = makeShopItem({ tierPrices: [{ tierId: '00000000-0000-4000-8000-0000000009a1', priceFen: 26_800 }] });
const profile: StaffProfile = {
  id: '00000000-0000-4000-8000-000000000004',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  name: '张店长',
  phone: '13800000004',
  role: 'manager',
  stores: [{ id: SHOP_STORE_ID, name: '国贸店' }],
};
let seen: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['shop/stock/index', `shop/item/index?id=${item.id}`]);
  seen = [];
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    if (path === '/staff/me') return { status: 200, body: profile };
    if (path === '/staff/shop/catalogue') return { status: 200, body: makeShopCatalogue({ items: [item] }) };
    if (path === `/staff/shop/items/${item.id}`) return { status: 200, body: { ...item, ...(req.data as object) } };
    if (path === `/staff/shop/items/${item.id}/stock`) return { status: 200, body: item };
    throw new Error(`unexpected ${req.method} ${path}`);
  });
});

describe('staff item editor', () => {
  it('saves name, price, points price, sale and sort order with the tier prices kept, and the store count', async () => {
    render(<ShopItemPage />);
    const name = await screen.findByDisplayValue('玻尿酸精华');
    fireEvent.input(name, { target: { value: '玻尿酸精华 50ml' } });
    fireEvent.input(screen.getByDisplayValue('298.00'), { target: { value: '318' } });
    fireEvent.input(screen.getByDisplayValue('20000'), { target: { value: '' } });
    fireEvent.click(screen.getByText('下架'));
    fireEvent.input(screen.getByPlaceholderText('国贸店库存'), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    const put = () => seen.find((r) => r.method === 'PUT' && r.url.endsWith(`/staff/shop/items/${item.id}`));
    await expect.poll(put).toBeTruthy();
    expect(put()?.data).toMatchObject({
      name: '玻尿酸精华 50ml',
      listPriceFen: 31_800,
      pointsPrice: null,
      onSale: false,
      sortOrder: 1,
      tierPrices: item.tierPrices,
    });
    expect(put()?.data).not.toHaveProperty('stock');
    await expect
      .poll(() => seen.find((r) => r.url.endsWith('/stock'))?.data)
      .toEqual({
        storeId: SHOP_STORE_ID,
        quantity: 12,
      });
  });

  it('explains a bad price before asking the API', async () => {
    render(<ShopItemPage />);
    fireEvent.input(await screen.findByDisplayValue('298.00'), { target: { value: '2.999' } });
    expect(screen.getByRole('alert')).toHaveTextContent('最多两位小数');
    expect(screen.getByRole('button', { name: '保存' })).toBeDisabled();
  });
});
