import { z } from 'zod';
import { IdSchema, PhoneSchema, SlugSchema } from '../common.ts';

export const StaffRoleSchema = z.enum(['owner', 'manager', 'beautician']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export const CustomerWechatLoginSchema = z
  .object({
    tenant: SlugSchema.meta({ description: 'Tenant slug the mini-program was opened for' }),
    code: z.string().min(1).max(128).meta({ description: 'The code from wx.login' }),
  })
  .strict();
export type CustomerWechatLogin = z.infer<typeof CustomerWechatLoginSchema>;

export const StaffPasswordLoginSchema = z
  .object({
    phone: PhoneSchema,
    password: z.string().min(1).max(200),
  })
  .strict();
export type StaffPasswordLogin = z.infer<typeof StaffPasswordLoginSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(16).max(200) }).strict();
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().meta({ description: 'Access-token lifetime in seconds' }),
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof TokenPairSchema>;

export const CustomerSessionSchema = TokenPairSchema.extend({
  customer: z.object({ id: IdSchema, tenantId: IdSchema, name: z.string().nullable(), isNew: z.boolean() }),
}).meta({ id: 'CustomerSession' });
export type CustomerSession = z.infer<typeof CustomerSessionSchema>;

export const StaffSessionSchema = TokenPairSchema.extend({
  staff: z.object({
    id: IdSchema,
    tenantId: IdSchema,
    name: z.string(),
    role: StaffRoleSchema,
    storeIds: z.array(IdSchema),
  }),
}).meta({ id: 'StaffSession' });
export type StaffSession = z.infer<typeof StaffSessionSchema>;

/** Claims inside an access token. `kind` keeps a customer token from ever passing a staff guard. */
export const AccessClaimsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('customer'), sub: IdSchema, tenantId: IdSchema }),
  z.object({
    kind: z.literal('staff'),
    sub: IdSchema,
    tenantId: IdSchema,
    role: StaffRoleSchema,
    storeIds: z.array(IdSchema),
  }),
]);
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;
