import type { Wallet } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryPreparedRows } from '../../../db/database.ts';
import { customerView } from '../chart.ts';
import { shanghaiDate } from '../operations/package-cards.ts';
import { type ChainHead, chainHeadColumns, chainHeadJoins, verifyChainsFrom } from '../verify.ts';

interface AccountRow {
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
 * verify (from the last checkpoint): one query for both, as a wallet is read on every visit to the app.
 */
export async function getWallet(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
  options: { verify?: boolean } = {},
): Promise<Wallet> {
  const verify = options.verify !== false;
  const rows = await queryPreparedRows<AccountRow & ChainHead & { materialized: boolean }>(
    db,
    sql`select a.kind, a.materialized, ${CARD_COLUMNS}, ${verify ? chainHeadColumns : sql`a.id, a.balance`}
        from accounts a left join package_cards pc on pc.id = a.package_card_id
        ${verify ? chainHeadJoins(true) : sql``}
        where a.tenant_id = ${tenantId} and a.customer_id = ${customerId}
        order by pc.created_at nulls first, a.id`,
  );
  const heads = rows.filter((r) => r.materialized).sort((x, y) => Number(x.id) - Number(y.id));
  const chainVerified = verify ? (await verifyChainsFrom(db, heads, true)).length === 0 : null;
  return walletOf(customerId, rows, shanghaiDate(now), chainVerified);
}

/**
 * The wallet as it stood right after a transfer, from the balances ledger_post recorded with it (cards count
 * as expired by the day of the transfer), so every answer about one transfer shows the same wallet.
 */
export async function walletAfterTransfer(
  db: Database,
  transfer: { id: number; customerId: string; at: Date },
): Promise<Wallet> {
  const rows = await queryPreparedRows<AccountRow>(
    db,
    sql`select a.id, a.kind, b.value::bigint as balance, ${CARD_COLUMNS}
        from transfer_wallets w
        cross join jsonb_each_text(w.balances) b
        join accounts a on a.id = b.key::bigint
        left join package_cards pc on pc.id = a.package_card_id
        where w.transfer_id = ${transfer.id}
        order by pc.created_at nulls first, a.id`,
  );
  return walletOf(transfer.customerId, rows, shanghaiDate(transfer.at), null);
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
