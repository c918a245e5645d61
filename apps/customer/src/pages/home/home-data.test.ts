import { clearSession } from '@lumi/mini';
import type { MyProfile, Wallet } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import { ok, serve } from '../../testing/serve.ts';
import { loadHome, startHomeLoad } from './home-data.ts';

const profile = { name: '林小雅', brandColor: '#c2185b' } as MyProfile;
const wallet = { totalFen: 100 } as Wallet;

describe('the home page data started at launch', () => {
  it('is asked for once: the page takes the answer already on its way, then asks afresh', async () => {
    const seen = serve({ 'GET /me': ok(profile), 'GET /me/wallet': ok(wallet) });
    startHomeLoad();
    startHomeLoad();
    expect(seen.map((r) => r.url.replace(/^.*api\.test/, ''))).toEqual(['/me', '/me/wallet']);
    expect(await loadHome()).toEqual({ profile, wallet });
    expect(seen).toHaveLength(2);
    await loadHome();
    expect(seen).toHaveLength(4);
  });
});

describe('without a session', () => {
  it('asks nothing at launch (the page sends her to log in)', () => {
    const seen = serve({});
    clearSession();
    startHomeLoad();
    expect(seen).toEqual([]);
  });
});
