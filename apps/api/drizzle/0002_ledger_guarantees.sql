-- The ledger's guarantees live in the database, so no code path (nor a person with psql and the app's role)
-- can break them: entries and transfers are append-only, every transfer balances per unit, and postings go
-- through one function that claims the idempotency key, locks customer accounts in id order, checks funds,
-- advances each account's hash chain and writes the entries — in one round trip.

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'LDAPP', HINT = 'Correct a transfer with a reversing transfer.';
END
$$;
--> statement-breakpoint
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint

-- Entries may only be added to a transfer created in the same transaction, and after every insert statement
-- each touched transfer must sum to zero in every unit.
CREATE FUNCTION ledger_check_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT t.id INTO bad
  FROM (SELECT DISTINCT transfer_id FROM new_entries) n
  JOIN transfers t ON t.id = n.transfer_id
  WHERE t.xmin::text <> (pg_current_xact_id()::text::bigint % 4294967296)::text
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'entries may not be added to transfer % after it was committed', bad.id USING ERRCODE = 'LDAPP';
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
CREATE TRIGGER entries_balanced AFTER INSERT ON entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_entries();
--> statement-breakpoint

-- A transfer without entries is not a business event; checked at commit.
CREATE FUNCTION ledger_check_transfer_has_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM entries WHERE transfer_id = NEW.id) THEN
    RAISE EXCEPTION 'transfer % has no entries', NEW.id USING ERRCODE = 'LD004';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER transfers_have_entries AFTER INSERT ON transfers
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_transfer_has_entries();
--> statement-breakpoint

-- Posts one transfer. Amounts are signed (debit +, credit -). Legs on the same account are merged.
-- p_spend_* asks the function to take p_spend_total out of a customer's stored value, split between the
-- principal and bonus accounts by p_spend_rule against the balances it sees under the row locks.
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
  p_at timestamptz DEFAULT NULL
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
  v_have_p bigint;
  v_have_b bigint;
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

  IF p_spend_total IS NOT NULL AND p_spend_total > 0 THEN
    SELECT -a.balance INTO v_have_p FROM accounts a
      WHERE a.id = p_spend_principal AND a.tenant_id = p_tenant AND a.kind = 'stored_principal';
    SELECT -a.balance INTO v_have_b FROM accounts a
      WHERE a.id = p_spend_bonus AND a.tenant_id = p_tenant AND a.kind = 'stored_bonus';
    IF v_have_p IS NULL OR v_have_b IS NULL THEN
      RAISE EXCEPTION 'stored-value accounts not found' USING ERRCODE = 'LD003';
    END IF;
    IF v_have_p + v_have_b < p_spend_total THEN
      RAISE EXCEPTION 'insufficient stored value: has %, needs %', v_have_p + v_have_b, p_spend_total
        USING ERRCODE = 'LD001', DETAIL = 'stored_value';
    END IF;
    IF p_spend_rule = 'principal_first' THEN
      v_principal := least(p_spend_total, v_have_p);
    ELSIF p_spend_rule = 'bonus_first' THEN
      v_principal := p_spend_total - least(p_spend_total, v_have_b);
    ELSE
      -- Proportional to the two balances, rounded to the nearest fen, then kept within both balances.
      v_principal := round(p_spend_total::numeric * v_have_p / (v_have_p + v_have_b))::bigint;
    END IF;
    v_principal := greatest(least(v_principal, v_have_p), p_spend_total - v_have_b);
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

  SELECT a.id, a.kind, a.balance, l.amount INTO bad
  FROM accounts a JOIN unnest(v_ids, v_amts) AS l(account_id, amount) ON a.id = l.account_id
  WHERE a.materialized AND a.no_overdraw
    AND NOT ((a.normal_side = 'credit' AND a.balance + l.amount <= 0)
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
