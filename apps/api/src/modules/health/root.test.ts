import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('the API root', () => {
  it('sends a browser to the OpenAPI docs, without a token', async () => {
    const root = await api.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/docs');
    const docs = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBeLessThan(400);
  });

  it('is public like the health probes and stays out of the OpenAPI document', () => {
    const spec = api.app.swagger() as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(spec.paths['/']).toBeUndefined();
    expect(spec.paths['/healthz']?.get?.security).toBeUndefined();
    expect(api.app.hasRoute({ method: 'GET', url: '/' })).toBe(true);
  });
});
