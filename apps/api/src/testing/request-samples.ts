import fc from 'fast-check';
import { z } from 'zod';

/** A JSON Schema node as zod emits it (draft 2020-12): only the keywords the generator reads. */
interface JsonSchema {
  type?: string | string[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
}

/**
 * Picks the id to put in a uuid field, by the field's name (`customerId`, `storeIds`, a path's `id`), so a
 * request can name a real resource — its own or someone else's. Undefined means any uuid will do. A value for
 * another string field (a pickup `code`) is used where it fits the field's pattern and length.
 */
export type IdChooser = (field: string) => string | undefined;

const LETTERS = [...'abcdefghijkmnpqrstuvwxyz美容护理补水顾客'];
const word = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...LETTERS), minLength: min, maxLength: max });

/** Money and counts stay small so a valid-looking request is also a plausible one (balances, stock). */
const SMALL_INT = 5_000;

function arbitrary(node: JsonSchema, root: JsonSchema, ids: IdChooser, field: string): fc.Arbitrary<unknown> {
  if (node.$ref) {
    const name = node.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (!target) throw new Error(`unresolved ${node.$ref}`);
    return arbitrary(target, root, ids, field);
  }
  const choices = node.anyOf ?? node.oneOf;
  if (choices) return fc.oneof(...choices.map((c) => arbitrary(c, root, ids, field)));
  if (node.allOf?.[0]) return arbitrary(node.allOf[0], root, ids, field);
  if ('const' in node) return fc.constant(node.const);
  if (node.enum) return fc.constantFrom(...node.enum);
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => arbitrary({ ...node, type }, root, ids, field)));
  switch (types[0]) {
    case 'string':
      return stringArbitrary(node, ids, field);
    case 'integer':
    case 'number': {
      const min = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : 0);
      const max = node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - 1 : min + SMALL_INT);
      const low = Math.min(Math.max(min, -SMALL_INT), max);
      return fc.integer({ min: low, max: Math.min(max, low + 2 * SMALL_INT) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (node.prefixItems) return fc.tuple(...node.prefixItems.map((item) => arbitrary(item, root, ids, field)));
      return fc.array(arbitrary(typeof node.items === 'object' ? node.items : {}, root, ids, field), {
        minLength: node.minItems ?? 0,
        maxLength: Math.max(node.minItems ?? 0, Math.min(node.maxItems ?? 2, 2)),
      });
    case 'object':
      return objectArbitrary(node, root, ids);
    default:
      return fc.oneof(fc.constant('x'), fc.integer(), fc.constant(null));
  }
}

function stringArbitrary(node: JsonSchema, ids: IdChooser, field: string): fc.Arbitrary<string> {
  switch (node.format) {
    case 'uuid': {
      const id = ids(field);
      return id ? fc.constant(id) : fc.uuid();
    }
    case 'date-time':
      return fc
        .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
  }
  const chosen = ids(field);
  if (chosen !== undefined && fitsLength(node, chosen) && (!node.pattern || new RegExp(node.pattern).test(chosen))) {
    return fc.constant(chosen);
  }
  if (node.pattern) return fc.stringMatching(new RegExp(node.pattern)).filter((s) => fitsLength(node, s));
  const min = node.minLength ?? 0;
  return word(Math.max(min, 2), Math.max(Math.min(node.maxLength ?? 12, 12), min, 2)).filter((s) =>
    fitsLength(node, s),
  );
}

const fitsLength = (node: JsonSchema, s: string) =>
  s.length >= (node.minLength ?? 0) && s.length <= (node.maxLength ?? Number.POSITIVE_INFINITY);

function objectArbitrary(node: JsonSchema, root: JsonSchema, ids: IdChooser): fc.Arbitrary<unknown> {
  const properties = node.properties ?? {};
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, arbitrary(value, root, ids, key)])),
    { requiredKeys: (node.required ?? []).filter((key) => key in properties) },
  );
  if (typeof node.additionalProperties !== 'object') return record;
  const keys = node.propertyNames ? stringArbitrary(node.propertyNames, ids, 'key') : word(1, 8);
  const values = arbitrary(node.additionalProperties, root, ids, 'value');
  return fc
    .tuple(record, fc.dictionary(keys, values, { minKeys: 1, maxKeys: 2 }))
    .map(([fixed, extra]) => ({ ...extra, ...(fixed as object) }));
}

/** Values of `schema`'s input shape, drawn from its JSON Schema (what the OpenAPI document shows clients). */
function inputArbitrary(schema: z.ZodType, ids: IdChooser = () => undefined): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return arbitrary(json, json, ids, '');
}

/**
 * A value `schema` accepts, refinements included: of a fixed-seed sample, the one that parses with the most
 * fields filled (so optional fields get exercised too). Throws when none parses, so a schema the generator
 * cannot satisfy is noticed rather than silently tested with a 400.
 */
export function validInput(schema: z.ZodType, ids: IdChooser = () => undefined, seed = 13): unknown {
  const candidates = fc.sample(inputArbitrary(schema, ids), { seed, numRuns: 200 });
  const valid = candidates.filter((candidate) => schema.safeParse(candidate).success);
  if (valid.length === 0) throw new Error(`no valid sample for ${JSON.stringify(z.toJSONSchema(schema))}`);
  return valid.reduce((fullest, candidate) =>
    leaves(candidate).length > leaves(fullest).length ? candidate : fullest,
  );
}

export type LeafPath = (string | number)[];

/** The path and value of every scalar inside a JSON value. */
export function leaves(value: unknown, path: LeafPath = []): { path: LeafPath; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  }
  return [{ path, value }];
}

/** A copy of a JSON value with the scalar at `path` replaced. */
export function withLeaf(value: unknown, path: LeafPath, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path as [string | number, ...LeafPath];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = withLeaf(copy[head], rest, leaf);
  return copy;
}
