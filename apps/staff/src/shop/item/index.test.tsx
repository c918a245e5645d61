import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  type FakeResponse,
  fakeTaro,
  makeShopCatalogue,
  makeShopItem,
  SHOP_STORE_ID,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { ShopItem, StaffCatalog, StaffProfile, TierProgram } from '@lumi/shared';
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
const GOLD = '00000000-0000-4000-8000-0000000009a1';
const tiers: TierProgram = {
  basis: 'spend',
  windowDays: 365,
  levels: [{ id: GOLD, name: '金卡', thresholdFen: 0, discountBasisPoints: 0, pointsMultiplierPercent: 100 }],
};
const FACIAL = '00000000-0000-4000-8000-0000000007a1';
const staffCatalog: StaffCatalog = {
  services: [{ id: FACIAL, name: '面部护理', category: '护理', priceFen: 38_800, durationMinutes: 60 }],
  products: [],
  packagePlans: [],
  pointValueFen: 1,
};
let seen: FakeRequest[];

/**
 * The API as the editor reads it (profile, tiers, services, top-up plans, the shop catalogue with `items`); what
 * else it is asked goes to `write`, which answers it or returns null for a request the test did not expect.
 */
function serve(items: ShopItem[], write: (req: FakeRequest, path: string) => FakeResponse | null) {
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    if (path === '/staff/me') return { status: 200, body: profile };
    if (path === '/staff/segmentation/tiers') return { status: 200, body: tiers };
    if (path === '/staff/catalog') return { status: 200, body: staffCatalog };
    if (path === '/staff/top-up-plans') return { status: 200, body: [] };
    if (path === '/staff/shop/catalogue') return { status: 200, body: makeShopCatalogue({ items }) };
    const answer = write(req, path);
    if (!answer) throw new Error(`unexpected ${req.method} ${path}`);
    return answer;
  });
}

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['shop/stock/index', `shop/item/index?id=${item.id}`]);
  seen = [];
  serve([item], (req, path) => {
    if (path === `/staff/shop/items/${item.id}`) return { status: 200, body: { ...item, ...(req.data as object) } };
    if (path === `/staff/shop/items/${item.id}/stock`) return { status: 200, body: item };
    return null;
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

  it('adds a service voucher in the category it was started from, with a member price, description and picture', async () => {
    const category = makeShopCatalogue().categories[0]!.id;
    setCurrentPages(['shop/categories/index', `shop/item/index?categoryId=${category}`]);
    const created = makeShopItem({ id: '00000000-0000-4000-8000-0000000005a9', kind: 'service_voucher' });
    serve([], (req, path) =>
      path === '/staff/shop/items' && req.method === 'POST' ? { status: 201, body: created } : null,
    );
    render(<ShopItemPage />);
    fireEvent.click(await screen.findByText('服务券'));
    // A voucher stands for a service: without one the form says so and cannot be sent.
    fireEvent.input(screen.getByPlaceholderText('商品名称'), { target: { value: '面部护理体验券' } });
    fireEvent.input(screen.getByPlaceholderText('售价'), { target: { value: '60' } });
    expect(screen.getByRole('alert')).toHaveTextContent('请选择在售的服务项目');
    expect(screen.getByRole('button', { name: '新增商品' })).toBeDisabled();
    fireEvent.click(screen.getByText('面部护理'));
    fireEvent.input(screen.getByPlaceholderText('金卡价'), { target: { value: '80' } });
    expect(screen.getByRole('alert')).toHaveTextContent('金卡价不能高于售价');
    fireEvent.input(screen.getByPlaceholderText('金卡价'), { target: { value: '50' } });
    fireEvent.input(screen.getByPlaceholderText('商品描述'), { target: { value: '到店体验一次' } });
    fireEvent.input(screen.getByPlaceholderText('/shop-images/serum.svg'), { target: { value: 'https://x.cn/a.png' } });
    expect(screen.getByRole('alert')).toHaveTextContent('图片须为本店上传的图片或商城图库中的图片');
    fireEvent.input(screen.getByPlaceholderText('/shop-images/serum.svg'), {
      target: { value: '/shop-images/voucher-facial.svg' },
    });
    fireEvent.click(screen.getByRole('button', { name: '新增商品' }));
    const post = () => seen.find((r) => r.method === 'POST' && r.url.endsWith('/staff/shop/items'));
    await expect.poll(post).toBeTruthy();
    expect(post()?.data).toEqual({
      categoryId: category,
      kind: 'service_voucher',
      name: '面部护理体验券',
      description: '到店体验一次',
      imagePath: '/shop-images/voucher-facial.svg',
      listPriceFen: 6_000,
      tierPrices: [{ tierId: GOLD, priceFen: 5_000 }],
      pointsPrice: null,
      onSale: true,
      sortOrder: 0,
      serviceId: FACIAL,
      packagePlanId: null,
      topUpPlanId: null,
    });
    // Not a product: no stock is set; the editor opens on the new item.
    expect(seen.some((r) => r.url.endsWith('/stock'))).toBe(false);
    await expect
      .poll(() => fakeTaro.redirectTo.mock.calls.at(-1)?.[0])
      .toEqual({
        url: `/shop/item/index?id=${created.id}`,
      });
  });

  it('uploads a photo chosen on the phone and saves the item with it', async () => {
    const uploaded = `/shop-images/${profile.tenantId}/00000000-0000-4000-8000-0000000006a1.png`;
    serve([item], (req, path) => {
      if (path === '/staff/shop/images' && req.method === 'POST') {
        return {
          status: 201,
          body: { id: '00000000-0000-4000-8000-0000000006a1', path: uploaded, contentType: 'image/png', byteSize: 20 },
        };
      }
      if (path === `/staff/shop/items/${item.id}`) return { status: 200, body: { ...item, ...(req.data as object) } };
      return null;
    });
    render(<ShopItemPage />);
    fireEvent.click(await screen.findByRole('button', { name: '更换图片' }));
    await expect.poll(() => screen.queryByDisplayValue(uploaded)).toBeTruthy();
    expect(fakeTaro.chooseImage).toHaveBeenCalledWith(expect.objectContaining({ count: 1, sizeType: ['compressed'] }));
    const upload = seen.find((r) => r.url.endsWith('/staff/shop/images'));
    expect(upload?.data).toEqual({ file: { filePath: 'wxfile://tmp/photo.jpg', name: 'file' } });
    expect(upload?.headers.authorization).toBe('Bearer a');
    // The preview loads the picture from the API.
    expect(document.querySelector('.staff-shop-image__preview')?.getAttribute('src')).toBe(`${API}${uploaded}`);
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    const put = () => seen.find((r) => r.method === 'PUT' && r.url.endsWith(`/staff/shop/items/${item.id}`));
    await expect.poll(put).toBeTruthy();
    expect(put()?.data).toMatchObject({ imagePath: uploaded });
  });

  it('refuses a photo over 2 MB without sending it, and says why the API refused another', async () => {
    serve([item], (_req, path) =>
      path === '/staff/shop/images'
        ? {
            status: 400,
            body: {
              error: {
                code: 'SHOP_IMAGE_TYPE_UNSUPPORTED',
                message: 'Not a JPEG, PNG or WebP image',
                details: [{ field: 'body.file', message: 'not a JPEG, PNG or WebP image' }],
              },
            },
          }
        : null,
    );
    render(<ShopItemPage />);
    const big = { path: 'wxfile://tmp/big.jpg', size: 3 * 1024 * 1024 };
    fakeTaro.chooseImage.mockResolvedValueOnce({
      tempFilePaths: [big.path],
      tempFiles: [big],
      errMsg: 'chooseImage:ok',
    });
    fireEvent.click(await screen.findByRole('button', { name: '更换图片' }));
    expect(await screen.findByText('图片太大，请选择 2MB 以内的图片')).toBeInTheDocument();
    expect(seen.some((r) => r.url.endsWith('/staff/shop/images'))).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: '更换图片' }));
    expect(await screen.findByText('仅支持 JPG、PNG、WebP 格式的图片')).toBeInTheDocument();
    // The item keeps its picture.
    expect(screen.getByDisplayValue(item.imagePath ?? '')).toBeInTheDocument();
  });

  it('says in Chinese which field the API refused', async () => {
    serve([item], () => ({
      status: 404,
      body: {
        error: {
          code: 'NOT_FOUND',
          message: 'Tier not found',
          details: [{ field: 'body.tierPrices', message: 'not found' }],
        },
      },
    }));
    render(<ShopItemPage />);
    fireEvent.input(await screen.findByDisplayValue('玻尿酸精华'), { target: { value: '玻尿酸精华 50ml' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('会员价不正确：每个等级一个价格，等级须存在')).toBeInTheDocument();
  });
});
