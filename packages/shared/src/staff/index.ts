import { z } from 'zod';
import { IdSchema } from '../common.ts';
import { StaffRoleSchema } from '../auth/index.ts';

export const StoreSchema = z.object({ id: IdSchema, name: z.string() }).meta({ id: 'Store' });
export type Store = z.infer<typeof StoreSchema>;

export const StaffProfileSchema = z
  .object({
    id: IdSchema,
    tenantId: IdSchema,
    tenantName: z.string(),
    name: z.string(),
    phone: z.string(),
    role: StaffRoleSchema,
    stores: z.array(StoreSchema),
  })
  .meta({ id: 'StaffProfile' });
export type StaffProfile = z.infer<typeof StaffProfileSchema>;
