import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi } from './openapi.ts';

let generated: string;

// Building the whole app to generate the document is heavy set-up: it gets its own budget (a busy 2-core CI
// machine once took over 30 s), and both tests share the one document.
beforeAll(async () => {
  generated = await generateOpenApi();
}, 180_000);

describe('docs/openapi.json', () => {
  it('is what the routes generate (run `pnpm --filter @lumi/api openapi` after changing a route)', () => {
    const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(generated));
  });

  it('documents money in integer fen and the idempotency header on money routes', () => {
    const spec = JSON.parse(generated);
    const topUp = spec.paths['/staff/customers/{customerId}/top-ups'].post;
    expect(topUp.parameters.map((p: { name: string }) => p.name)).toContain('idempotency-key');
    const ref: string = topUp.requestBody.content['application/json'].schema.$ref;
    const body = spec.components.schemas[ref.replace('#/components/schemas/', '')];
    expect(body.properties.amountFen.type).toBe('integer');
    expect(body.additionalProperties).toBe(false);
  });
});
