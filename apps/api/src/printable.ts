/** Printable pages (statements, receipts): escaped text in one plain, print-friendly page. */

export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  );

/** A table whose cells are escaped here; headers are the caller's literals. */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table>`;
}

/** `body` must already be escaped HTML; the title is escaped here. */
export function printablePage(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse;width:100%;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 6px;font-size:12px}th{background:#f5f5f5}@media print{button{display:none}}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<button onclick="window.print()">打印</button>
${body}
</body></html>`;
}
