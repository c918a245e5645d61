import type { Tender, Wallet } from '@lumi/shared';
import { fenToYuanString, formatFen, MoneyFormatError, parseYuan } from './money.ts';
import { formatCount } from './numbers.ts';

/**
 * Split tenders (组合支付) as the staff enter them: one text field per method, checked and added up here so the
 * settle screen can say what is still to allocate and refuse to send tenders that do not add up. The API checks
 * the sum again; this only spares the round trip and tells the beautician which field is wrong.
 */

export type TenderMethod = Tender['method'];

/** The order the settle screen lists them in: the customer's own value first, then money at the counter. */
export const TENDER_METHODS: readonly TenderMethod[] = ['stored_value', 'points', 'cash', 'card', 'wechat', 'credit'];

/** The API's ceiling for one tender (TenderSchema: amountFen ≤ 100,000,000 fen). */
export const MAX_TENDER_FEN = 100_000_000;

export type AmountInput = { ok: true; fen: number } | { ok: false; message: string };

/**
 * A yuan amount a member of staff typed ("388", "99.5") as fen. An empty field is 0 (that tender is not used);
 * anything parseYuan refuses, or a negative amount, gets a message for the field.
 */
export function parseYuanInput(input: string): AmountInput {
  const text = input.trim();
  if (text === '') return { ok: true, fen: 0 };
  let fen: number;
  try {
    fen = parseYuan(text);
  } catch (error) {
    if (error instanceof MoneyFormatError) return { ok: false, message: '请输入正确的金额，最多两位小数' };
    throw error;
  }
  if (fen < 0) return { ok: false, message: '金额不能为负数' };
  if (fen > MAX_TENDER_FEN) return { ok: false, message: `单笔不能超过 ${formatFen(MAX_TENDER_FEN)}` };
  return { ok: true, fen };
}

/** A whole number of points; empty is 0. */
export function parsePointsInput(input: string): { ok: true; points: number } | { ok: false; message: string } {
  const text = input.trim();
  if (text === '') return { ok: true, points: 0 };
  if (!/^\d{1,9}$/.test(text)) return { ok: false, message: '积分须为整数' };
  return { ok: true, points: Number(text) };
}

/** The part of a wallet that limits what the customer can pay with. */
export type TenderWallet = Pick<Wallet, 'totalFen' | 'points' | 'credit'>;

export interface TenderAvailability {
  allowed: boolean;
  /** The most this tender can pay, in fen; null when only the bill limits it (money at the counter). */
  capFen: number | null;
  /** Why it cannot be used (shown instead of the field), or what limits it. */
  note: string | null;
}

/**
 * Which tenders this customer can pay with, and up to how much: stored value up to the balance (principal and
 * bonus together), points up to their value, a tab up to the credit line's headroom. A credit limit of null
 * means the salon runs no credit lines, 0 that this customer has none. Frozen lines and expiring points are
 * left to the server's answer.
 */
export function tenderAvailability(
  wallet: TenderWallet,
  pointValueFen: number,
): Record<TenderMethod, TenderAvailability> {
  const open: TenderAvailability = { allowed: true, capFen: null, note: null };
  const pointsFen = wallet.points * pointValueFen;
  const { limitFen, owedFen } = wallet.credit;
  const headroom = limitFen === null ? 0 : Math.max(0, limitFen - owedFen);
  return {
    stored_value:
      wallet.totalFen > 0
        ? { allowed: true, capFen: wallet.totalFen, note: `余额 ${formatFen(wallet.totalFen)}` }
        : { allowed: false, capFen: 0, note: '无储值余额' },
    points:
      pointValueFen > 0 && wallet.points > 0
        ? {
            allowed: true,
            capFen: pointsFen,
            note: `${formatCount(wallet.points)} 积分，可抵 ${formatFen(pointsFen)}`,
          }
        : { allowed: false, capFen: 0, note: '无可用积分' },
    cash: open,
    card: open,
    wechat: { allowed: true, capFen: null, note: '顾客在小程序内支付' },
    credit:
      limitFen === null || limitFen === 0
        ? { allowed: false, capFen: 0, note: '未开通挂账' }
        : headroom > 0
          ? { allowed: true, capFen: headroom, note: `可挂账 ${formatFen(headroom)}` }
          : { allowed: false, capFen: 0, note: '挂账额度已用完' },
  };
}

/** What the staff typed for one method: yuan, or points for the points tender; a card needs its slip reference. */
export interface TenderDraft {
  text: string;
  reference?: string;
}

export type TenderDrafts = Partial<Record<TenderMethod, TenderDraft>>;

export interface TenderLineCheck {
  method: TenderMethod;
  /** What this tender pays, in fen (points at their value); 0 when empty or unreadable. */
  fen: number;
  error: string | null;
}

export interface TenderAllocation {
  totalFen: number;
  allocatedFen: number;
  /** Positive: still to allocate; negative: allocated too much. */
  remainingFen: number;
  lines: TenderLineCheck[];
  /** Ready to send: every field readable and within its limit, and the sum is exactly the total. */
  tenders: Tender[] | null;
  /** Why `tenders` is null, for under the settle button. */
  blocker: string | null;
}

/** Checks every field against the wallet and adds them up against the bill's total. */
export function allocateTenders(
  totalFen: number,
  drafts: TenderDrafts,
  availability: Record<TenderMethod, TenderAvailability>,
  pointValueFen: number,
): TenderAllocation {
  const lines: TenderLineCheck[] = [];
  const tenders: Tender[] = [];
  for (const method of TENDER_METHODS) {
    const draft = drafts[method];
    if (!draft) continue;
    const line = checkLine(method, draft, availability[method], pointValueFen);
    lines.push(line.check);
    if (line.tender) tenders.push(line.tender);
  }
  const allocatedFen = lines.reduce((sum, line) => sum + line.fen, 0);
  const remainingFen = totalFen - allocatedFen;
  // The API wants at least one tender of at least 1 fen, so a bill of package sessions only (total 0) cannot
  // be settled through it yet; say so rather than offer a button that can only fail.
  const blocker =
    totalFen === 0
      ? '本单金额为 0，暂不支持结账'
      : lines.some((line) => line.error)
        ? '请先修正标红的金额'
        : remainingFen > 0
          ? `还差 ${formatFen(remainingFen)} 未分配`
          : remainingFen < 0
            ? `多分配了 ${formatFen(-remainingFen)}`
            : null;
  return { totalFen, allocatedFen, remainingFen, lines, tenders: blocker === null ? tenders : null, blocker };
}

function checkLine(
  method: TenderMethod,
  draft: TenderDraft,
  availability: TenderAvailability,
  pointValueFen: number,
): { check: TenderLineCheck; tender: Tender | null } {
  const fail = (error: string) => ({ check: { method, fen: 0, error }, tender: null });
  if (method === 'points') {
    const parsed = parsePointsInput(draft.text);
    if (!parsed.ok) return fail(parsed.message);
    const fen = parsed.points * pointValueFen;
    const error = overCap(fen, availability);
    return {
      check: { method, fen, error },
      tender: parsed.points > 0 && !error ? { method, points: parsed.points } : null,
    };
  }
  const parsed = parseYuanInput(draft.text);
  if (!parsed.ok) return fail(parsed.message);
  const fen = parsed.fen;
  let error = overCap(fen, availability);
  const reference = draft.reference?.trim() ?? '';
  if (!error && method === 'card' && fen > 0 && reference === '') error = '请填写刷卡凭证号';
  if (error || fen === 0) return { check: { method, fen, error }, tender: null };
  const tender: Tender = method === 'card' ? { method, amountFen: fen, reference } : { method, amountFen: fen };
  return { check: { method, fen, error: null }, tender };
}

function overCap(fen: number, availability: TenderAvailability): string | null {
  if (fen === 0) return null;
  if (!availability.allowed) return availability.note ?? '不可使用';
  if (availability.capFen !== null && fen > availability.capFen)
    return `超出可用额度 ${formatFen(availability.capFen)}`;
  return null;
}

/**
 * What to type into a method's field to cover what is still open, within what the method can pay: the yuan
 * text, or whole points (rounded down, so points never pay more than is owed). '' when it can cover nothing.
 */
export function fillRemaining(
  method: TenderMethod,
  currentFen: number,
  remainingFen: number,
  availability: TenderAvailability,
  pointValueFen: number,
): string {
  if (!availability.allowed) return '';
  const wanted = Math.max(0, currentFen + remainingFen);
  const fen = availability.capFen === null ? wanted : Math.min(wanted, availability.capFen);
  if (method === 'points') {
    const points = pointValueFen > 0 ? Math.floor(fen / pointValueFen) : 0;
    return points > 0 ? String(points) : '';
  }
  return fen > 0 ? fenToYuanString(fen) : '';
}
