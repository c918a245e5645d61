import { saveSession } from '@lumi/mini';
import { type FakeRequest, type FakeResponse, setFakeServer } from '@lumi/mini/testing';

/** Test-only: answers requests by "METHOD /path" (the query is in `req.data`); anything else fails the test. */
export type Routes = Record<string, (req: FakeRequest) => FakeResponse>;

export const API = 'http://api.test';

export function serve(routes: Routes): FakeRequest[] {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  const seen: FakeRequest[] = [];
  setFakeServer((req) => {
    seen.push(req);
    const key = `${req.method} ${req.url.replace(API, '').split('?')[0]}`;
    const route = routes[key];
    if (!route) throw new Error(`unexpected ${key}`);
    return route(req);
  });
  return seen;
}

export const ok =
  (body: unknown, status = 200) =>
  () => ({ status, body });
export const failing = (status: number, code: string) => () => ({
  status,
  body: { error: { code, message: 'from the API, in English' } },
});
