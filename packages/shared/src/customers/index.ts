import { z } from 'zod';
import { GenderSchema, IdSchema } from '../common.ts';
import { text } from '../text.ts';

export const CustomerProfileSchema = z
  .object({
    id: IdSchema,
    tenantId: IdSchema,
    tenantName: text(),
    name: text().nullable(),
    phone: text().nullable(),
    gender: GenderSchema,
    birthday: z.iso.date().nullable(),
    tags: z.array(text()),
    memberSince: text(),
    /** The salon's brand colour for the mini-program (tenant settings `brand.color`). */
    brandColor: text(),
  })
  .meta({ id: 'CustomerProfile' });
export type CustomerProfile = z.infer<typeof CustomerProfileSchema>;

/** tenants.settings.brand: how the customer mini-program looks for this salon. */
export const BrandSettingsSchema = z
  .object({
    color: text()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')
      .default('#a97c50'),
  })
  .meta({ id: 'BrandSettings' });
export type BrandSettings = z.infer<typeof BrandSettingsSchema>;

export const CustomerSummarySchema = z
  .object({
    id: IdSchema,
    name: text().nullable(),
    phone: text().nullable(),
    gender: GenderSchema,
    tags: z.array(text()),
  })
  .meta({ id: 'CustomerSummary' });
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const CustomerListQuerySchema = z
  .object({
    q: text().max(50).optional().meta({ description: 'Search by name or phone' }),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: text().max(200).optional(),
  })
  .strict();
export type CustomerListQuery = z.infer<typeof CustomerListQuerySchema>;

export const CustomerListSchema = z.object({
  items: z.array(CustomerSummarySchema),
  nextCursor: text().nullable(),
});
export type CustomerList = z.infer<typeof CustomerListSchema>;
