import type {
  ShopCatalogue,
  ShopCategory,
  ShopCategoryRequest,
  ShopItem,
  ShopItemRequest,
  ShopStockRequest,
} from '@lumi/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Database, queryRows, uuidArray } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { recordAudit } from '../audit/index.ts';
import { ledgerSettings } from '../ledger/index.ts';
import { stores } from '../tenants/index.ts';
import type { ShopDeps } from './deps.ts';
import { mayUseImage } from './image-store.ts';
import { shopCategories, shopItems, shopStock } from './tables.ts';

type ItemRow = typeof shopItems.$inferSelect;

/** Her tier's member price when the item has one, else the list price. A top-up is always its plan's amount. */
export function priceFor(item: Pick<ItemRow, 'kind' | 'listPriceFen' | 'tierPrices'>, tierId: string | null): number {
  if (item.kind === 'top_up_plan' || !tierId) return item.listPriceFen;
  return item.tierPrices.find((p) => p.tierId === tierId)?.priceFen ?? item.listPriceFen;
}

async function stockOf(db: Database, tenantId: string, itemIds: string[]) {
  if (itemIds.length === 0) return new Map<string, ShopItem['stock']>();
  const rows = await queryRows<{ item_id: string; store_id: string; store_name: string; quantity: number }>(
    db,
    sql`select s.item_id, s.store_id, st.name as store_name, s.quantity
        from shop_stock s join stores st on st.tenant_id = s.tenant_id and st.id = s.store_id
        where s.tenant_id = ${tenantId} and s.item_id = any(${uuidArray(itemIds)})
        order by st.code`,
  );
  const byItem = new Map<string, ShopItem['stock']>();
  for (const r of rows) {
    const list = byItem.get(r.item_id) ?? [];
    list.push({ storeId: r.store_id, storeName: r.store_name, quantity: Number(r.quantity) });
    byItem.set(r.item_id, list);
  }
  return byItem;
}

function present(item: ItemRow, stock: ShopItem['stock'], tierId: string | null): ShopItem {
  return {
    id: item.id,
    categoryId: item.categoryId,
    kind: item.kind,
    name: item.name,
    description: item.description,
    imagePath: item.imagePath,
    listPriceFen: item.listPriceFen,
    tierPrices: item.tierPrices,
    pointsPrice: item.pointsPrice,
    onSale: item.onSale,
    sortOrder: item.sortOrder,
    serviceId: item.serviceId,
    packagePlanId: item.packagePlanId,
    topUpPlanId: item.topUpPlanId,
    stock,
    priceFen: priceFor(item, tierId),
  };
}

/**
 * The catalogue: for a customer only what is on sale, priced for her tier; for staff (tierId null, `all`)
 * everything, at list price.
 */
export async function catalogue(
  db: Database,
  tenantId: string,
  viewer: { tierId: string | null; tierName: string | null; all: boolean },
): Promise<ShopCatalogue> {
  const [categories, items, settings, storeRows] = await Promise.all([
    db
      .select({ id: shopCategories.id, name: shopCategories.name, sortOrder: shopCategories.sortOrder })
      .from(shopCategories)
      .where(eq(shopCategories.tenantId, tenantId))
      .orderBy(asc(shopCategories.sortOrder), asc(shopCategories.name)),
    db
      .select()
      .from(shopItems)
      .where(and(eq(shopItems.tenantId, tenantId), viewer.all ? undefined : eq(shopItems.onSale, true)))
      .orderBy(asc(shopItems.sortOrder), asc(shopItems.name)),
    ledgerSettings(db, tenantId),
    db
      .select({ id: stores.id, name: stores.name })
      .from(stores)
      .where(eq(stores.tenantId, tenantId))
      .orderBy(asc(stores.code)),
  ]);
  const stock = await stockOf(
    db,
    tenantId,
    items.map((i) => i.id),
  );
  return {
    categories,
    items: items.map((i) => present(i, stock.get(i.id) ?? [], viewer.tierId)),
    stores: storeRows,
    tierName: viewer.tierName,
    pointValueFen: settings.pointValueFen,
  };
}

export async function getItemRow(db: Database, tenantId: string, itemId: string): Promise<ItemRow> {
  const [item] = await db
    .select()
    .from(shopItems)
    .where(and(eq(shopItems.tenantId, tenantId), eq(shopItems.id, itemId)));
  if (!item) throw new AppError('NOT_FOUND', 'Item not found');
  return item;
}

export async function presentItem(db: Database, tenantId: string, itemId: string, tierId: string | null) {
  const item = await getItemRow(db, tenantId, itemId);
  return present(item, (await stockOf(db, tenantId, [item.id])).get(item.id) ?? [], tierId);
}

/** A customer sees an item that is on sale, at her tier's price. */
export async function customerItem(db: Database, deps: ShopDeps, tenantId: string, customerId: string, itemId: string) {
  const tier = await deps.tierOf(db, tenantId, customerId);
  const item = await presentItem(db, tenantId, itemId, tier.tierId);
  if (!item.onSale) throw new AppError('NOT_FOUND', 'Item not found');
  return item;
}

// ── managing the catalogue (manager role, audited) ───────────────────────────────────────────────────

export async function saveCategory(
  db: Database,
  staff: StaffPrincipal,
  request: ShopCategoryRequest,
  id: string | null,
): Promise<ShopCategory> {
  return db.transaction(async (tx) => {
    let before: ShopCategory | null = null;
    let saved: ShopCategory | undefined;
    if (id) {
      [before = null] = await tx
        .select({ id: shopCategories.id, name: shopCategories.name, sortOrder: shopCategories.sortOrder })
        .from(shopCategories)
        .where(and(eq(shopCategories.tenantId, staff.tenantId), eq(shopCategories.id, id)));
      if (!before) throw new AppError('NOT_FOUND', 'Category not found');
      [saved] = await tx
        .update(shopCategories)
        .set(request)
        .where(eq(shopCategories.id, id))
        .returning({ id: shopCategories.id, name: shopCategories.name, sortOrder: shopCategories.sortOrder });
    } else {
      [saved] = await tx
        .insert(shopCategories)
        .values({ ...request, tenantId: staff.tenantId })
        .returning({ id: shopCategories.id, name: shopCategories.name, sortOrder: shopCategories.sortOrder });
    }
    if (!saved) throw new Error('category not saved');
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: id ? 'shop.category_updated' : 'shop.category_created',
      subject: { type: 'shop_category', id: saved.id },
      before,
      after: saved,
    });
    return saved;
  });
}

/** Checks that what an item refers to is this tenant's and fits its kind. */
async function checkItemRefs(tx: Database, tenantId: string, request: ShopItemRequest) {
  const [category] = await tx
    .select({ id: shopCategories.id })
    .from(shopCategories)
    .where(and(eq(shopCategories.tenantId, tenantId), eq(shopCategories.id, request.categoryId)));
  if (!category) throw missing('body.categoryId', 'Category');
  // Every kind's member prices name tiers of this salon (a product's too).
  const tierIds = request.tierPrices.map((p) => p.tierId);
  if (new Set(tierIds).size !== tierIds.length) throw invalid('body.tierPrices', 'a tier is named twice');
  if (tierIds.length > 0) {
    const tiers = await queryRows<{ id: string }>(
      tx,
      sql`select id from tier_levels where tenant_id = ${tenantId} and id = any(${uuidArray(tierIds)})`,
    );
    if (tiers.length !== tierIds.length) throw missing('body.tierPrices', 'Tier');
  }
  // An uploaded picture of another salon (or a made-up one) is not found, as any record of another tenant.
  if (request.imagePath && !(await mayUseImage(tx, tenantId, request.imagePath))) {
    throw missing('body.imagePath', 'Image');
  }
  const needs = {
    product: null,
    service_voucher: 'serviceId',
    package_card: 'packagePlanId',
    top_up_plan: 'topUpPlanId',
  } as const;
  const needed = needs[request.kind];
  for (const field of ['serviceId', 'packagePlanId', 'topUpPlanId'] as const) {
    if (field !== needed && request[field] !== null) throw invalid(`body.${field}`, `not for a ${request.kind}`);
  }
  if (!needed) return;
  const refId = request[needed];
  if (!refId) throw invalid(`body.${needed}`, `required for a ${request.kind}`);
  const table = { serviceId: 'services', packagePlanId: 'package_plans', topUpPlanId: 'top_up_plans' }[needed];
  // FOR SHARE: the row stays as checked until the item is saved — an edit of a top-up plan waits, then finds it
  // named by this item (its terms fixed) instead of changing the amount the item was just checked against.
  const [found] = await queryRows<{ pay_fen: number | null }>(
    tx,
    sql`select ${sql.raw(needed === 'topUpPlanId' ? 'pay_fen' : 'null::bigint as pay_fen')} from ${sql.raw(table)}
        where tenant_id = ${tenantId} and id = ${refId} and active for share`,
  );
  if (!found) throw missing(`body.${needed}`, table);
  if (needed === 'topUpPlanId' && Number(found.pay_fen) !== request.listPriceFen) {
    throw invalid('body.listPriceFen', 'a top-up is sold at its plan amount');
  }
}

/** Another tenant's record (or none) named in the body: not found, as everywhere else. */
const missing = (field: string, what: string) =>
  new AppError('NOT_FOUND', `${what} not found`, [{ field, message: 'not found' }]);

const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `Invalid ${field}: ${message}`, [{ field, message }]);

export async function saveItem(
  db: Database,
  staff: StaffPrincipal,
  request: ShopItemRequest,
  id: string | null,
): Promise<string> {
  return db.transaction(async (tx) => {
    const before = id ? await getItemRow(tx, staff.tenantId, id) : null;
    await checkItemRefs(tx, staff.tenantId, request);
    let savedId: string | undefined;
    if (id && before) {
      if (before.kind !== request.kind) throw invalid('body.kind', 'an item cannot change its kind');
      [{ id: savedId } = { id: undefined }] = await tx
        .update(shopItems)
        .set(request)
        .where(eq(shopItems.id, id))
        .returning({ id: shopItems.id });
    } else {
      [{ id: savedId } = { id: undefined }] = await tx
        .insert(shopItems)
        .values({ ...request, tenantId: staff.tenantId })
        .returning({ id: shopItems.id });
    }
    if (!savedId) throw new Error('item not saved');
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: id ? 'shop.item_updated' : 'shop.item_created',
      subject: { type: 'shop_item', id: savedId },
      before: before ? { ...before, createdAt: before.createdAt.toISOString() } : null,
      after: request,
    });
    return savedId;
  });
}

/** Sets what a store has of a product (a stock count), audited with the quantity it replaced. */
export async function setStock(db: Database, staff: StaffPrincipal, itemId: string, request: ShopStockRequest) {
  await db.transaction(async (tx) => {
    const item = await getItemRow(tx, staff.tenantId, itemId);
    if (item.kind !== 'product') throw invalid('params.id', 'only products have stock');
    const [before] = await tx
      .select({ quantity: shopStock.quantity })
      .from(shopStock)
      .where(and(eq(shopStock.itemId, itemId), eq(shopStock.storeId, request.storeId)))
      .for('update');
    await tx
      .insert(shopStock)
      .values({ tenantId: staff.tenantId, itemId, storeId: request.storeId, quantity: request.quantity })
      .onConflictDoUpdate({ target: [shopStock.itemId, shopStock.storeId], set: { quantity: request.quantity } });
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: 'shop.stock_set',
      subject: { type: 'shop_item', id: itemId },
      storeId: request.storeId,
      before: { quantity: before?.quantity ?? 0 },
      after: { quantity: request.quantity },
    });
  });
}

/** Items of these ids that are this tenant's, by id. */
export async function itemsByIds(db: Database, tenantId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, ItemRow>();
  const rows = await db
    .select()
    .from(shopItems)
    .where(and(eq(shopItems.tenantId, tenantId), inArray(shopItems.id, ids)));
  return new Map(rows.map((r) => [r.id, r]));
}
