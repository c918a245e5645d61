import { randomInt } from 'node:crypto';

export interface ChaosProfile {
  name: 'short' | 'long';
  seed: number;
  durationMs: number;
  tenants: number;
}

/**
 * short (inside `npm test`, under 2 minutes on a busy 2-core box): 8 clients for 25 s.
 * long (`pnpm test:chaos`): 20 clients for 3 minutes. CHAOS_SEED replays a run; CHAOS_DURATION_MS and
 * CHAOS_TENANTS override the size.
 */
export function chaosProfile(env: Record<string, string | undefined>): ChaosProfile {
  const long = env.CHAOS_PROFILE === 'long';
  const number = (value: string | undefined, fallback: number) => (value ? Number.parseInt(value, 10) : fallback);
  return {
    name: long ? 'long' : 'short',
    seed: number(env.CHAOS_SEED, randomInt(1, 2 ** 31 - 1)),
    durationMs: number(env.CHAOS_DURATION_MS, long ? 180_000 : 25_000),
    tenants: number(env.CHAOS_TENANTS, long ? 10 : 4),
  };
}
