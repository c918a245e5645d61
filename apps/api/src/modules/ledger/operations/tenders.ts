import type { Database } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import type { LedgerDeps, Posting } from '../context.ts';
import type { Leg } from '../post.ts';

/** The debit leg for money that came in through a tender: the store's till, its card terminal, or WeChat Pay. */
export async function tenderLeg(
  db: Database,
  deps: LedgerDeps,
  posting: Pick<Posting, 'tenantId' | 'storeId'>,
  method: 'cash' | 'card' | 'wechat',
  amountFen: number,
): Promise<Leg> {
  if (method === 'wechat') {
    return { accountId: await deps.house.id(db, posting.tenantId, 'wechat_clearing', null), amount: amountFen };
  }
  if (!posting.storeId)
    throw new AppError('VALIDATION_FAILED', 'A store is required for cash and card', [
      { field: 'body.storeId', message: 'required' },
    ]);
  const kind = method === 'cash' ? 'cash' : 'card_clearing';
  return { accountId: await deps.house.id(db, posting.tenantId, kind, posting.storeId), amount: amountFen };
}
