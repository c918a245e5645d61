import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableText, StorableInputSchema, text } from './text.ts';

/** Joined in any order these make pairs, halves next to halves and NULs between ordinary characters. */
const PIECES = ['a', '护', ' ', '\u0000', '\uD83D', '\uDE00', '😀', '\uDBFF', '\uDC00'];

/** An independent oracle: encodeURIComponent refuses exactly the strings with an unpaired surrogate. */
function wellFormed(s: string): boolean {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

describe('text PostgreSQL can store', () => {
  it('is exactly well-formed UTF-16 without NUL', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }), (pieces) => {
        const s = pieces.join('');
        return isStorableText(s) === (wellFormed(s) && !s.includes('\u0000'));
      }),
      { seed: 7, numRuns: 1_000 },
    );
  });

  it('keeps pairs and refuses halves', () => {
    expect(isStorableText('护理 😀')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\uD83D')).toBe(false);
    expect(isStorableText('\uDE00\uD83D')).toBe(false);
    expect(isStorableText('😀\uDE00')).toBe(false);
  });

  it('is the rule of the text() primitive, also after trim and length checks', () => {
    expect(text().trim().min(2).safeParse('  护理  ').success).toBe(true);
    expect(text().trim().min(2).safeParse('护理\u0000').success).toBe(false);
  });

  it('names the path of every unstorable string or key in a whole request', () => {
    const result = StorableInputSchema.safeParse({ a: ['ok', 'x\u0000'], b: { 'k\uD800': 1 }, c: 'fine' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['a', 1], ['b']]);
  });
});
