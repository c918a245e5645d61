import { z } from 'zod';
import { text } from '../text.ts';

/**
 * The words a salon sends its customers (设置 → 消息模板), per purpose: an editable text with placeholders,
 * used for the SMS fallback and the in-app notice. WeChat subscribe-message template ids stay configuration
 * (one appid for every salon); only the words are the salon's. Unset, a purpose uses its default below.
 */
export const MESSAGE_TEXT_PURPOSES = ['credit_due_soon', 'credit_due_today', 'credit_overdue'] as const;
export const MessageTextPurposeSchema = z.enum(MESSAGE_TEXT_PURPOSES);
export type MessageTextPurpose = z.infer<typeof MessageTextPurposeSchema>;

interface MessageTextRule {
  /** What the manager sees the purpose as. */
  label: string;
  /** The placeholders a text of this purpose may use: {shop}, {amount}, … */
  placeholders: readonly string[];
  defaultText: string;
}

export const MESSAGE_TEXT_RULES: Record<MessageTextPurpose, MessageTextRule> = {
  credit_due_soon: {
    label: '挂账即将到期提醒',
    placeholders: ['shop', 'amount', 'date'],
    defaultText: '【{shop}】您有 {amount} 欠款将于 {date} 到期，请按时还款。',
  },
  credit_due_today: {
    label: '挂账今天到期提醒',
    placeholders: ['shop', 'amount', 'date'],
    defaultText: '【{shop}】您有 {amount} 欠款今天（{date}）到期，请按时还款。',
  },
  credit_overdue: {
    label: '挂账逾期提醒',
    placeholders: ['shop', 'amount', 'date', 'days'],
    defaultText: '【{shop}】您有 {amount} 欠款已逾期 {days} 天（应还日期 {date}），请尽快还款。',
  },
};

/** Two SMS segments at most: a longer text costs the salon a third message per customer. */
export const MESSAGE_TEXT_MAX_CHARS = 134;

/** The placeholders a text names, in order: '{shop}您好' → ['shop']. */
export const placeholdersIn = (body: string): string[] =>
  [...body.matchAll(/\{([a-z]+)\}/g)].map((m) => m[1] as string);

/** Salon-set texts by purpose (tenants.settings.messageTexts); a purpose left out uses its default. */
export const MessageTextsSettingsSchema = z.partialRecord(MessageTextPurposeSchema, z.string());
export type MessageTextsSettings = z.infer<typeof MessageTextsSettingsSchema>;

export const MessageTextSchema = z
  .object({
    purpose: MessageTextPurposeSchema,
    label: z.string(),
    text: z.string(),
    defaultText: z.string(),
    /** The salon changed it (false: the default is used). */
    custom: z.boolean(),
    placeholders: z.array(z.string()),
    /** The text as 林小雅 would read it, with sample amounts and dates. */
    preview: z.string(),
  })
  .meta({ id: 'MessageText' });
export type MessageText = z.infer<typeof MessageTextSchema>;

export const UpdateMessageTextRequestSchema = z
  .object({ text: text().trim().min(1).max(MESSAGE_TEXT_MAX_CHARS) })
  .strict()
  .meta({ id: 'UpdateMessageTextRequest' });
export type UpdateMessageTextRequest = z.infer<typeof UpdateMessageTextRequestSchema>;

export const MessageTextParamsSchema = z.object({ purpose: MessageTextPurposeSchema });
