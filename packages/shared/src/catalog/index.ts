import { z } from 'zod';
import { IdSchema } from '../common.ts';
import { text } from '../text.ts';

export const CatalogServiceSchema = z
  .object({
    id: IdSchema,
    name: text(),
    category: text(),
    priceFen: z.number().int(),
    durationMinutes: z.number().int(),
  })
  .meta({ id: 'CatalogService' });
export type CatalogService = z.infer<typeof CatalogServiceSchema>;

export const CatalogProductSchema = z
  .object({
    id: IdSchema,
    name: text(),
    category: text(),
    priceFen: z.number().int(),
    stock: z.number().int(),
  })
  .meta({ id: 'CatalogProduct' });
export type CatalogProduct = z.infer<typeof CatalogProductSchema>;

/** What the till needs to ring up a bill: what is on sale, and what a point pays for. */
export const StaffCatalogSchema = z
  .object({
    services: z.array(CatalogServiceSchema),
    products: z.array(CatalogProductSchema),
    pointValueFen: z.number().int().meta({
      description: 'What one point pays in a points tender, in fen (the tenant ledger setting)',
    }),
  })
  .meta({ id: 'StaffCatalog' });
export type StaffCatalog = z.infer<typeof StaffCatalogSchema>;
