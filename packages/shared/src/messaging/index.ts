import { z } from 'zod';

/**
 * Customer messaging: one-time subscribe-message consents (订阅消息) the customer mini-program records after
 * wx.requestSubscribeMessage, and the templates it should ask for.
 */

export const SubscribeTemplateIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a subscribe-message template id');

export const SubscribeConsentRequestSchema = z
  .object({ templateId: SubscribeTemplateIdSchema })
  .strict()
  .meta({ id: 'SubscribeConsentRequest' });

export const SubscribeConsentSchema = z
  .object({
    templateId: z.string(),
    /** One-time consents not yet used: each allows one message. */
    available: z.number().int(),
  })
  .meta({ id: 'SubscribeConsent' });

/** What a subscribe-message template is used for; campaigns name their own templates. */
export const TemplatePurposeSchema = z.enum(['credit_due', 'credit_overdue', 'credit_limit', 'tier_change']);
export type TemplatePurpose = z.infer<typeof TemplatePurposeSchema>;

export const SubscribeTemplateSchema = z
  .object({ purpose: TemplatePurposeSchema, templateId: z.string() })
  .meta({ id: 'SubscribeTemplate' });
