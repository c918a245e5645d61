import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeResponse,
  fakeTaro,
  makeShopCatalogue,
  makeShopItem,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { ShopCatalogue } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ShopCategoryPage from './index.tsx';

const API = 'http://api.test';
const SKIN_CARE = '00000000-0000-4000-8000-0000000005c1';
const BODY_CARE = '00000000-0000-4000-8000-0000000005c2';
const SERUM = '00000000-0000-4000-8000-0000000005a1';
const MASK = '00000000-0000-4000-8000-0000000005a2';
const OIL = '00000000-0000-4000-8000-0000000005a3';
let catalogue: ShopCatalogue;
let answer: FakeResponse | null;
let requests: string[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/shop/index', `shop/category/index?id=${SKIN_CARE}`]);
  catalogue = makeShopCatalogue({
    categories: [
      { id: SKIN_CARE, name: '护肤', sortOrder: 1 },
      { id: BODY_CARE, name: '身体护理', sortOrder: 2 },
    ],
    items: [
      makeShopItem(),
      makeShopItem({ id: MASK, name: '修护面膜', priceFen: 9_900, listPriceFen: 9_900, stock: [] }),
      makeShopItem({ id: OIL, categoryId: BODY_CARE, name: '玫瑰精油' }),
    ],
  });
  answer = null;
  requests = [];
  setFakeServer((req) => {
    const key = `${req.method} ${req.url.replace(API, '')}`;
    requests.push(key);
    if (key === 'GET /me/shop/catalogue') return answer ?? { status: 200, body: catalogue };
    throw new Error(`unexpected ${key}`);
  });
});

describe('shop category', () => {
  it('shows the loading state while the catalogue is on its way', () => {
    setFakeServer(() => new Promise<FakeResponse>(() => {}));
    render(<ShopCategoryPage />);
    expect(screen.getByRole('status')).toHaveTextContent('加载中');
  });

  it("lists this category's items at her price, titled with its name", async () => {
    render(<ShopCategoryPage />);
    const serum = within(await screen.findByTestId(`item-${SERUM}`));
    expect(serum.getByText('玻尿酸精华')).toBeInTheDocument();
    expect(serum.getByText('¥268.00')).toBeInTheDocument();
    expect(serum.getByText('¥298.00')).toBeInTheDocument();
    expect(within(screen.getByTestId(`item-${MASK}`)).getByText('已售罄')).toBeInTheDocument();
    expect(screen.queryByText('玫瑰精油')).toBeNull();
    // The title is set by an effect after the list renders: on a busy machine it can land a moment later.
    await waitFor(() => expect(fakeTaro.setNavigationBarTitle).toHaveBeenCalledWith({ title: '护肤' }));
    expect(requests).toEqual(['GET /me/shop/catalogue']);
  });

  it('opens an item when she taps it', async () => {
    render(<ShopCategoryPage />);
    fireEvent.click(await screen.findByText('修护面膜'));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/shop/item/index?id=${MASK}` });
  });

  it('says so when the category has nothing on sale', async () => {
    catalogue = makeShopCatalogue({ ...catalogue, items: catalogue.items.filter((i) => i.categoryId === BODY_CARE) });
    render(<ShopCategoryPage />);
    expect(await screen.findByText('这个分类暂时没有商品')).toBeInTheDocument();
    expect(screen.queryByText('玫瑰精油')).toBeNull();
  });

  it('shows why the catalogue did not load and loads it on 重试', async () => {
    answer = { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } };
    render(<ShopCategoryPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后重试');
    expect(screen.queryByText('玻尿酸精华')).toBeNull();
    answer = null;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('玻尿酸精华')).toBeInTheDocument();
    expect(requests).toHaveLength(2);
  });
});
