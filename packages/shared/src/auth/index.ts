import { z } from 'zod';
import { IdSchema, PhoneSchema, SlugSchema } from '../common.ts';
import { text } from '../text.ts';

export const StaffRoleSchema = z.enum(['owner', 'manager', 'beautician']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export const CustomerWechatLoginSchema = z
  .object({
    tenant: SlugSchema.meta({ description: 'Tenant slug the mini-program was opened for' }),
    code: text().min(1).max(128).meta({ description: 'The code from wx.login' }),
  })
  .strict();
export type CustomerWechatLogin = z.infer<typeof CustomerWechatLoginSchema>;

export const StaffPasswordLoginSchema = z
  .object({
    phone: PhoneSchema,
    password: text().min(1).max(200),
  })
  .strict();
export type StaffPasswordLogin = z.infer<typeof StaffPasswordLoginSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: text().min(16).max(200) }).strict();
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const TokenPairSchema = z
  .object({
    accessToken: text(),
    refreshToken: text(),
    expiresIn: z.number().int().meta({ description: 'Access-token lifetime in seconds' }),
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof TokenPairSchema>;

export const CustomerSessionSchema = TokenPairSchema.extend({
  customer: z.object({ id: IdSchema, tenantId: IdSchema, name: text().nullable(), isNew: z.boolean() }),
}).meta({ id: 'CustomerSession' });
export type CustomerSession = z.infer<typeof CustomerSessionSchema>;

export const StaffSessionSchema = TokenPairSchema.extend({
  staff: z.object({
    id: IdSchema,
    tenantId: IdSchema,
    name: text(),
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
