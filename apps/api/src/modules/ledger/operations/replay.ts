/**
 * When ledger_post finds the idempotency key already posted, rows the operation wrote before it (a package
 * card, a points lot) must go. Throwing this rolls the transaction back; unwrapReplay turns it into the
 * original transfer id for the caller, who answers exactly as the first time.
 */
class Replay {
  constructor(readonly transferId: number) {}
}

export function rollbackToReplay(transferId: number): never {
  throw new Replay(transferId);
}

export function unwrapReplay(error: unknown): number {
  if (error instanceof Replay) return error.transferId;
  throw error;
}
