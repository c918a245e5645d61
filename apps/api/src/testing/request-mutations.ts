import fc from 'fast-check';
import { type LeafPath, leaves, withLeaf } from './request-samples.ts';
import type { RouteRequest } from './route-table.ts';

/** A request as sent on the wire: a raw payload lets a mutation break the JSON or the content type. */
export interface WireRequest extends RouteRequest {
  name: string;
  payload?: string;
  contentType?: string;
}

const WRONG_TYPES: unknown[] = ['12.30', 7, true, null, [], {}, [1, 2]];
const BAD_MONEY: unknown[] = [1e20, -1, 0.5, 12.3, Number.MAX_SAFE_INTEGER + 2, -0.01, '100', Number.POSITIVE_INFINITY];
const BAD_TEXT = ['x'.repeat(1_000), '\u0000', 'a\uD800b', '\uDFFF', "'; drop table customers; --", '%00'];
const BAD_PATH_IDS = ['not-a-uuid', '-1', "1' or '1'='1", '%00', '00000000-0000-0000-0000-000000000000', '1e400'];

const RAW_BODIES: { name: string; payload: string; contentType: string }[] = [
  { name: 'invalid JSON', payload: '{"a":', contentType: 'application/json' },
  { name: 'empty JSON body', payload: '', contentType: 'application/json' },
  { name: 'JSON array', payload: '[1,2,3]', contentType: 'application/json' },
  { name: 'JSON null', payload: 'null', contentType: 'application/json' },
  { name: 'deeply nested', payload: `${'['.repeat(3000)}${']'.repeat(3000)}`, contentType: 'application/json' },
  { name: 'oversized', payload: JSON.stringify({ pad: 'x'.repeat(10_000) }), contentType: 'application/json' },
  { name: 'form encoded', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { name: 'plain text', payload: 'hello', contentType: 'text/plain' },
  {
    name: 'prototype pollution',
    payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}',
    contentType: 'application/json',
  },
];

const pathOf = (path: LeafPath) => path.join('.') || '(root)';

/** Mutations of one field of a JSON body: wrong types, bad money, bad text, a missing or an extra field. */
function bodyMutations(body: unknown): fc.Arbitrary<{ name: string; body: unknown }>[] {
  if (body === undefined) return [];
  const fields = leaves(body);
  if (fields.length === 0) return [];
  const field = fc.constantFrom(...fields);
  const numbers = fields.filter((f) => typeof f.value === 'number');
  const strings = fields.filter((f) => typeof f.value === 'string');
  const mutations = [
    fc.tuple(field, fc.constantFrom(...WRONG_TYPES)).map(([f, v]) => ({
      name: `wrong type at ${pathOf(f.path)}`,
      body: withLeaf(body, f.path, v),
    })),
    field.map((f) => ({ name: `missing ${pathOf(f.path)}`, body: withLeaf(body, f.path, undefined) })),
    fc.constantFrom('unexpected', 'tenantId', 'role', 'balanceFen').map((key) => ({
      name: `extra field ${key}`,
      body: { ...(body as object), [key]: 'x' },
    })),
  ];
  if (numbers.length) {
    mutations.push(
      fc.tuple(fc.constantFrom(...numbers), fc.constantFrom(...BAD_MONEY)).map(([f, v]) => ({
        name: `number ${v} at ${pathOf(f.path)}`,
        body: withLeaf(body, f.path, v),
      })),
    );
  }
  if (strings.length) {
    mutations.push(
      fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...BAD_TEXT)).map(([f, v]) => ({
        name: `text ${JSON.stringify(v.slice(0, 12))} at ${pathOf(f.path)}`,
        body: withLeaf(body, f.path, `${f.value}${v}`),
      })),
    );
  }
  return mutations;
}

/** Wrong types and junk in each query parameter, and parameters nobody asked for. */
function queryMutations(query: Record<string, string>): fc.Arbitrary<Record<string, string>>[] {
  const keys = Object.keys(query);
  const junk = fc.constantFrom('abc', '-1', '1.5', '1e400', '', '%', '\u0000', 'x'.repeat(500), "' or 1=1 --");
  const mutations: fc.Arbitrary<Record<string, string>>[] = [fc.constant({ ...query, unexpected: '1' })];
  if (keys.length) {
    mutations.push(fc.tuple(fc.constantFrom(...keys), junk).map(([k, v]) => ({ ...query, [k]: v })));
  }
  return mutations;
}

/**
 * Malformed variants of a valid request: each breaks one thing — a body field, the whole payload or its content
 * type, a query parameter or a path id — so whatever goes wrong is the app's answer to that one thing.
 */
export function requestMutations(valid: RouteRequest, pathParams: string[]): fc.Arbitrary<WireRequest> {
  const variants: fc.Arbitrary<WireRequest>[] = [];
  for (const mutation of bodyMutations(valid.body)) {
    variants.push(mutation.map(({ name, body }) => ({ ...valid, name, body })));
  }
  if (!['GET', 'DELETE', 'OPTIONS'].includes(valid.method)) {
    variants.push(fc.constantFrom(...RAW_BODIES).map((raw) => ({ ...valid, ...raw, body: undefined })));
  }
  if (valid.query) {
    for (const mutation of queryMutations(valid.query)) {
      variants.push(mutation.map((query) => ({ ...valid, name: `query ${JSON.stringify(query)}`, query })));
    }
  }
  if (pathParams.length) {
    variants.push(
      fc.tuple(fc.constantFrom(...pathParams), fc.constantFrom(...BAD_PATH_IDS)).map(([param, id]) => ({
        ...valid,
        name: `path ${param}=${id}`,
        url: valid.url.replace(param, encodeURIComponent(id)),
      })),
    );
  }
  if (variants.length === 0) variants.push(fc.constant({ ...valid, name: 'as is' }));
  return fc.oneof(...variants);
}
