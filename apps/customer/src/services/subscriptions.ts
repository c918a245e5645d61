import { MAX_SUBSCRIBE_TEMPLATES, request, requestSubscribeMessage } from '@lumi/mini';
import type { SubscribeTemplateSchema, TemplatePurpose } from '@lumi/shared';

/** GET /me/subscriptions/templates answers with these; the type comes from the schema without zod at run time. */
export type SubscribeTemplate = ReturnType<(typeof SubscribeTemplateSchema)['parse']>;

/** The template ids to ask for, by purpose. */
export function getSubscribeTemplates(): Promise<SubscribeTemplate[]> {
  return request<SubscribeTemplate[]>('/me/subscriptions/templates', { toast: false });
}

function recordConsent(templateId: string): Promise<unknown> {
  return request('/me/subscriptions', { method: 'POST', data: { templateId }, toast: false });
}

/**
 * Asks the customer to let the salon message them about `purposes` (one message each), and records what they
 * accepted. Call it first thing in a tap handler, with templates loaded beforehand: WeChat shows the dialog
 * only for a tap, and not after an await. Never rejects: the action that asked goes on whatever happens here.
 */
export async function askForNotices(
  templates: readonly SubscribeTemplate[],
  purposes: readonly TemplatePurpose[],
): Promise<void> {
  const ids = templates
    .filter((t) => purposes.includes(t.purpose))
    .map((t) => t.templateId)
    .slice(0, MAX_SUBSCRIBE_TEMPLATES);
  const accepted = await requestSubscribeMessage(ids);
  await Promise.allSettled(accepted.map(recordConsent));
}
