import { BUCKET_LABELS, type Entry, fenToYuanString, transferKindLabel } from '@lumi/shared';
import type { Database } from '../../../db/database.ts';
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

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  );

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
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;font-size:12px}th{background:#f5f5f5}@media print{button{display:none}}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(from)} 至 ${escapeHtml(to)}，共 ${rows.length} 条</p>
<button onclick="window.print()">打印</button>
<table><thead><tr>${HEADER.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></body></html>`;
}
