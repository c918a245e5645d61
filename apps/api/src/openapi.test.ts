import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from './openapi.ts';

describe('docs/openapi.json', () => {
  it('is what the routes generate (run `pnpm --filter @lumi/api openapi` after changing a route)', async () => {
    const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
    const generated = await generateOpenApi();
    expect(JSON.parse(committed)).toEqual(JSON.parse(generated));
  });

  it('documents money in integer fen and the idempotency header on money routes', async () => {
    const spec = JSON.parse(await generateOpenApi());
    const topUp = spec.paths['/staff/customers/{customerId}/top-ups'].post;
    expect(topUp.parameters.map((p: { name: string }) => p.name)).toContain('idempotency-key');
    const ref: string = topUp.requestBody.content['application/json'].schema.$ref;
    const body = spec.components.schemas[ref.replace('#/components/schemas/', '')];
    expect(body.properties.amountFen.type).toBe('integer');
    expect(body.additionalProperties).toBe(false);
  });
});
