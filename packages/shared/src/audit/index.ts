import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from '../common.ts';
import { text } from '../text.ts';

export * from './actions.ts';
export * from './fields.ts';

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
    subjectId: text().max(64).optional(),
    staffId: IdSchema.optional(),
    /** Entries at or after this moment. */
    from: IsoDateTimeSchema.optional(),
    /** Entries before this moment (a day's list is from its midnight to the next). */
    to: IsoDateTimeSchema.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'must be after from',
  });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: IsoDateTimeSchema,
    action: text(),
    actorStaffId: IdSchema.nullable(),
    actorCustomerId: IdSchema.nullable(),
    subjectType: text(),
    subjectId: text(),
    storeId: IdSchema.nullable(),
    before: z.unknown(),
    after: z.unknown(),
    reason: text().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageSchema = z
  .object({ items: z.array(AuditEntrySchema), nextCursor: z.number().int().nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPageSchema>;
