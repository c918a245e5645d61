import { z } from 'zod';
import { BillEventSchema } from '../checkout/index.ts';
import { IsoDateTimeSchema } from '../common.ts';
import { text } from '../text.ts';

/**
 * Customer messaging: one-time subscribe-message consents (订阅消息) the customer mini-program records after
 * wx.requestSubscribeMessage, the templates it should ask for, and the tenant's message settings.
 */

export const SubscribeTemplateIdSchema = text().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a subscribe-message template id');

export const SubscribeConsentRequestSchema = z
  .object({ templateId: SubscribeTemplateIdSchema })
  .strict()
  .meta({ id: 'SubscribeConsentRequest' });

export const SubscribeConsentSchema = z
  .object({
    templateId: text(),
    /** One-time consents not yet used: each allows one message. */
    available: z.number().int(),
  })
  .meta({ id: 'SubscribeConsent' });

/**
 * What a subscribe-message template is used for. A campaign may name its own template; `campaign` is the one
 * it uses when it does not (and the one the customer app asks consent for).
 */
export const TemplatePurposeSchema = z.enum([
  'credit_due',
  'credit_overdue',
  'credit_limit',
  'tier_change',
  ...BillEventSchema.options,
  'campaign',
]);
export type TemplatePurpose = z.infer<typeof TemplatePurposeSchema>;

export const SubscribeTemplateSchema = z
  .object({ purpose: TemplatePurposeSchema, templateId: text() })
  .meta({ id: 'SubscribeTemplate' });

// ── tenant settings (tenants.settings.messaging) ────────────────────────────────────────────────────────────

const messagingRules = {
  /** Bill events the customer is not told about. Muting rather than enabling keeps new events on by default. */
  mutedBillEvents: z
    .array(BillEventSchema)
    .max(BillEventSchema.options.length)
    .refine((events) => new Set(events).size === events.length, 'events must not repeat'),
  /** An SMS when a bill message cannot go by WeChat (no consent left, WeChat refuses); each SMS costs the salon. */
  billSmsFallback: z.boolean(),
};

export const MessagingSettingsSchema = z
  .object({
    mutedBillEvents: messagingRules.mutedBillEvents.default([]),
    billSmsFallback: messagingRules.billSmsFallback.default(true),
  })
  .meta({ id: 'MessagingSettings' });
export type MessagingSettings = z.infer<typeof MessagingSettingsSchema>;

/** Only the settings given change. */
export const UpdateMessagingSettingsRequestSchema = z
  .object(messagingRules)
  .partial()
  .strict()
  .meta({ id: 'UpdateMessagingSettingsRequest' });
export type UpdateMessagingSettingsRequest = z.infer<typeof UpdateMessagingSettingsRequestSchema>;

// ── the customer's inbox and consents (apps/customer: 消息, 我的) ─────────────────────────────────────────────

/**
 * A notice the salon sent (or meant to send) the customer: a bill event, a credit reminder, a tier change.
 * Campaign offers are listed by GET /me/campaigns, where holdout customers see none.
 */
export const MyMessageSchema = z
  .object({
    id: z.number().int(),
    /** bill_to_confirm … dispute_answered, credit_reminder, tier_change. */
    purpose: text(),
    /** The bill it is about, for bill events. */
    billId: text().nullable(),
    /** What the message said in one line (the template's note or the SMS text), when there was one. */
    note: text().nullable(),
    createdAt: IsoDateTimeSchema,
    readAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'MyMessage' });
export type MyMessage = z.infer<typeof MyMessageSchema>;

export const MyMessageListSchema = z
  .object({ items: z.array(MyMessageSchema), unread: z.number().int() })
  .meta({ id: 'MyMessageList' });
export type MyMessageList = z.infer<typeof MyMessageListSchema>;

export const MarkMessagesReadRequestSchema = z
  .object({ ids: z.array(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)).min(1).max(100) })
  .strict()
  .meta({ id: 'MarkMessagesReadRequest' });

/** What the customer agreed to: marketing messages, SMS, and the unused one-time subscribe consents. */
export const MyConsentsSchema = z
  .object({
    marketing: z.boolean(),
    sms: z.boolean(),
    subscriptions: z.array(SubscribeConsentSchema),
  })
  .meta({ id: 'MyConsents' });
export type MyConsents = z.infer<typeof MyConsentsSchema>;

export const ConsentKindSchema = z.enum(['marketing', 'sms', 'subscriptions']);
export type ConsentKind = z.infer<typeof ConsentKindSchema>;

/** Withdraws one consent; `subscriptions` gives up every unused one-time consent, so no message follows. */
export const WithdrawConsentRequestSchema = z
  .object({ consent: ConsentKindSchema })
  .strict()
  .meta({ id: 'WithdrawConsentRequest' });

/**
 * The staff mini-program binds the signed-in staff member's WeChat (a wx.login code of the staff app), so
 * 审批 alerts can reach a manager; the answer names the template to pass to wx.requestSubscribeMessage.
 */
export const BindStaffWechatRequestSchema = z
  .object({ code: text().min(1).max(128).meta({ description: 'The code from wx.login in the staff app' }) })
  .strict()
  .meta({ id: 'BindStaffWechatRequest' });
export type BindStaffWechatRequest = z.infer<typeof BindStaffWechatRequestSchema>;

export const StaffWechatBindingSchema = z
  .object({ bound: z.literal(true), approvalTemplateId: z.string() })
  .meta({ id: 'StaffWechatBinding' });
export type StaffWechatBinding = z.infer<typeof StaffWechatBindingSchema>;
export * from './texts.ts';
