import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from '../common.ts';

export const AuditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.coerce.number().int().min(1).optional(),
    action: z
      .string()
      .regex(/^[a-z_.]{2,60}$/)
      .optional(),
    subjectType: z
      .string()
      .regex(/^[a-z_]{2,40}$/)
      .optional(),
    subjectId: z.string().max(64).optional(),
    staffId: IdSchema.optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: IsoDateTimeSchema,
    action: z.string(),
    actorStaffId: IdSchema.nullable(),
    actorCustomerId: IdSchema.nullable(),
    subjectType: z.string(),
    subjectId: z.string(),
    storeId: IdSchema.nullable(),
    before: z.unknown(),
    after: z.unknown(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageSchema = z
  .object({ items: z.array(AuditEntrySchema), nextCursor: z.number().int().nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPageSchema>;
