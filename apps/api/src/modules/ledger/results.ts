import type { TransferResult } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { BUCKET_OF_KIND, customerView } from './chart.ts';
import { walletAfterTransfer } from './reads/wallet.ts';

/**
 * The answer to a money-moving request, read back from what was committed with the transfer (its entries and
 * the wallet ledger_post recorded right after it), so a replay of the same Idempotency-Key gets exactly the
 * answer the first request got, whatever moved since.
 */
export async function transferResult(db: Database, tenantId: string, transferId: number): Promise<TransferResult> {
  const [transfer] = await queryRows<{
    id: number;
    kind: string;
    created_at: Date | string;
    customer_id: string | null;
    details: Record<string, unknown>;
  }>(
    db,
    sql`select id, kind, created_at, customer_id, details from transfers where id = ${transferId} and tenant_id = ${tenantId}`,
  );
  if (!transfer) throw new AppError('TRANSFER_NOT_FOUND', 'Transfer not found');
  const entries = await queryRows<{
    kind: string;
    normal_side: 'debit' | 'credit';
    amount: number;
    balance_after: number;
  }>(
    db,
    sql`select a.kind, a.normal_side, e.amount, e.balance_after from entries e join accounts a on a.id = e.account_id
        where e.transfer_id = ${transferId} and a.materialized order by e.id`,
  );
  return {
    transferId: Number(transfer.id),
    kind: transfer.kind,
    at: new Date(transfer.created_at).toISOString(),
    customerId: transfer.customer_id,
    entries: entries.map((e) => ({
      bucket: BUCKET_OF_KIND[e.kind] ?? 'principal',
      amount: customerView(e.normal_side, Number(e.amount)),
      balanceAfter: customerView(e.normal_side, Number(e.balance_after)),
    })),
    details: transfer.details,
    wallet: transfer.customer_id
      ? await walletAfterTransfer(db, {
          id: Number(transfer.id),
          customerId: transfer.customer_id,
          at: new Date(transfer.created_at),
        })
      : null,
  };
}
