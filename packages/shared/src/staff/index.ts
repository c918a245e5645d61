import { z } from 'zod';
import { IdSchema } from '../common.ts';
import { StaffRoleSchema } from '../auth/index.ts';
import { text } from '../text.ts';

export const StoreSchema = z.object({ id: IdSchema, name: text() }).meta({ id: 'Store' });
export type Store = z.infer<typeof StoreSchema>;

export const StaffProfileSchema = z
  .object({
    id: IdSchema,
    tenantId: IdSchema,
    tenantName: text(),
    name: text(),
    phone: text(),
    role: StaffRoleSchema,
    stores: z.array(StoreSchema),
  })
  .meta({ id: 'StaffProfile' });
export type StaffProfile = z.infer<typeof StaffProfileSchema>;

/** A colleague who can be named as a line's performer (服务人员): active staff of one store. */
export const TeamMemberSchema = z
  .object({ id: IdSchema, name: text(), role: StaffRoleSchema })
  .meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof TeamMemberSchema>;

export const StoreTeamSchema = z
  .object({ storeId: IdSchema, items: z.array(TeamMemberSchema) })
  .meta({ id: 'StoreTeam' });
export type StoreTeam = z.infer<typeof StoreTeamSchema>;

export const StoreParamsSchema = z.object({ storeId: IdSchema });
