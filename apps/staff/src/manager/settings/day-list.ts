/**
 * Reminder days typed as one line ("1, 7, 15" — Chinese or Latin commas, 、 or spaces), checked against the same
 * bounds as the API's day lists so a wrong entry is named before anything is sent.
 */
export function parseDayList(
  text: string,
  min: number,
  max: number,
  maxItems: number,
  what: string,
): number[] | string {
  const parts = text.split(/[,，、\s]+/).filter((part) => part !== '');
  const days = parts.map(Number);
  if (days.some((day) => !Number.isInteger(day) || day < min || day > max)) {
    return `${what}应为 ${min}–${max} 的整数，用逗号分隔`;
  }
  if (days.length > maxItems) return `${what}最多 ${maxItems} 个`;
  if (new Set(days).size !== days.length) return `${what}不能重复`;
  return [...days].sort((a, b) => a - b);
}

/** The list as the manager reads it back. */
export function dayListText(days: readonly number[]): string {
  return days.join(', ');
}
