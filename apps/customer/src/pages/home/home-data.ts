import { hasSession } from '@lumi/mini';
import type { MyProfile, Wallet } from '@lumi/shared';
import { applySalon } from '../../brand.ts';
import { getMyProfile } from '../../services/profile.ts';
import { getMyWallet } from '../../services/wallet.ts';

export interface HomeData {
  profile: MyProfile;
  wallet: Wallet;
}

async function fetchHome(): Promise<HomeData> {
  const [profile, wallet] = await Promise.all([getMyProfile(), getMyWallet()]);
  applySalon(profile);
  return { profile, wallet };
}

let early: Promise<HomeData> | null = null;
let started = false;

/**
 * At launch on the home page: asks for the balance while the app is still starting, before the page has mounted
 * (its own request would wait for the first render). Only once, and only with a session: without one the page
 * sends her to log in.
 */
export function startHomeLoad(): void {
  if (started || !hasSession()) return;
  started = true;
  early = fetchHome();
  // Nobody may be waiting yet; the page sees the failure when it takes the answer.
  early.catch(() => undefined);
}

/** The home page's data: the answer started at launch the first time, a fresh request after that. */
export function loadHome(): Promise<HomeData> {
  started = true;
  const answer = early ?? fetchHome();
  early = null;
  return answer;
}
