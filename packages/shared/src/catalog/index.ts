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

/** A package card (次卡) on sale: N sessions of one service for a price, valid validDays after the sale. */
export const CatalogPackagePlanSchema = z
  .object({
    id: IdSchema,
    name: text(),
    serviceId: IdSchema,
    sessions: z.number().int(),
    priceFen: z.number().int(),
    validDays: z.number().int(),
  })
  .meta({ id: 'CatalogPackagePlan' });
export type CatalogPackagePlan = z.infer<typeof CatalogPackagePlanSchema>;

/** What the till needs to ring up a bill: what is on sale, and what a point pays for. */
export const StaffCatalogSchema = z
  .object({
    services: z.array(CatalogServiceSchema),
    products: z.array(CatalogProductSchema),
    packagePlans: z.array(CatalogPackagePlanSchema),
    pointValueFen: z.number().int().meta({
      description: 'What one point pays in a points tender, in fen (the tenant ledger setting)',
    }),
  })
  .meta({ id: 'StaffCatalog' });
export type StaffCatalog = z.infer<typeof StaffCatalogSchema>;
