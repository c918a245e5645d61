CREATE TABLE "transfer_wallets" (
	"transfer_id" bigint PRIMARY KEY NOT NULL,
	"balances" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "transfer_wallets" ADD CONSTRAINT "transfer_wallets_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE no action ON UPDATE no action;

--> statement-breakpoint
-- Snapshots are part of the record of what was answered: append-only like the transfers they belong to.
CREATE TRIGGER transfer_wallets_append_only BEFORE UPDATE OR DELETE ON transfer_wallets
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER transfer_wallets_no_truncate BEFORE TRUNCATE ON transfer_wallets
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
-- Transfers posted before this migration: each account's balance after its last entry up to the transfer's
-- last entry (entry ids follow posting order on an account), for accounts that had entries by then.
INSERT INTO transfer_wallets (transfer_id, balances)
SELECT t.id, w.balances
FROM transfers t
CROSS JOIN LATERAL (SELECT max(e.id) AS last_entry FROM entries e WHERE e.transfer_id = t.id) te
CROSS JOIN LATERAL (
  SELECT jsonb_object_agg(a.id::text, b.balance_after) AS balances
  FROM accounts a
  CROSS JOIN LATERAL (
    SELECT e.balance_after FROM entries e
    WHERE e.account_id = a.id AND e.id <= te.last_entry ORDER BY e.id DESC LIMIT 1
  ) b
  WHERE a.tenant_id = t.tenant_id AND a.customer_id = t.customer_id
) w
WHERE t.customer_id IS NOT NULL AND w.balances IS NOT NULL;
--> statement-breakpoint
-- ledger_post as in 0004_ledger_holds.sql, and it records the customer's balances after the posting.
CREATE OR REPLACE FUNCTION ledger_post(
  p_tenant uuid,
  p_kind text,
  p_idempotency_key text,
  p_request_hash text,
  p_store uuid,
  p_staff uuid,
  p_customer uuid,
  p_reverses bigint,
  p_reference_type text,
  p_reference_id text,
  p_memo text,
  p_details jsonb,
  p_accounts bigint[],
  p_amounts bigint[],
  p_spend_principal bigint DEFAULT NULL,
  p_spend_bonus bigint DEFAULT NULL,
  p_spend_total bigint DEFAULT NULL,
  p_spend_rule text DEFAULT 'proportional',
  p_at timestamptz DEFAULT NULL,
  p_capture_type text DEFAULT NULL,
  p_capture_id text DEFAULT NULL
) RETURNS TABLE (transfer_id bigint, replayed boolean, principal_part bigint, bonus_part bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_transfer bigint;
  v_existing_hash text;
  v_now timestamptz := coalesce(p_at, now());
  v_accounts bigint[] := coalesce(p_accounts, '{}');
  v_amounts bigint[] := coalesce(p_amounts, '{}');
  v_ids bigint[];
  v_amts bigint[];
  v_found int;
  v_principal bigint := 0;
  v_bonus bigint := 0;
  bad record;
BEGIN
  IF cardinality(v_accounts) <> cardinality(v_amounts) THEN
    RAISE EXCEPTION 'accounts and amounts differ in length' USING ERRCODE = 'LD004';
  END IF;

  INSERT INTO transfers (tenant_id, kind, idempotency_key, request_hash, store_id, staff_id, customer_id,
                         reverses_id, reference_type, reference_id, memo, details, created_at)
  VALUES (p_tenant, p_kind, p_idempotency_key, p_request_hash, p_store, p_staff, p_customer,
          p_reverses, p_reference_type, p_reference_id, p_memo, coalesce(p_details, '{}'), v_now)
  ON CONFLICT ON CONSTRAINT transfers_idempotency_key DO NOTHING
  RETURNING id INTO v_transfer;

  IF v_transfer IS NULL THEN
    SELECT t.id, t.request_hash INTO v_transfer, v_existing_hash
    FROM transfers t WHERE t.tenant_id = p_tenant AND t.idempotency_key = p_idempotency_key;
    IF v_existing_hash IS DISTINCT FROM p_request_hash THEN
      RAISE EXCEPTION 'idempotency key % was used for another request', p_idempotency_key USING ERRCODE = 'LD002';
    END IF;
    RETURN QUERY SELECT v_transfer, true, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;

  -- Lock every customer account of this posting in ascending id order: concurrent postings queue here
  -- instead of deadlocking, and everything below sees the newest balances.
  PERFORM 1 FROM accounts a
  WHERE a.id = ANY(v_accounts || ARRAY[p_spend_principal, p_spend_bonus]) AND a.materialized
  ORDER BY a.id
  FOR UPDATE;

  IF p_capture_type IS NOT NULL THEN
    WITH captured AS (
      UPDATE holds h SET status = 'captured', closed_at = v_now
      WHERE h.tenant_id = p_tenant AND h.reference_type = p_capture_type AND h.reference_id = p_capture_id
        AND h.status = 'active'
      RETURNING h.account_id, h.amount
    ), per_account AS (SELECT account_id, sum(amount) AS amount FROM captured GROUP BY account_id)
    UPDATE accounts a SET held = a.held - pa.amount FROM per_account pa WHERE a.id = pa.account_id;
  END IF;

  IF p_spend_total IS NOT NULL AND p_spend_total > 0 THEN
    v_principal := ledger_stored_value_principal(p_tenant, p_spend_principal, p_spend_bonus, p_spend_total, p_spend_rule);
    v_bonus := p_spend_total - v_principal;
    v_accounts := v_accounts || ARRAY[p_spend_principal, p_spend_bonus];
    v_amounts := v_amounts || ARRAY[v_principal, v_bonus];
  END IF;

  SELECT array_agg(s.account_id ORDER BY s.account_id), array_agg(s.amount ORDER BY s.account_id)
  INTO v_ids, v_amts
  FROM (SELECT l.account_id, sum(l.amount)::bigint AS amount
        FROM unnest(v_accounts, v_amounts) AS l(account_id, amount)
        GROUP BY l.account_id HAVING sum(l.amount) <> 0) s;
  IF v_ids IS NULL THEN
    RAISE EXCEPTION 'transfer has no non-zero legs' USING ERRCODE = 'LD004';
  END IF;

  SELECT count(*) INTO v_found FROM accounts a WHERE a.id = ANY(v_ids) AND a.tenant_id = p_tenant;
  IF v_found <> cardinality(v_ids) THEN
    RAISE EXCEPTION 'unknown account in transfer' USING ERRCODE = 'LD003';
  END IF;

  -- Credit-normal accounts may not reach into value other bills hold.
  SELECT a.id, a.kind, a.balance, l.amount INTO bad
  FROM accounts a JOIN unnest(v_ids, v_amts) AS l(account_id, amount) ON a.id = l.account_id
  WHERE a.materialized AND a.no_overdraw
    AND NOT ((a.normal_side = 'credit' AND a.balance + l.amount + a.held <= 0)
          OR (a.normal_side = 'debit' AND a.balance + l.amount >= 0))
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insufficient balance on account % (%): balance %, posting %', bad.id, bad.kind, bad.balance, bad.amount
      USING ERRCODE = 'LD001', DETAIL = bad.kind;
  END IF;

  UPDATE accounts a
  SET balance = a.balance + l.amount,
      version = a.version + 1,
      head_hash = sha256(coalesce(a.head_hash, ''::bytea)
                         || convert_to(concat_ws('|', a.id, a.version + 1, v_transfer, l.amount, a.balance + l.amount), 'UTF8'))
  FROM unnest(v_ids, v_amts) AS l(account_id, amount)
  WHERE a.id = l.account_id AND a.materialized;

  PERFORM set_config('lumi.posting_transfer', v_transfer::text, true);
  INSERT INTO entries (transfer_id, account_id, tenant_id, customer_id, unit, amount,
                       balance_after, account_version, hash, created_at)
  SELECT v_transfer, a.id, a.tenant_id, a.customer_id, a.unit, l.amount,
         CASE WHEN a.materialized THEN a.balance END,
         CASE WHEN a.materialized THEN a.version END,
         CASE WHEN a.materialized THEN a.head_hash END,
         v_now
  FROM unnest(v_ids, v_amts) AS l(account_id, amount)
  JOIN accounts a ON a.id = l.account_id;

  -- What the customer held right after this posting, for the answer to a replay of its Idempotency-Key.
  IF p_customer IS NOT NULL THEN
    INSERT INTO transfer_wallets (transfer_id, balances)
    SELECT v_transfer, jsonb_object_agg(a.id::text, a.balance)
    FROM accounts a WHERE a.tenant_id = p_tenant AND a.customer_id = p_customer
    HAVING count(*) > 0;
  END IF;

  RETURN QUERY SELECT v_transfer, false, v_principal, v_bonus;
END
$$;
