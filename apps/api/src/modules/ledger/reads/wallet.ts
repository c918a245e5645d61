import type { Wallet } from '@lumi/shared';
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryPreparedRows } from '../../../db/database.ts';
import { customerView } from '../chart.ts';
import { shanghaiDate } from '../operations/package-cards.ts';
import { type ChainHead, chainFirstPageColumn, chainHeadColumns, chainHeadJoins, verifyChainsFrom } from '../verify.ts';

export interface AccountRow {
  id: number;
  kind: string;
  balance: number;
  package_card_id: string | null;
  card_name: string | null;
  service_id: string | null;
  sessions_total: number | null;
  value_per_session_fen: number | null;
  expires_on: string | null;
}

const CARD_COLUMNS = sql`a.package_card_id, pc.name as card_name, pc.service_id, pc.sessions_total,
  pc.value_per_session_fen, to_char(pc.expires_on, 'YYYY-MM-DD') as expires_on`;

/**
 * Everything a customer holds with the salon, read from the materialised balances, and whether their chains
 * verify (from the last checkpoint, with the new entries): one query for both, as a wallet is read on every
 * visit to the app; a second moves the checkpoints on when there was something new.
 */
export async function getWallet(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
  options: { verify?: boolean; creditLimit?: WalletCreditLimit | undefined } = {},
): Promise<Wallet> {
  const verify = options.verify !== false;
  const limit = options.creditLimit?.(tenantId, customerId) ?? sql`null::bigint`;
  const rows = await queryPreparedRows<AccountRow & ChainHead & { materialized: boolean; credit_limit: number | null }>(
    db,
    sql`select a.kind, a.materialized, ${CARD_COLUMNS}, ${limit} as credit_limit,
        ${verify ? sql`${chainHeadColumns}, ${chainFirstPageColumn}` : sql`a.id, a.balance`}
        from accounts a left join package_cards pc on pc.id = a.package_card_id
        ${verify ? chainHeadJoins(true) : sql``}
        where a.tenant_id = ${tenantId} and a.customer_id = ${customerId}
        order by pc.created_at nulls first, a.id`,
  );
  const heads = rows.filter((r) => r.materialized).sort((x, y) => Number(x.id) - Number(y.id));
  const chainVerified = verify ? (await verifyChainsFrom(db, heads, true)).length === 0 : null;
  const wallet = walletOf(customerId, rows, shanghaiDate(now), chainVerified);
  const [first] = rows;
  if (first && first.credit_limit !== null) wallet.credit.limitFen = Number(first.credit_limit);
  return wallet;
}

/**
 * The customer's credit limit as an SQL expression (the credit module's, wired in app.ts): the ledger knows
 * nothing of credit lines, but a wallet read answers the limit in its one statement when given this. Without
 * it the wallet's limit is null and the credit module's response hook fills it in (a statement of its own).
 */
export type WalletCreditLimit = (tenantId: string, customerId: string | SQL) => SQL;

/**
 * The wallet as it stood right after transfer `t.id`, as a JSON array of its account rows for a statement over
 * `transfers t` (results.ts reads the transfer, its entries and this in one statement): from the balances
 * ledger_post recorded with the transfer, so every answer about one transfer shows the same wallet.
 */
export const walletAfterTransferRows = sql`(select coalesce(json_agg(json_build_object(
    'id', a.id, 'kind', a.kind, 'balance', b.value::bigint, 'package_card_id', a.package_card_id,
    'card_name', pc.name, 'service_id', pc.service_id, 'sessions_total', pc.sessions_total,
    'value_per_session_fen', pc.value_per_session_fen, 'expires_on', to_char(pc.expires_on, 'YYYY-MM-DD'))
    order by pc.created_at nulls first, a.id), '[]'::json)
  from transfer_wallets w
  cross join jsonb_each_text(w.balances) b
  join accounts a on a.id = b.key::bigint
  left join package_cards pc on pc.id = a.package_card_id
  where w.transfer_id = t.id)`;

/** The wallet right after a transfer from walletAfterTransferRows (cards count as expired by the transfer's day). */
export function walletAfterTransfer(
  transfer: { customerId: string; at: Date },
  rows: AccountRow[],
  creditLimit: number | null,
): Wallet {
  const wallet = walletOf(transfer.customerId, rows, shanghaiDate(transfer.at), null);
  if (creditLimit !== null) wallet.credit.limitFen = Number(creditLimit);
  return wallet;
}

function walletOf(customerId: string, rows: AccountRow[], today: string, chainVerified: boolean | null): Wallet {
  const held = (kind: string) =>
    rows.filter((r) => r.kind === kind).reduce((sum, r) => sum + customerView('credit', Number(r.balance)), 0);
  const principal = held('stored_principal');
  const bonus = held('stored_bonus');
  return {
    customerId,
    principalFen: principal,
    bonusFen: bonus,
    totalFen: principal + bonus,
    points: held('points'),
    packageCards: rows
      .filter((r) => r.kind === 'package_sessions' && r.package_card_id)
      .map((r) => ({
        id: r.package_card_id as string,
        name: r.card_name ?? '',
        serviceId: r.service_id as string,
        sessionsTotal: Number(r.sessions_total ?? 0),
        sessionsLeft: customerView('credit', Number(r.balance)),
        valuePerSessionFen: Number(r.value_per_session_fen ?? 0),
        expiresOn: r.expires_on as string,
        expired: (r.expires_on as string) < today,
      })),
    credit: {
      owedFen: rows.filter((r) => r.kind === 'credit_receivable').reduce((sum, r) => sum + Number(r.balance), 0),
      limitFen: null,
    },
    chainVerified,
  };
}
