/**
 * WeChat Pay prints every time as RFC 3339 in Beijing time ("2018-06-08T10:34:56+08:00"), so the
 * simulator does too, whatever the host's time zone.
 */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

export function formatBeijingTime(epochMs: number): string {
  const shifted = new Date(Math.floor(epochMs / 1000) * 1000 + BEIJING_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

/** yyyyMMddHHmmss in Beijing time, the date stamp inside prepay and transaction ids. */
export function compactBeijingStamp(epochMs: number): string {
  return formatBeijingTime(epochMs).slice(0, 19).replace(/[-T:]/g, '');
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Returns epoch ms, or undefined when the text is not a full RFC 3339 date-time with an offset. */
export function parseRfc3339(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
