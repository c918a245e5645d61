import type { TransferResult } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryPreparedRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { BUCKET_OF_KIND, customerView } from './chart.ts';
import {
  type AccountRow,
  type WalletCreditLimit,
  walletAfterTransfer,
  walletAfterTransferRows,
} from './reads/wallet.ts';

/**
 * The answer to a money-moving request, read back from what was committed with the transfer (its entries and
 * the wallet ledger_post recorded right after it), so a replay of the same Idempotency-Key gets exactly the
 * answer the first request got, whatever moved since. One statement for all of it (with the customer's credit
 * limit when `creditLimit` is given): every money route answers with this.
 */
export async function transferResult(
  db: Database,
  tenantId: string,
  transferId: number,
  creditLimit?: WalletCreditLimit,
): Promise<TransferResult> {
  const limit = creditLimit ? creditLimit(tenantId, sql`t.customer_id`) : sql`null::bigint`;
  const [transfer] = await queryPreparedRows<{
    id: number;
    kind: string;
    created_at: Date | string;
    customer_id: string | null;
    details: Record<string, unknown>;
    entries: { kind: string; normal_side: 'debit' | 'credit'; amount: number; balance_after: number }[];
    wallet: AccountRow[];
    credit_limit: number | null;
  }>(
    db,
    sql`select t.id, t.kind, t.created_at, t.customer_id, t.details,
          (select coalesce(json_agg(json_build_object('kind', a.kind, 'normal_side', a.normal_side,
                    'amount', e.amount, 'balance_after', e.balance_after) order by e.id), '[]'::json)
           from entries e join accounts a on a.id = e.account_id
           where e.transfer_id = t.id and a.materialized) as entries,
          ${walletAfterTransferRows} as wallet,
          ${limit} as credit_limit
        from transfers t where t.id = ${transferId} and t.tenant_id = ${tenantId}`,
  );
  if (!transfer) throw new AppError('TRANSFER_NOT_FOUND', 'Transfer not found');
  const at = new Date(transfer.created_at);
  return {
    transferId: Number(transfer.id),
    kind: transfer.kind,
    at: at.toISOString(),
    customerId: transfer.customer_id,
    entries: transfer.entries.map((e) => ({
      bucket: BUCKET_OF_KIND[e.kind] ?? 'principal',
      amount: customerView(e.normal_side, Number(e.amount)),
      balanceAfter: customerView(e.normal_side, Number(e.balance_after)),
    })),
    details: transfer.details,
    wallet: transfer.customer_id
      ? walletAfterTransfer({ customerId: transfer.customer_id, at }, transfer.wallet, transfer.credit_limit)
      : null,
  };
}
