import { SHOP_IMAGE_MAX_BYTES } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { usePaymentsKit } from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';
import { sniffImageType } from './image-store.ts';

const kit = usePaymentsKit();
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  shop = shopCalls(kit);
});

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');

/** multipart/form-data as wx.uploadFile sends it: one file part named `file`, with the client's name and type. */
function form(bytes: Buffer, filename: string, type: string) {
  const boundary = '----lumi-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const upload = (headers: Record<string, string>, body: ReturnType<typeof form>) =>
  kit.app.inject({
    method: 'POST',
    url: '/staff/shop/images',
    headers: { ...headers, ...body.headers },
    payload: body.payload,
  });

const imageCount = async () =>
  (await queryRows<{ n: number }>(kit.db.db, sql`select count(*)::int as n from shop_images`))[0]!.n;

describe('sniffing', () => {
  it('tells JPEG, PNG and WebP by their bytes and nothing else', () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(WEBP)).toBe('image/webp');
    expect(sniffImageType(SVG)).toBeNull();
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});

describe('uploading a picture', () => {
  it('stores what the bytes are, serves it publicly for good, and an item shows it to customers', async () => {
    // Named and declared a JPEG; the bytes are a PNG, and that is what it is stored and served as.
    const res = await upload(kit.managerHeaders(), form(PNG, 'photo.jpg', 'image/jpeg'));
    const image = await shop.ok(res, 201);
    expect(image).toMatchObject({ contentType: 'image/png', byteSize: PNG.length });
    expect(image.path).toBe(`/shop-images/${kit.t.tenantId}/${image.id}.png`);

    const served = await kit.app.inject({ method: 'GET', url: image.path });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(PNG)).toBe(true);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(served.headers['x-content-type-options']).toBe('nosniff');

    for (const [bytes, type] of [
      [JPEG, 'image/jpeg'],
      [WEBP, 'image/webp'],
    ] as const) {
      const other = await shop.ok(
        await upload(kit.managerHeaders(), form(bytes, 'x.bin', 'application/octet-stream')),
        201,
      );
      expect(other.contentType).toBe(type);
      expect((await kit.app.inject({ method: 'GET', url: other.path })).headers['content-type']).toBe(type);
    }

    const c = await shop.catalogue();
    const item = (await shop.ok(await shop.asManager('GET', '/staff/shop/catalogue'))).items.find(
      (i: { id: string }) => i.id === c.productId,
    );
    const saved = await shop.ok(
      await shop.asManager('PUT', `/staff/shop/items/${c.productId}`, pick(item, image.path)),
    );
    expect(saved.imagePath).toBe(image.path);
    const shown = await shop.ok(await shop.asCustomer('GET', `/me/shop/items/${c.productId}`));
    expect(shown.imagePath).toBe(image.path);
  });

  it('refuses what is not a JPEG, PNG or WebP whatever its name, and what is too big, storing nothing', async () => {
    const before = await imageCount();
    const svg = await upload(kit.managerHeaders(), form(SVG, 'photo.png', 'image/png'));
    expect(svg.statusCode, svg.body).toBe(400);
    expect(svg.json().error.code).toBe('SHOP_IMAGE_TYPE_UNSUPPORTED');

    const big = Buffer.concat([PNG, Buffer.alloc(SHOP_IMAGE_MAX_BYTES)]);
    const tooBig = await upload(kit.managerHeaders(), form(big, 'big.png', 'image/png'));
    expect(tooBig.statusCode, tooBig.body).toBe(413);
    expect(tooBig.json().error).toMatchObject({
      code: 'SHOP_IMAGE_TOO_LARGE',
      details: { maxBytes: SHOP_IMAGE_MAX_BYTES },
    });

    // Exactly the limit is taken.
    const atLimit = Buffer.concat([PNG, Buffer.alloc(SHOP_IMAGE_MAX_BYTES - PNG.length)]);
    expect((await upload(kit.managerHeaders(), form(atLimit, 'limit.png', 'image/png'))).statusCode).toBe(201);

    const boundary = 'b';
    const noFile = await kit.app.inject({
      method: 'POST',
      url: '/staff/shop/images',
      headers: { ...kit.managerHeaders(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n没有图片\r\n--${boundary}--\r\n`,
    });
    expect(noFile.statusCode, noFile.body).toBe(400);
    expect(noFile.json().error.details).toEqual([{ field: 'body.file', message: 'required' }]);
    const json = await kit.app.inject({
      method: 'POST',
      url: '/staff/shop/images',
      headers: kit.managerHeaders(),
      payload: { file: 'x' },
    });
    expect(json.statusCode, json.body).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // A stream cut short (no closing boundary) is the body's fault, not a 500.
    const cut = form(PNG, 'a.png', 'image/png');
    const broken = await upload(kit.managerHeaders(), { ...cut, payload: cut.payload.subarray(0, 60) });
    expect(broken.statusCode, broken.body).toBe(400);
    expect(broken.json().error.code).toBe('MALFORMED_REQUEST');
    expect(await imageCount()).toBe(before + 1);
  });

  it('is for managers only', async () => {
    const beautician = await upload(kit.beauticianHeaders(), form(PNG, 'a.png', 'image/png'));
    expect(beautician.statusCode).toBe(403);
    const customer = await upload(kit.customerHeaders(), form(PNG, 'a.png', 'image/png'));
    expect(customer.statusCode).toBe(403);
    const nobody = await upload({}, form(PNG, 'a.png', 'image/png'));
    expect(nobody.statusCode).toBe(401);
  });

  it("keeps salons apart: another salon's picture cannot be put on an item, nor served under this salon", async () => {
    const { other, headers } = await shop.otherSalonOwner();
    const theirs = await shop.ok(await upload(headers, form(PNG, 'a.png', 'image/png')), 201);
    expect(theirs.path).toBe(`/shop-images/${other.tenantId}/${theirs.id}.png`);

    const c = await shop.catalogue();
    const item = (await shop.ok(await shop.asManager('GET', '/staff/shop/catalogue'))).items.find(
      (i: { id: string }) => i.id === c.productId,
    );
    for (const path of [
      theirs.path,
      `/shop-images/${kit.t.tenantId}/${theirs.id}.png`,
      `/shop-images/${kit.t.tenantId}/00000000-0000-4000-8000-000000000000.png`,
    ]) {
      const res = await shop.asManager('PUT', `/staff/shop/items/${c.productId}`, pick(item, path));
      expect(res.statusCode, `${path}: ${res.body}`).toBe(404);
      expect(res.json().error.details).toEqual([{ field: 'body.imagePath', message: 'not found' }]);
    }
    // Under this salon's id, or with another extension, their picture is not there.
    // A file name that is not a UUID is refused by the route, never handed to the database.
    const notUuid = await kit.app.inject({
      method: 'GET',
      url: `/shop-images/${kit.t.tenantId}/${'-'.repeat(36)}.png`,
    });
    expect(notUuid.statusCode).toBe(400);
    for (const url of [
      `/shop-images/${kit.t.tenantId}/${theirs.id}.png`,
      `/shop-images/${other.tenantId}/${theirs.id}.jpg`,
    ]) {
      const res = await kit.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });
});

/** The item's own fields as a request, with another picture. */
function pick(item: Record<string, unknown>, imagePath: string) {
  const fields = [
    'categoryId',
    'kind',
    'name',
    'description',
    'listPriceFen',
    'tierPrices',
    'pointsPrice',
    'onSale',
    'sortOrder',
    'serviceId',
    'packagePlanId',
    'topUpPlanId',
  ];
  return { ...Object.fromEntries(fields.map((f) => [f, item[f]])), imagePath };
}
