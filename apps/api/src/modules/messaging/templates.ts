import { formatFen, type TemplatePurpose } from '@lumi/shared';
import type { AppConfig } from '../../config/index.ts';

/**
 * Subscribe-message templates belong to the customer mini-program (one appid for every salon), so their ids
 * are configuration, not tenant settings: an id not registered for that appid would only fail every send.
 */
export function subscribeTemplates(config: AppConfig): Record<TemplatePurpose, string> {
  return {
    credit_due: config.WECHAT_TEMPLATE_CREDIT_DUE,
    credit_overdue: config.WECHAT_TEMPLATE_CREDIT_OVERDUE,
    credit_limit: config.WECHAT_TEMPLATE_CREDIT_LIMIT,
    tier_change: config.WECHAT_TEMPLATE_TIER_CHANGE,
    bill_to_confirm: config.WECHAT_TEMPLATE_BILL_TO_CONFIRM,
    bill_settled: config.WECHAT_TEMPLATE_BILL_SETTLED,
    bill_voided: config.WECHAT_TEMPLATE_BILL_VOIDED,
    bill_refunded: config.WECHAT_TEMPLATE_BILL_REFUNDED,
    dispute_answered: config.WECHAT_TEMPLATE_DISPUTE_ANSWERED,
    campaign: config.WECHAT_TEMPLATE_CAMPAIGN,
  };
}

/** {name}, {coupon}, {category} … replaced by their values; unknown placeholders are left as they are. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{([a-z]+)\}/g, (whole, key: string) => vars[key] ?? whole);
}

/**
 * The most characters WeChat accepts per value kind (the key without its number: thing3 → thing). Longer
 * values make WeChat refuse the whole message (47003), so they are cut. Kinds missing here (amount, time,
 * date) cannot be cut into something meaningful and are sent as they are.
 */
const MAX_CHARS: Record<string, number> = {
  thing: 20,
  name: 10,
  phrase: 5,
  symbol: 5,
  car_number: 8,
  phone_number: 17,
  character_string: 32,
  number: 32,
  letter: 32,
  const: 20,
};

export function wechatValue(key: string, value: string): string {
  const limit = MAX_CHARS[key.replace(/\d+$/, '')];
  return limit === undefined ? value : [...value].slice(0, limit).join('');
}

/** An `amount` value: ¥1234.50 — WeChat refuses thousands separators. */
export const wechatAmount = (fen: number) => formatFen(fen, { grouping: false });

const SHANGHAI_MINUTE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A `time` value as the customer reads it: 2026-05-01 12:00 in Shanghai. */
export const wechatTime = (at: Date) => SHANGHAI_MINUTE.format(at);
