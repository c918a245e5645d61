import { z } from 'zod';
import { BillEventSchema } from '../checkout/index.ts';
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

/** What a subscribe-message template is used for; campaigns name their own templates. */
export const TemplatePurposeSchema = z.enum([
  'credit_due',
  'credit_overdue',
  'credit_limit',
  'tier_change',
  ...BillEventSchema.options,
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
