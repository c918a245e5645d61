import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type SQL, sql } from 'drizzle-orm';
import { queryPreparedRows, uuidArray } from '../../db/database.ts';

interface WalletLike {
  customerId: string;
  credit: { owedFen: number; limitFen: number | null };
}

function isWallet(value: unknown): value is WalletLike {
  if (!value || typeof value !== 'object') return false;
  const v = value as { customerId?: unknown; credit?: { owedFen?: unknown; limitFen?: unknown } };
  return (
    typeof v.customerId === 'string' &&
    !!v.credit &&
    typeof v.credit === 'object' &&
    typeof v.credit.owedFen === 'number' &&
    v.credit.limitFen === null
  );
}

/** A customer's credit limit (0 without a credit line), as the SQL expression a wallet read selects with it. */
export const creditLimitSql = (tenantId: string, customerId: string | SQL): SQL =>
  sql`coalesce((select limit_fen from credit_lines where tenant_id = ${tenantId} and customer_id = ${customerId}), 0)`;

/**
 * The ledger is the bottom of the money stack and knows nothing of credit lines, so its wallet answers
 * `credit.limitFen: null`. This hook composes the two: on every response that carries a wallet (GET /me/wallet,
 * the staff wallet, and the `wallet` of every transfer result) it fills in the customer's real limit — 0 for a
 * customer without a credit line. Registered before the ledger routes, at the root, so it covers them all.
 */
export const creditWalletLimits = fp(
  async (app: FastifyInstance) => {
    app.addHook('preSerialization', async (request, _reply, payload: unknown) => {
      if (!payload || typeof payload !== 'object') return payload;
      const tenantId = request.customer?.tenantId ?? request.staff?.tenantId;
      if (!tenantId) return payload;
      const wallets = [payload, (payload as { wallet?: unknown }).wallet].filter(isWallet);
      if (wallets.length === 0) return payload;
      // One statement text whatever the number of wallets, so it is prepared once per connection.
      const rows = await queryPreparedRows<{ customer_id: string; limit_fen: number }>(
        app.db,
        sql`select customer_id, limit_fen from credit_lines
            where tenant_id = ${tenantId} and customer_id = any(${uuidArray([...new Set(wallets.map((w) => w.customerId))])})`,
      );
      const limits = new Map(rows.map((r) => [r.customer_id, r.limit_fen]));
      for (const wallet of wallets) wallet.credit.limitFen = limits.get(wallet.customerId) ?? 0;
      return payload;
    });
  },
  { name: 'credit-wallet-limits' },
);
