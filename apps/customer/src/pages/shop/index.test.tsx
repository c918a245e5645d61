import { render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { makeShopCatalogue, makeShopItem, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ShopCatalogue } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ShopHomePage from './index.tsx';

const API = 'http://api.test';
let catalogue: ShopCatalogue;
let failing: boolean;

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/shop/index']);
  catalogue = makeShopCatalogue();
  failing = false;
  setFakeServer((req) => {
    const key = `${req.method} ${req.url.replace(API, '')}`;
    if (failing) return { status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE', message: 'x' } } };
    if (key === 'GET /me/shop/catalogue') return { status: 200, body: catalogue };
    if (key === 'GET /me/shop/cart') return { status: 200, body: { lines: [{ quantity: 2 }], totalFen: 100 } };
    throw new Error(`unexpected ${key}`);
  });
});

describe('shop home', () => {
  it('shows categories, items at her tier price with the list price struck, and the cart count', async () => {
    render(<ShopHomePage />);
    expect(await screen.findByText('护肤')).toBeInTheDocument();
    expect(screen.getByText('金卡会员价')).toBeInTheDocument();
    expect(screen.getByText('玻尿酸精华')).toBeInTheDocument();
    expect(screen.getByText('¥268.00')).toBeInTheDocument();
    expect(screen.getByText('¥298.00')).toHaveClass('shop-price--list');
    expect(screen.getByRole('button', { name: '购物车(2)' })).toBeInTheDocument();
  });

  it('says when a product is sold out, and when the shop is empty or unreachable', async () => {
    catalogue = makeShopCatalogue({ items: [makeShopItem({ stock: [] })] });
    const { unmount } = render(<ShopHomePage />);
    expect(await screen.findByText('已售罄')).toBeInTheDocument();
    unmount();
    catalogue = makeShopCatalogue({ items: [] });
    const second = render(<ShopHomePage />);
    expect(await screen.findByText('商城还没有上架商品')).toBeInTheDocument();
    second.unmount();
    failing = true;
    render(<ShopHomePage />);
    expect(await screen.findByRole('alert')).toBeInTheDocument();
  });
});
