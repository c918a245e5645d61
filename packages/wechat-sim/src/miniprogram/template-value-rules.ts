/**
 * WeChat validates each subscribe-message value by the kind its key names (thing1, time2, …) and
 * rejects the whole message with 47003 when one breaks the rule. Lengths count characters.
 */
type Rule = (value: string) => boolean;

const chars = (value: string) => [...value].length;
const HAN = /^\p{Script=Han}+$/u;

const RULES: Record<string, Rule> = {
  thing: (v) => chars(v) <= 20,
  number: (v) => chars(v) <= 32 && /^[-+]?\d+(\.\d+)?$/.test(v),
  letter: (v) => chars(v) <= 32 && /^[A-Za-z]+$/.test(v),
  symbol: (v) => chars(v) <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(v),
  character_string: (v) => chars(v) <= 32 && /^[\x21-\x7e]+$/.test(v),
  time: (v) => chars(v) <= 64 && /\d/.test(v),
  date: (v) => chars(v) <= 64 && /\d/.test(v),
  amount: (v) => /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => chars(v) <= 17 && /^[\d+\-() ]+$/.test(v),
  car_number: (v) => chars(v) <= 8,
  name: (v) => (HAN.test(v) ? chars(v) <= 10 : chars(v) <= 20),
  phrase: (v) => chars(v) <= 5 && HAN.test(v),
  const: (v) => chars(v) <= 20,
};

/** "thing12" → "thing"; "character_string3" → "character_string". */
export function valueKindOf(key: string): string {
  return key.replace(/\d+$/, '');
}

/** Returns the first key whose value breaks its rule, or undefined when every value is acceptable. */
export function findInvalidTemplateValue(data: Record<string, { value: string }>): string | undefined {
  for (const [key, { value }] of Object.entries(data)) {
    if (value.length === 0) return key;
    const rule = RULES[valueKindOf(key)];
    if (rule && !rule(value)) return key;
  }
  return undefined;
}
