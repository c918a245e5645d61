import { BUCKET_LABELS, type Entry, type LedgerBucket, transferKindLabel } from '@lumi/shared';
import { formatDateTime } from './date.ts';
import { formatFen } from './money.ts';
import { formatCount } from './numbers.ts';

/**
 * How ledger entries (GET /me/entries, and later the staff app's customer view) read in Chinese. Amounts stay
 * integers in their own unit — fen, points or sessions — and are only turned into text here.
 */

/** Display order of a transfer's lines: money first, then points, sessions, debt. */
const BUCKET_ORDER: LedgerBucket[] = ['principal', 'bonus', 'points', 'sessions', 'credit'];

/**
 * An amount in an entry's unit: CNY is fen ("¥1,000.00"), POINTS "120 积分", SESSIONS:<service> "3 次".
 * `signed` puts a "+" before positive amounts (a change, as opposed to a balance).
 */
export function formatLedgerAmount(amount: number, unit: string, options: { signed?: boolean } = {}): string {
  const plus = options.signed && amount > 0 ? '+' : '';
  if (unit === 'CNY') return `${plus}${formatFen(amount)}`;
  if (unit === 'POINTS') return `${plus}${formatCount(amount)} 积分`;
  if (unit.startsWith('SESSIONS')) return `${plus}${formatCount(amount)} 次`;
  return `${plus}${formatCount(amount)} ${unit}`;
}

export interface EntryLine {
  entryId: number;
  bucket: LedgerBucket;
  /** "本金" */
  bucketLabel: string;
  /** "+¥1,000.00": + is what the customer received (or, for 欠款, what they came to owe). */
  amountText: string;
  /** "余额 ¥5,200.00" */
  balanceText: string;
  direction: 'in' | 'out' | 'none';
}

export interface EntryGroup {
  transferId: number;
  kind: string;
  /** "充值" */
  kindLabel: string;
  /** Beijing time, "2026-03-05 14:30" */
  timeText: string;
  storeName: string | null;
  staffName: string | null;
  /** "面部护理 ×1 ¥298.00" */
  itemTexts: string[];
  lines: EntryLine[];
}

/**
 * "面部护理 ×1 ¥298.00". A refund of part of a line's money without a return has quantity 0: it names no
 * count, as "×0" would read as nothing refunded.
 */
export function itemText(item: Entry['items'][number]): string {
  if (item.quantity === 0) return `${item.name}（部分金额）${formatFen(item.amountFen)}`;
  return `${item.name} ×${item.quantity} ${formatFen(item.amountFen)}`;
}

/** "会员 100012（钱女士）并入 会员 100013（钱女士）": which account went into which, down a merge chain too. */
function mergeText(merge: NonNullable<Entry['merge']>): string {
  const side = (c: NonNullable<Entry['merge']>['from']) => `会员 ${c.memberNo}${c.name ? `（${c.name}）` : ''}`;
  return `${side(merge.from)} 并入 ${side(merge.into)}`;
}

function balanceText(entry: Entry): string {
  const amount = formatLedgerAmount(entry.balanceAfter, entry.unit);
  if (entry.bucket === 'credit') return `待还 ${amount}`;
  if (entry.bucket === 'sessions') return `剩余 ${amount}`;
  return `余额 ${amount}`;
}

/**
 * Entries → one group per transfer: a top-up moves principal and bonus (and perhaps points) in one transfer,
 * and the customer sees it as one event with several lines. Groups keep the order of their newest entry
 * (newest first, as the API sends them); entries of one transfer that arrived on two pages of
 * "加载更多" join the same group, as long as the caller groups the whole list.
 */
export function groupEntries(entries: readonly Entry[]): EntryGroup[] {
  const groups = new Map<number, { group: EntryGroup; entries: Entry[] }>();
  for (const entry of entries) {
    let slot = groups.get(entry.transferId);
    if (!slot) {
      slot = {
        entries: [],
        group: {
          transferId: entry.transferId,
          kind: entry.kind,
          kindLabel: transferKindLabel(entry.kind),
          timeText: formatDateTime(entry.at),
          storeName: entry.store?.name ?? null,
          staffName: entry.staff?.name ?? null,
          itemTexts: entry.merge ? [mergeText(entry.merge)] : entry.items.map(itemText),
          lines: [],
        },
      };
      groups.set(entry.transferId, slot);
    }
    slot.entries.push(entry);
  }
  return [...groups.values()].map(({ group, entries: own }) => ({
    ...group,
    lines: [...own]
      .sort((a, b) => BUCKET_ORDER.indexOf(a.bucket) - BUCKET_ORDER.indexOf(b.bucket) || a.id - b.id)
      .map((entry) => ({
        entryId: entry.id,
        bucket: entry.bucket,
        bucketLabel: BUCKET_LABELS[entry.bucket] ?? entry.bucket,
        amountText: formatLedgerAmount(entry.amount, entry.unit, { signed: true }),
        balanceText: balanceText(entry),
        direction: entry.amount > 0 ? 'in' : entry.amount < 0 ? 'out' : 'none',
      })),
  }));
}
