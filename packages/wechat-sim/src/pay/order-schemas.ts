import { z } from 'zod';
import { parseRfc3339 } from '../beijing-time.ts';

const chars = (max: number) => (value: string) => [...value].length <= max;

/** WeChat requires an absolute URL without a query string; http is accepted so loopback works. */
const notifyUrl = z
  .string()
  .max(255)
  .refine((value) => /^https?:\/\/[^\s?#]+$/.test(value), 'notify_url 必须是不带参数的 http(s) 地址');

export const JsapiOrderRequestSchema = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).refine(chars(127), 'description 不能超过 127 个字符'),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-|*]{6,32}$/, 'out_trade_no 须为 6-32 位数字、字母或 _-|*'),
  time_expire: z
    .string()
    .refine((value) => parseRfc3339(value) !== undefined, 'time_expire 须为 RFC3339 格式，如 2018-06-08T10:34:56+08:00')
    .optional(),
  attach: z.string().refine(chars(128), 'attach 不能超过 128 个字符').optional(),
  notify_url: notifyUrl,
  goods_tag: z.string().max(32).optional(),
  support_fapiao: z.boolean().optional(),
  amount: z.object({
    total: z.number().int().positive(),
    currency: z.literal('CNY').optional(),
  }),
  payer: z.object({ openid: z.string().min(1).max(128) }),
  detail: z.unknown().optional(),
  scene_info: z.unknown().optional(),
  settle_info: z.unknown().optional(),
});
export type JsapiOrderRequest = z.infer<typeof JsapiOrderRequestSchema>;

export const CloseOrderRequestSchema = z.object({ mchid: z.string().min(1).max(32) });

export const RefundRequestSchema = z
  .object({
    transaction_id: z.string().min(1).max(32).optional(),
    out_trade_no: z.string().min(1).max(32).optional(),
    out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, 'out_refund_no 须为 1-64 位数字、字母或 _-|*@'),
    reason: z.string().refine(chars(80), 'reason 不能超过 80 个字符').optional(),
    notify_url: notifyUrl.optional(),
    funds_account: z.string().optional(),
    amount: z.object({
      refund: z.number().int().positive(),
      total: z.number().int().positive(),
      currency: z.literal('CNY'),
      from: z.array(z.unknown()).optional(),
    }),
    goods_detail: z.array(z.unknown()).optional(),
  })
  .refine((body) => body.transaction_id !== undefined || body.out_trade_no !== undefined, {
    message: 'transaction_id 与 out_trade_no 必须二选一',
    path: ['out_trade_no'],
  });
export type RefundRequest = z.infer<typeof RefundRequestSchema>;

/** Turns a zod failure into the PARAM_ERROR detail WeChat gives: the field and what is wrong with it. */
export function describeIssues(error: z.ZodError): { message: string; detail: Record<string, unknown> } {
  const first = error.issues[0];
  const field = first?.path.join('.') ?? '';
  const issue = first?.message ?? 'invalid';
  return { message: `输入源"/body/${field}"校验出错: ${issue}`, detail: { field, location: 'body', issue } };
}
