import {
  MESSAGE_TEXT_PURPOSES,
  MESSAGE_TEXT_RULES,
  type MessageText,
  type MessageTextPurpose,
  MessageTextsSettingsSchema,
  type MessageTextsSettings,
  placeholdersIn,
} from '@lumi/shared';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { forgetTenantSettings, readSettingsSection, tenants } from '../tenants/index.ts';
import { renderTemplate } from './templates.ts';

const SECTION = 'messageTexts';

/** What 设置's preview fills in: 林小雅's kind of reminder, at the salon's own name. */
const PREVIEW_VARS = { amount: '¥1280.00', date: '2026-06-01', days: '3' };

const customTexts = (db: Database, tenantId: string): Promise<MessageTextsSettings> =>
  readSettingsSection(db, tenantId, SECTION, MessageTextsSettingsSchema);

/** The words the salon sends for `purpose`, filled in with `vars` (its own text, else the default). */
export async function messageTextFor(
  db: Database,
  tenantId: string,
  purpose: MessageTextPurpose,
  vars: Record<string, string>,
): Promise<string> {
  const custom = (await customTexts(db, tenantId))[purpose];
  return renderTemplate(custom ?? MESSAGE_TEXT_RULES[purpose].defaultText, vars);
}

function described(purpose: MessageTextPurpose, custom: string | undefined, shop: string): MessageText {
  const rule = MESSAGE_TEXT_RULES[purpose];
  const text = custom ?? rule.defaultText;
  return {
    purpose,
    label: rule.label,
    text,
    defaultText: rule.defaultText,
    custom: custom !== undefined,
    placeholders: [...rule.placeholders],
    preview: renderTemplate(text, { ...PREVIEW_VARS, shop }),
  };
}

const tenantName = async (db: Database, tenantId: string) =>
  (await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId)))[0]?.name ?? '本店';

/** Every purpose with the salon's text, its default, its placeholders and a preview. */
export async function listMessageTexts(db: Database, tenantId: string): Promise<MessageText[]> {
  const [custom, shop] = await Promise.all([customTexts(db, tenantId), tenantName(db, tenantId)]);
  return MESSAGE_TEXT_PURPOSES.map((p) => described(p, custom[p], shop));
}

/** A text may name only its purpose's placeholders: anything else would reach the customer as "{xyz}". */
function checkPlaceholders(purpose: MessageTextPurpose, body: string) {
  const allowed = MESSAGE_TEXT_RULES[purpose].placeholders;
  const unknown = placeholdersIn(body).filter((p) => !allowed.includes(p));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Unknown placeholder', [
      {
        field: 'body.text',
        message: `unknown placeholder {${unknown[0]}}; allowed: ${allowed.map((p) => `{${p}}`).join(' ')}`,
      },
    ]);
  }
}

/** Sets (a text) or resets (null) one purpose's words under the tenant's row lock; audited with before/after. */
export async function setMessageText(
  db: Database,
  ctx: { tenantId: string; staffId: string },
  purpose: MessageTextPurpose,
  body: string | null,
): Promise<MessageText> {
  if (body !== null) checkPlaceholders(purpose, body);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from tenants where id = ${ctx.tenantId} for update`);
    const before = await customTexts(tx, ctx.tenantId);
    const { [purpose]: old, ...others } = before;
    const after: MessageTextsSettings = body === null ? others : { ...others, [purpose]: body };
    await tx
      .update(tenants)
      .set({
        settings: sql`jsonb_set(${tenants.settings}, ${`{${SECTION}}`}::text[], ${JSON.stringify(after)}::jsonb, true)`,
      })
      .where(eq(tenants.id, ctx.tenantId));
    forgetTenantSettings(tx, ctx.tenantId);
    const rule = MESSAGE_TEXT_RULES[purpose];
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: { staffId: ctx.staffId },
      action: body === null ? 'message_text.reset' : 'message_text.changed',
      subject: { type: 'tenant', id: ctx.tenantId },
      before: { purpose, text: old ?? rule.defaultText },
      after: { purpose, text: body ?? rule.defaultText },
    });
    return described(purpose, body ?? undefined, await tenantName(tx, ctx.tenantId));
  });
}
