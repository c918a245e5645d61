import { z } from 'zod';
import { GenderSchema, IdSchema } from '../common.ts';

export const CustomerProfileSchema = z
  .object({
    id: IdSchema,
    tenantId: IdSchema,
    tenantName: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    gender: GenderSchema,
    birthday: z.iso.date().nullable(),
    tags: z.array(z.string()),
    memberSince: z.string(),
  })
  .meta({ id: 'CustomerProfile' });
export type CustomerProfile = z.infer<typeof CustomerProfileSchema>;

export const CustomerSummarySchema = z
  .object({
    id: IdSchema,
    name: z.string().nullable(),
    phone: z.string().nullable(),
    gender: GenderSchema,
    tags: z.array(z.string()),
  })
  .meta({ id: 'CustomerSummary' });
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const CustomerListQuerySchema = z
  .object({
    q: z.string().max(50).optional().meta({ description: 'Search by name or phone' }),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type CustomerListQuery = z.infer<typeof CustomerListQuerySchema>;

export const CustomerListSchema = z.object({
  items: z.array(CustomerSummarySchema),
  nextCursor: z.string().nullable(),
});
export type CustomerList = z.infer<typeof CustomerListSchema>;
