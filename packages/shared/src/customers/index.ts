import { z } from 'zod';
import { GenderSchema, IdSchema, IsoDateTimeSchema, PhoneSchema } from '../common.ts';
import { text } from '../text.ts';

export const CustomerProfileSchema = z
  .object({
    id: IdSchema,
    tenantId: IdSchema,
    tenantName: text(),
    memberNo: text().meta({ description: 'Member number (会员号), unique in the tenant' }),
    name: text().nullable(),
    phone: text()
      .nullable()
      .meta({ description: 'Masked (138****0003) for beauticians; in full for managers, owners and the customer' }),
    gender: GenderSchema,
    birthday: z.iso.date().nullable(),
    tags: z.array(text()),
    source: text().nullable(),
    marketingConsent: z.boolean(),
    memberSince: text(),
  })
  .meta({ id: 'CustomerProfile' });
export type CustomerProfile = z.infer<typeof CustomerProfileSchema>;

/**
 * GET /me: her profile, with the salon's brand colour for the mini-program (tenant settings `brand.color`) and
 * whether its shop has an item on sale (the mini-program shows its 商城 tab only then).
 */
export const MyProfileSchema = CustomerProfileSchema.extend({ brandColor: text(), shopOpen: z.boolean() }).meta({
  id: 'MyProfile',
});
export type MyProfile = z.infer<typeof MyProfileSchema>;

/** tenants.settings.brand: how the customer mini-program looks for this salon. */
const brandRules = {
  /** The accent of both customer builds: tab bar, navigation bar, buttons and amounts. */
  color: text().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb'),
  /** The name customers see (e.g. a shop sign shorter than the registered name); null: the tenant's name. */
  name: text().trim().min(1).max(20).nullable(),
};
export const BrandSettingsSchema = z
  .object({
    color: brandRules.color.default('#a97c50'),
    name: brandRules.name.default(null),
  })
  .meta({ id: 'BrandSettings' });
export type BrandSettings = z.infer<typeof BrandSettingsSchema>;

/** PUT /staff/brand/settings: only what is given changes (manager, audited). */
export const UpdateBrandSettingsRequestSchema = z
  .object(brandRules)
  .partial()
  .strict()
  .meta({ id: 'UpdateBrandSettingsRequest' });
export type UpdateBrandSettingsRequest = z.infer<typeof UpdateBrandSettingsRequestSchema>;

export const CustomerSummarySchema = z
  .object({
    id: IdSchema,
    memberNo: text(),
    name: text().nullable(),
    phone: text().nullable().meta({ description: 'Masked for beauticians, as in CustomerProfile' }),
    gender: GenderSchema,
    tags: z.array(text()),
  })
  .meta({ id: 'CustomerSummary' });
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const CustomerListQuerySchema = z
  .object({
    q: text().max(50).optional().meta({ description: 'Search by name, phone or member number' }),
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

/** Where a customer first came from, as the front desk records it at registration. */
export const CustomerSourceSchema = z.enum(['walk_in', 'referral', 'meituan', 'douyin', 'xiaohongshu', 'other']);
export type CustomerSource = z.infer<typeof CustomerSourceSchema>;

/** POST /staff/customers: a new or walk-in customer registered at the counter. */
export const RegisterCustomerSchema = z
  .object({
    phone: PhoneSchema,
    name: text().trim().min(1).max(30),
    gender: GenderSchema.default('unknown'),
    birthday: z.iso.date().optional(),
    source: CustomerSourceSchema.default('walk_in'),
    marketingConsent: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'RegisterCustomer' });
export type RegisterCustomer = z.input<typeof RegisterCustomerSchema>;

/** The member code the customer app shows as a QR code: a short-lived signed token, refreshed before expiresAt. */
export const MemberCodeSchema = z.object({ code: text(), expiresAt: IsoDateTimeSchema }).meta({ id: 'MemberCode' });
export type MemberCode = z.infer<typeof MemberCodeSchema>;

/** POST /staff/customers/member-code: what the till scanned (or typed). */
export const ResolveMemberCodeSchema = z
  .object({ code: text().trim().min(1).max(200) })
  .strict()
  .meta({ id: 'ResolveMemberCode' });
export type ResolveMemberCode = z.infer<typeof ResolveMemberCodeSchema>;

/** POST /me/phone: the code of the getPhoneNumber button (手机号快速验证). */
export const BindPhoneSchema = z
  .object({ code: text().min(1).max(200) })
  .strict()
  .meta({ id: 'BindPhone' });
export type BindPhone = z.infer<typeof BindPhoneSchema>;

/**
 * The answer to a phone binding. When the phone belonged to a customer the front desk registered, that customer
 * is the account from now on (merged: true): the tokens are for it, and the old tokens stop working.
 */
export const PhoneBindingSchema = z
  .object({
    accessToken: text(),
    refreshToken: text(),
    expiresIn: z.number().int(),
    merged: z.boolean(),
    customer: CustomerProfileSchema,
  })
  .meta({ id: 'PhoneBinding' });
export type PhoneBinding = z.infer<typeof PhoneBindingSchema>;

export const CustomerNoteSchema = z
  .object({
    id: IdSchema,
    body: text(),
    authorId: IdSchema,
    authorName: text(),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: 'CustomerNote' });
export type CustomerNote = z.infer<typeof CustomerNoteSchema>;

export const AddCustomerNoteSchema = z
  .object({ body: text().trim().min(1).max(500) })
  .strict()
  .meta({ id: 'AddCustomerNote' });
export type AddCustomerNote = z.infer<typeof AddCustomerNoteSchema>;

export const CustomerNoteListSchema = z.object({ items: z.array(CustomerNoteSchema) });
export type CustomerNoteList = z.infer<typeof CustomerNoteListSchema>;
