import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, makeShopCatalogue, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import ShopCategoriesPage from './index.tsx';

const API = 'http://api.test';
const catalogue = makeShopCatalogue();
const skincare = catalogue.categories[0]!;
let seen: FakeRequest[];
let refuse: { status: number; body: unknown } | null;

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['shop/stock/index', 'shop/categories/index']);
  seen = [];
  refuse = null;
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    if (path === '/staff/shop/catalogue') return { status: 200, body: catalogue };
    if (refuse) return refuse;
    if (path === '/staff/shop/categories' && req.method === 'POST') {
      return { status: 201, body: { id: '00000000-0000-4000-8000-0000000005c2', ...(req.data as object) } };
    }
    if (path === `/staff/shop/categories/${skincare.id}`)
      return { status: 200, body: { id: skincare.id, ...(req.data as object) } };
    throw new Error(`unexpected ${req.method} ${path}`);
  });
});

describe('staff shop categories', () => {
  it('lists categories with their item counts, renames one and adds another', async () => {
    render(<ShopCategoriesPage />);
    expect(await screen.findByText('护肤（1 件商品）')).toBeInTheDocument();
    fireEvent.input(screen.getByDisplayValue('护肤'), { target: { value: '面部护肤' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await expect.poll(() => seen.find((r) => r.method === 'PUT')?.data).toEqual({ name: '面部护肤', sortOrder: 1 });

    const names = screen.getAllByPlaceholderText('分类名称');
    fireEvent.input(names[names.length - 1]!, { target: { value: '身体护理' } });
    const orders = screen.getAllByPlaceholderText('排序（小的在前）');
    fireEvent.input(orders[orders.length - 1]!, { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: '新增分类' }));
    await expect.poll(() => seen.find((r) => r.method === 'POST')?.data).toEqual({ name: '身体护理', sortOrder: 2 });
  });

  it('checks the order before sending and says in Chinese what the API refused', async () => {
    render(<ShopCategoriesPage />);
    fireEvent.input(await screen.findByDisplayValue('1'), { target: { value: '20000' } });
    expect(screen.getByRole('alert')).toHaveTextContent('排序为 0–10000 的整数');
    expect(screen.getByRole('button', { name: '保存' })).toBeDisabled();
    fireEvent.input(screen.getByDisplayValue('20000'), { target: { value: '3' } });
    refuse = {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request is invalid',
          details: [{ field: 'body.name', message: 'too long' }],
        },
      },
    };
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('名称不能为空，商品最多 60 字、分类最多 40 字')).toBeInTheDocument();
  });

  it('starts a new item in a category', async () => {
    render(<ShopCategoriesPage />);
    fireEvent.click(await screen.findByRole('button', { name: '在此分类新增商品' }));
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: `/shop/item/index?categoryId=${skincare.id}`,
    });
  });
});
