import type { Database } from '../db/database.ts';
import { products } from '../modules/catalog/index.ts';
import { commissionRules } from '../modules/checkout/tables.ts';

/**
 * What the checkout tests sell besides the fixture's service: one product (¥200, `stock` units) and the tenant's
 * commission rules (10% of a service line, ¥5 per product line). Returns the product's id.
 */
export async function seedCheckoutCatalogue(db: Database, tenantId: string, stock: number): Promise<string> {
  const [product] = await db
    .insert(products)
    .values({ tenantId, name: '玻尿酸精华', category: '护肤品', priceFen: 20_000, stock })
    .returning({ id: products.id });
  await db.insert(commissionRules).values([
    { tenantId, lineType: 'service', kind: 'percent', value: 1_000 },
    { tenantId, lineType: 'product', kind: 'fixed', value: 500 },
  ]);
  return product!.id;
}
