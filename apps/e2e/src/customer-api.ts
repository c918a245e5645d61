import type { Page } from 'playwright-core';
import { inject } from 'vitest';

// The API as the signed-in customer of an H5 page sees it, for tests that compare a screen with the API's answer.

/** 林小雅's own token, as the H5 app stored it (Taro keeps storage in localStorage as {data}). */
async function customerToken(page: Page): Promise<string> {
  const raw = await page.evaluate<string | null>("localStorage.getItem('lumi.session')");
  const stored = JSON.parse(raw ?? '{}') as { data?: { accessToken?: string } };
  const token = stored.data?.accessToken;
  if (!token) throw new Error(`no session in localStorage: ${raw}`);
  return token;
}

export async function asCustomer<T>(page: Page, path: string, body?: object): Promise<T> {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${await customerToken(page)}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
