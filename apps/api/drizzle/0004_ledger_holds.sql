CREATE TYPE "public"."hold_status" AS ENUM('active', 'captured', 'released');--> statement-breakpoint
CREATE TABLE "holds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "holds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"reference_type" text NOT NULL,
	"reference_id" text NOT NULL,
	"status" "hold_status" DEFAULT 'active' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "holds_amount" CHECK ("holds"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_house_balance";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "held" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "holds_reference_idx" ON "holds" USING btree ("tenant_id","reference_type","reference_id");--> statement-breakpoint
CREATE INDEX "holds_active_expiry_idx" ON "holds" USING btree ("expires_at") WHERE "holds"."status" = 'active';--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_held" CHECK ("accounts"."held" >= 0);--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_house_balance" CHECK ("accounts"."materialized" or ("accounts"."balance" = 0 and "accounts"."version" = 0 and "accounts"."held" = 0));--> statement-breakpoint

-- Entries may only be added by the posting that created their transfer. ledger_post marks the transfer it is
-- writing in a transaction-local setting; checking the row's xmin instead would refuse postings made inside a
-- savepoint (a nested transaction), whose xid differs from the top-level one.
CREATE OR REPLACE FUNCTION ledger_check_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.transfer_id INTO bad FROM new_entries n
  WHERE n.transfer_id::text IS DISTINCT FROM current_setting('lumi.posting_transfer', true)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'entries of transfer % must be written by ledger_post while it posts that transfer', bad.transfer_id
      USING ERRCODE = 'LDAPP';
  END IF;
  SELECT e.transfer_id, e.unit, sum(e.amount) AS total INTO bad
  FROM entries e
  WHERE e.transfer_id IN (SELECT DISTINCT transfer_id FROM new_entries)
  GROUP BY e.transfer_id, e.unit
  HAVING sum(e.amount) <> 0
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'transfer % does not balance in %: off by %', bad.transfer_id, bad.unit, bad.total
      USING ERRCODE = 'LD004';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- How much of a stored-value deduction comes from principal (the rest from bonus), by the tenant's rule,
-- against what the two accounts hold beyond other holds. Callers have locked both accounts. One place for the
-- rule, so a spend and the hold for a spend always split alike. LD003 unknown accounts, LD001 too little.
CREATE FUNCTION ledger_stored_value_principal(
  p_tenant uuid, p_principal bigint, p_bonus bigint, p_total bigint, p_rule text
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_have_p bigint;
  v_have_b bigint;
  v_principal bigint;
BEGIN
  SELECT -a.balance - a.held INTO v_have_p FROM accounts a
    WHERE a.id = p_principal AND a.tenant_id = p_tenant AND a.kind = 'stored_principal';
  SELECT -a.balance - a.held INTO v_have_b FROM accounts a
    WHERE a.id = p_bonus AND a.tenant_id = p_tenant AND a.kind = 'stored_bonus';
  IF v_have_p IS NULL OR v_have_b IS NULL THEN
    RAISE EXCEPTION 'stored-value accounts not found' USING ERRCODE = 'LD003';
  END IF;
  IF v_have_p + v_have_b < p_total THEN
    RAISE EXCEPTION 'insufficient stored value: has %, needs %', v_have_p + v_have_b, p_total
      USING ERRCODE = 'LD001', DETAIL = 'stored_value';
  END IF;
  IF p_rule = 'principal_first' THEN
    v_principal := least(p_total, v_have_p);
  ELSIF p_rule = 'bonus_first' THEN
    v_principal := p_total - least(p_total, v_have_b);
  ELSE
    -- Proportional to the two balances, rounded to the nearest fen, then kept within both balances.
    v_principal := round(p_total::numeric * v_have_p / (v_have_p + v_have_b))::bigint;
  END IF;
  RETURN greatest(least(v_principal, v_have_p), p_total - v_have_b);
END
$$;
--> statement-breakpoint
-- Holds: ledger_post learns to respect and capture them (the signature grows, so the function is replaced).
DROP FUNCTION ledger_post(uuid, text, text, text, uuid, uuid, uuid, bigint, text, text, text, jsonb, bigint[], bigint[], bigint, bigint, bigint, text, timestamptz);
--> statement-breakpoint
-- Posts one transfer. Amounts are signed (debit +, credit -). Legs on the same account are merged.
-- p_spend_* asks the function to take p_spend_total out of a customer's stored value, split between the
-- principal and bonus accounts by p_spend_rule against the balances it sees under the row locks.
-- p_capture_type/id: active holds with this reference are captured by this posting — their value is
-- released from accounts.held under the same locks, so the posting can use exactly what was set aside.
-- p_at is the business time of the event (now() unless importing history).
-- Errors: LD001 insufficient funds, LD002 idempotency key reused with another request, LD003 unknown account
-- or another tenant's, LD004 unbalanced. A replayed key returns the original transfer with replayed = true.
CREATE FUNCTION ledger_post(
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

  RETURN QUERY SELECT v_transfer, false, v_principal, v_bonus;
END
$$;

--> statement-breakpoint
-- Sets value aside on customer accounts for a pending settlement. p_accounts/p_amounts are amounts in the
-- customer's direction (fen, points, sessions) to hold; p_spend_* holds stored value split between principal
-- and bonus by the tenant's rule, exactly as ledger_post would spend it. Holding again under a reference that
-- already has active holds returns those holds unchanged (idempotent). LD001 when the value is not available.
CREATE FUNCTION ledger_hold(
  p_tenant uuid,
  p_reference_type text,
  p_reference_id text,
  p_expires_at timestamptz,
  p_accounts bigint[],
  p_amounts bigint[],
  p_spend_principal bigint DEFAULT NULL,
  p_spend_bonus bigint DEFAULT NULL,
  p_spend_total bigint DEFAULT NULL,
  p_spend_rule text DEFAULT 'proportional'
) RETURNS TABLE (account_id bigint, amount bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_accounts bigint[] := coalesce(p_accounts, '{}');
  v_amounts bigint[] := coalesce(p_amounts, '{}');
  v_principal bigint;
  bad record;
BEGIN
  IF EXISTS (SELECT 1 FROM holds h WHERE h.tenant_id = p_tenant AND h.reference_type = p_reference_type
             AND h.reference_id = p_reference_id AND h.status = 'active') THEN
    RETURN QUERY SELECT h.account_id, h.amount FROM holds h WHERE h.tenant_id = p_tenant
      AND h.reference_type = p_reference_type AND h.reference_id = p_reference_id AND h.status = 'active' ORDER BY h.id;
    RETURN;
  END IF;

  PERFORM 1 FROM accounts a
  WHERE a.id = ANY(v_accounts || ARRAY[p_spend_principal, p_spend_bonus]) AND a.materialized AND a.tenant_id = p_tenant
  ORDER BY a.id
  FOR UPDATE;

  IF p_spend_total IS NOT NULL AND p_spend_total > 0 THEN
    v_principal := ledger_stored_value_principal(p_tenant, p_spend_principal, p_spend_bonus, p_spend_total, p_spend_rule);
    v_accounts := v_accounts || ARRAY[p_spend_principal, p_spend_bonus];
    v_amounts := v_amounts || ARRAY[v_principal, p_spend_total - v_principal];
  END IF;

  SELECT a.id, a.kind INTO bad
  FROM unnest(v_accounts, v_amounts) AS l(account_id, amount)
  LEFT JOIN accounts a ON a.id = l.account_id AND a.tenant_id = p_tenant AND a.materialized AND a.normal_side = 'credit'
  WHERE a.id IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'holds are only for customer accounts of this tenant' USING ERRCODE = 'LD003';
  END IF;

  SELECT a.id, a.kind INTO bad
  FROM accounts a
  JOIN (SELECT l.account_id, sum(l.amount) AS amount FROM unnest(v_accounts, v_amounts) AS l(account_id, amount)
        GROUP BY l.account_id) s ON s.account_id = a.id
  WHERE -a.balance - a.held < s.amount
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insufficient balance on account % (%) for a hold', bad.id, bad.kind USING ERRCODE = 'LD001', DETAIL = bad.kind;
  END IF;

  INSERT INTO holds (tenant_id, account_id, amount, reference_type, reference_id, expires_at)
  SELECT p_tenant, l.account_id, l.amount, p_reference_type, p_reference_id, p_expires_at
  FROM unnest(v_accounts, v_amounts) AS l(account_id, amount) WHERE l.amount > 0;

  UPDATE accounts a SET held = a.held + s.amount
  FROM (SELECT l.account_id, sum(l.amount) AS amount FROM unnest(v_accounts, v_amounts) AS l(account_id, amount)
        WHERE l.amount > 0 GROUP BY l.account_id) s
  WHERE a.id = s.account_id;

  RETURN QUERY SELECT h.account_id, h.amount FROM holds h WHERE h.tenant_id = p_tenant
    AND h.reference_type = p_reference_type AND h.reference_id = p_reference_id AND h.status = 'active' ORDER BY h.id;
END
$$;
--> statement-breakpoint
-- Gives held value back (a bill cancelled or timed out). Returns how many holds were released.
CREATE FUNCTION ledger_release_holds(p_tenant uuid, p_reference_type text, p_reference_id text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_count integer;
BEGIN
  PERFORM 1 FROM accounts a
  WHERE a.id IN (SELECT h.account_id FROM holds h WHERE h.tenant_id = p_tenant AND h.reference_type = p_reference_type
                 AND h.reference_id = p_reference_id AND h.status = 'active')
  ORDER BY a.id FOR UPDATE;
  WITH released AS (
    UPDATE holds h SET status = 'released', closed_at = now()
    WHERE h.tenant_id = p_tenant AND h.reference_type = p_reference_type AND h.reference_id = p_reference_id
      AND h.status = 'active'
    RETURNING h.account_id, h.amount
  ), per_account AS (SELECT account_id, sum(amount) AS amount FROM released GROUP BY account_id),
  upd AS (UPDATE accounts a SET held = a.held - pa.amount FROM per_account pa WHERE a.id = pa.account_id RETURNING 1)
  SELECT count(*) INTO v_count FROM released;
  RETURN v_count;
END
$$;
