import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

let forgeryKey: Promise<KeyObject> | undefined;

/** A key nobody trusts, for forged notifies and bad response signatures; made once per process. */
export function getForgeryKey(): Promise<KeyObject> {
  forgeryKey ??= promisify(generateKeyPair)('rsa', { modulusLength: 2048 }).then(({ privateKey }) => privateKey);
  return forgeryKey;
}
