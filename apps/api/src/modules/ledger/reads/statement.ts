import { BUCKET_LABELS, type Entry, fenToYuanString, transferKindLabel } from '@lumi/shared';
import type { Database } from '../../../db/database.ts';
import { escapeHtml, htmlTable, printablePage } from '../../../printable.ts';
import { listEntries } from './entries.ts';

const MAX_STATEMENT_ENTRIES = 20_000;

async function entriesInRange(
  db: Database,
  tenantId: string,
  customerId: string,
  from: string,
  to: string,
): Promise<Entry[]> {
  const all: Entry[] = [];
  let cursor: number | undefined;
  do {
    const page = await listEntries(db, tenantId, customerId, { limit: 100, from, to, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && all.length < MAX_STATEMENT_ENTRIES);
  return all.reverse();
}

const shanghaiTime = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'medium',
    hour12: false,
  }).format(new Date(iso));

const money = (e: Entry, value: number) => (e.unit === 'CNY' ? fenToYuanString(value) : String(value));

function row(e: Entry): string[] {
  return [
    shanghaiTime(e.at),
    transferKindLabel(e.kind),
    BUCKET_LABELS[e.bucket],
    money(e, e.amount),
    money(e, e.balanceAfter),
    e.items.map((i) => `${i.name}×${i.quantity}`).join('；'),
    e.store?.name ?? '',
    e.staff?.name ?? '',
    String(e.transferId),
  ];
}

const HEADER = ['时间', '类型', '账户', '变动', '变动后余额', '项目', '门店', '经办人', '流水号'];

const csvCell = (value: string) =>
  /[",\n\r]/.test(value) || /^[=+\-@]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** CSV with a BOM so Excel on a Chinese Windows opens it as UTF-8; cells that look like formulas are quoted. */
export async function statementCsv(
  db: Database,
  tenantId: string,
  customerId: string,
  from: string,
  to: string,
): Promise<string> {
  const lines = [HEADER, ...(await entriesInRange(db, tenantId, customerId, from, to)).map(row)];
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** A printable page of the same statement. */
export async function statementHtml(
  db: Database,
  tenantId: string,
  customerId: string,
  title: string,
  from: string,
  to: string,
): Promise<string> {
  const rows = (await entriesInRange(db, tenantId, customerId, from, to)).map(row);
  return printablePage(
    title,
    `<p>${escapeHtml(from)} 至 ${escapeHtml(to)}，共 ${rows.length} 条</p>\n${htmlTable(HEADER, rows)}`,
  );
}
