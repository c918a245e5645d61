import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.ts';

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi({ CORS_ORIGINS: 'https://salon.example' });
});

afterAll(async () => {
  await api?.close();
});

const preflight = (headers: Record<string, string>) =>
  api.app.inject({ method: 'OPTIONS', url: '/staff/bills', headers });

describe('CORS preflight', () => {
  it('answers a well-formed preflight from an allowed origin with the CORS headers', async () => {
    const res = await preflight({ origin: 'https://salon.example', 'access-control-request-method': 'POST' });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://salon.example');
    expect(String(res.headers['access-control-allow-headers'])).toContain('Idempotency-Key');
  });

  it('refuses a malformed preflight in JSON with a stable code and the headers at fault', async () => {
    const noMethod = await preflight({ origin: 'https://salon.example' });
    expect(noMethod.statusCode).toBe(400);
    expect(noMethod.headers['content-type']).toMatch(/^application\/json/);
    expect(noMethod.json()).toMatchObject({
      error: {
        code: 'MALFORMED_REQUEST',
        details: [{ field: 'headers.access-control-request-method', message: 'required in a CORS preflight' }],
      },
    });
    const bare = await preflight({});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.details.map((d: { field: string }) => d.field)).toEqual([
      'headers.origin',
      'headers.access-control-request-method',
    ]);
  });
});
