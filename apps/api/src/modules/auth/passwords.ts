import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { concurrencyLimit } from './concurrency-limit.ts';

const scryptOnce = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/**
 * Each scrypt hash holds 128·N·r bytes (32 MiB at N = 2^15, r = 8) in a libuv thread while it runs; with the pool's
 * 4 threads a burst of logins took 128 MiB, the API's peak resident set under load (docs/performance.md). Two at
 * once keep both cores of a small server busy; more would only queue for them.
 */
const withHashSlot = concurrencyLimit(2);

function scryptAsync(password: string, salt: Buffer, keylen: number, options: object): Promise<Buffer> {
  return withHashSlot(() => scryptOnce(password, salt, keylen, options));
}

// N=2^15 keeps one hash around 50–100 ms on this hardware: slow for a guesser, fine for a login.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/** Format: scrypt$N$r$p$saltB64$hashB64, so the parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to compare against when the phone is unknown, so a miss takes as long as a wrong password. */
export const DUMMY_PASSWORD_HASH = await hashPassword(randomBytes(12).toString('hex'));
