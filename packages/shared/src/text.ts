import { z } from 'zod';

/**
 * NUL, or half of a UTF-16 surrogate pair without its other half. PostgreSQL stores neither (text refuses NUL;
 * jsonb refuses both), and UTF-8 cannot carry a lone surrogate, so the driver would silently turn it into U+FFFD.
 * Written without lookbehind, which older mini-program JavaScript engines lack.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

export const isStorableText = (value: string): boolean => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

/** The one string primitive of every contract: chain `.trim()`, `.min()`, `.regex()` … on it as on `z.string()`. */
export const text = () => z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

function addUnstorableIssues(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    if (!isStorableText(value)) ctx.addIssue({ code: 'custom', path, message: UNSTORABLE_TEXT_MESSAGE, input: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      addUnstorableIssues(item, [...path, i], ctx);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) ctx.addIssue({ code: 'custom', path, message: `a key ${UNSTORABLE_TEXT_MESSAGE}` });
      addUnstorableIssues(item, [...path, key], ctx);
    }
  }
}

/**
 * Any request input (body, query, params, headers) as long as no string or key in it holds unstorable text.
 * The API checks it before a route's own schema, so a route whose contract forgot `text()` is covered too.
 */
export const StorableInputSchema = z.unknown().superRefine((value, ctx) => addUnstorableIssues(value, [], ctx));
