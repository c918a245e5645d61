-- The ledger's functions keep each statement's generic plan for the life of the connection (0012), and a
-- generic plan is made with the table statistics of that moment. A pooled connection that first posted while
-- a table was small keeps a plan made for the small table: with the benchmark's pool, ledger_post_batch's
-- Idempotency-Key look-up stayed a sequential scan of transfers (10 ms a batch at 20,000 transfers, growing)
-- and ledger_post's balance update a hash join over a sequential scan of accounts, until autovacuum's next
-- ANALYZE replaced them. Every statement of these functions reaches its rows through a primary key or an
-- index (accounts by id and by customer, transfers by Idempotency-Key, entries by transfer, holds by
-- reference), so sequential scans are ruled out inside them, whatever the statistics say at planning time.
-- ledger_post_batch is replaced (as in 0015 but for its Idempotency-Key look-up): it matched the batch's keys
-- with `= ANY(array)` against the tenant's transfers, which even without sequential scans was planned as a
-- bitmap scan of all the tenant's transfers, filtered; it now probes the unique index once per key. Its
-- error_constraint column, never set (no refusal it answers per posting comes from a constraint), is gone.
-- As with 0012: a CREATE OR REPLACE of any of these functions drops its SET clauses; repeat them there.
ALTER FUNCTION ledger_post(uuid, text, text, text, uuid, uuid, uuid, bigint, text, text, text, jsonb, bigint[], bigint[], bigint, bigint, bigint, text, timestamptz, text, text)
  SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION ledger_hold(uuid, text, text, timestamptz, bigint[], bigint[], bigint, bigint, bigint, text)
  SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION ledger_release_holds(uuid, text, text) SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION ledger_stored_value_principal(uuid, bigint, bigint, bigint, text) SET enable_seqscan = off;
--> statement-breakpoint
-- 0015 replaced ledger_check_entries without 0012's setting; both again. The entries trigger runs inside the
-- posting functions, the deferred has-entries check at commit, outside them.
ALTER FUNCTION ledger_check_entries() SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION ledger_check_entries() SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION ledger_check_transfer_has_entries() SET enable_seqscan = off;
--> statement-breakpoint
DROP FUNCTION ledger_post_batch(jsonb);
--> statement-breakpoint
CREATE FUNCTION ledger_post_batch(p_postings jsonb)
RETURNS TABLE (transfer_id bigint, replayed boolean, principal_part bigint, bonus_part bigint,
               settings_changed boolean, error_state text, error_message text, error_detail text)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
  v_postings jsonb[];
  v_tenants uuid[];
  v_customers uuid[];
  v_refs bigint[];
  v_settings jsonb;
  -- "tenant|key" → [transfer id, request hash]: committed transfers, and this batch's postings that went through.
  v_existing jsonb;
  v_claimed jsonb := '{}';
  v_sequence text := pg_get_serial_sequence('transfers', 'id');
  v_now timestamptz := now();
  -- The accounts the batch reads, one array per column, by position; balances as the postings leave them.
  a_id bigint[]; a_tenant uuid[]; a_customer uuid[]; a_kind text[]; a_unit text[]; a_mat boolean[];
  a_nod boolean[]; a_side text[]; a_bal bigint[]; a_held bigint[]; a_ver bigint[]; a_hash bytea[];
  a_moved boolean[];
  -- What the batch writes.
  t_id bigint[] := '{}';
  t_posting jsonb[] := '{}';
  e_transfer bigint[] := '{}'; e_account bigint[] := '{}'; e_tenant uuid[] := '{}'; e_customer uuid[] := '{}';
  e_unit text[] := '{}'; e_amount bigint[] := '{}'; e_balance bigint[] := '{}'; e_version bigint[] := '{}';
  e_hash bytea[] := '{}'; e_at timestamptz[] := '{}';
  w_transfer bigint[] := '{}';
  w_balances jsonb[] := '{}';
  -- The answer of each posting, by position.
  r_transfer bigint[]; r_replayed boolean[]; r_principal bigint[]; r_bonus bigint[]; r_settings boolean[];
  r_state text[]; r_message text[]; r_detail text[];
  p jsonb;
  i int;
  j int;
  k int;
  v_tenant uuid;
  v_customer uuid;
  v_key text;
  v_seen jsonb;
  v_accounts bigint[];
  v_amounts bigint[];
  v_total bigint;
  v_kp int;
  v_kb int;
  v_have_p bigint;
  v_have_b bigint;
  v_principal bigint;
  v_bonus bigint;
  l_ids bigint[];
  l_amts bigint[];
  l_pos int[];
  l_units text[];
  v_bad int;
  v_unbalanced record;
  v_transfer bigint;
  v_at timestamptz;
  v_wallet jsonb;
  v_written bigint;
BEGIN
  v_postings := ARRAY(SELECT x FROM jsonb_array_elements(p_postings) WITH ORDINALITY AS e(x, n) ORDER BY e.n);
  IF EXISTS (SELECT 1 FROM unnest(v_postings) x WHERE x->>'capture_type' IS NOT NULL OR x->>'reverses' IS NOT NULL) THEN
    RAISE EXCEPTION 'ledger_post_batch neither captures holds nor reverses transfers: post those alone';
  END IF;
  v_tenants := ARRAY(SELECT DISTINCT (x->>'tenant')::uuid FROM unnest(v_postings) x);
  v_customers := ARRAY(SELECT DISTINCT (x->>'customer')::uuid FROM unnest(v_postings) x WHERE x->>'customer' IS NOT NULL);
  v_refs := ARRAY(
    SELECT DISTINCT r FROM unnest(v_postings) x,
      unnest((x->>'accounts')::bigint[] || ARRAY[(x->>'spend_principal')::bigint, (x->>'spend_bonus')::bigint]) r
    WHERE r IS NOT NULL);

  -- Every customer account the postings move, locked at once in ascending id order like a single posting's.
  PERFORM 1 FROM accounts a
  WHERE a.id = ANY(v_refs) AND a.tenant_id = ANY(v_tenants) AND a.materialized
  ORDER BY a.id
  FOR UPDATE;

  -- Read after the locks: the balances as they are now. The customers' other accounts go into their wallets.
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.tenant_id ORDER BY a.id), array_agg(a.customer_id ORDER BY a.id),
         array_agg(a.kind ORDER BY a.id), array_agg(a.unit ORDER BY a.id), array_agg(a.materialized ORDER BY a.id),
         array_agg(a.no_overdraw ORDER BY a.id), array_agg(a.normal_side::text ORDER BY a.id),
         array_agg(a.balance ORDER BY a.id), array_agg(a.held ORDER BY a.id), array_agg(a.version ORDER BY a.id),
         array_agg(a.head_hash ORDER BY a.id), array_agg(false ORDER BY a.id)
  INTO a_id, a_tenant, a_customer, a_kind, a_unit, a_mat, a_nod, a_side, a_bal, a_held, a_ver, a_hash, a_moved
  FROM accounts a
  WHERE a.tenant_id = ANY(v_tenants)
    AND a.id = ANY(v_refs || ARRAY(SELECT c.id FROM accounts c
                                   WHERE c.tenant_id = ANY(v_tenants) AND c.customer_id = ANY(v_customers)));
  a_id := coalesce(a_id, '{}');

  SELECT jsonb_object_agg(t.id::text, coalesce(t.settings->'ledger', '{}'::jsonb)) INTO v_settings
  FROM tenants t WHERE t.id = ANY(v_tenants);
  -- One unique-index probe per posting's key: the plan cannot turn into a scan of the tenant's transfers.
  SELECT coalesce(jsonb_object_agg(t.tenant_id::text || '|' || t.idempotency_key, jsonb_build_array(t.id, t.request_hash)), '{}')
  INTO v_existing
  FROM unnest(v_postings) x
  CROSS JOIN LATERAL (
    SELECT t.tenant_id, t.idempotency_key, t.id, t.request_hash FROM transfers t
    WHERE t.tenant_id = (x->>'tenant')::uuid AND t.idempotency_key = x->>'idempotency_key'
  ) t;

  FOR i IN 1..coalesce(cardinality(v_postings), 0) LOOP
    p := v_postings[i];
    r_settings[i] := false;
    v_tenant := (p->>'tenant')::uuid;
    v_customer := (p->>'customer')::uuid;
    IF p ? 'ledger_settings' AND (v_settings->(p->>'tenant')) IS DISTINCT FROM p->'ledger_settings' THEN
      r_settings[i] := true;
      CONTINUE;
    END IF;
    v_accounts := coalesce((p->>'accounts')::bigint[], '{}');
    v_amounts := coalesce((p->>'amounts')::bigint[], '{}');
    IF cardinality(v_accounts) <> cardinality(v_amounts) THEN
      r_state[i] := 'LD004';
      r_message[i] := 'accounts and amounts differ in length';
      CONTINUE;
    END IF;

    v_key := (p->>'tenant') || '|' || (p->>'idempotency_key');
    v_seen := coalesce(v_claimed->v_key, v_existing->v_key);
    IF v_seen IS NOT NULL THEN
      IF v_seen->>1 IS DISTINCT FROM p->>'request_hash' THEN
        r_state[i] := 'LD002';
        r_message[i] := format('idempotency key %s was used for another request', p->>'idempotency_key');
      ELSE
        r_transfer[i] := (v_seen->>0)::bigint;
        r_replayed[i] := true;
      END IF;
      CONTINUE;
    END IF;

    v_total := (p->>'spend_total')::bigint;
    v_principal := 0;
    v_bonus := 0;
    IF v_total IS NOT NULL AND v_total > 0 THEN
      v_kp := array_position(a_id, (p->>'spend_principal')::bigint);
      v_kb := array_position(a_id, (p->>'spend_bonus')::bigint);
      v_have_p := CASE WHEN a_kind[v_kp] = 'stored_principal' AND a_tenant[v_kp] = v_tenant AND a_mat[v_kp]
                       THEN -a_bal[v_kp] - a_held[v_kp] END;
      v_have_b := CASE WHEN a_kind[v_kb] = 'stored_bonus' AND a_tenant[v_kb] = v_tenant AND a_mat[v_kb]
                       THEN -a_bal[v_kb] - a_held[v_kb] END;
      IF v_have_p IS NULL OR v_have_b IS NULL THEN
        r_state[i] := 'LD003';
        r_message[i] := 'stored-value accounts not found';
        CONTINUE;
      END IF;
      IF v_have_p + v_have_b < v_total THEN
        r_state[i] := 'LD001';
        r_message[i] := format('insufficient stored value: has %s, needs %s', v_have_p + v_have_b, v_total);
        r_detail[i] := 'stored_value';
        CONTINUE;
      END IF;
      v_principal := ledger_split_principal(v_have_p, v_have_b, v_total, coalesce(p->>'spend_rule', 'proportional'));
      v_bonus := v_total - v_principal;
      v_accounts := v_accounts || ARRAY[a_id[v_kp], a_id[v_kb]];
      v_amounts := v_amounts || ARRAY[v_principal, v_bonus];
    END IF;

    -- Legs on the same account merged, in ascending account id; every account must be this tenant's.
    SELECT array_agg(s.account_id ORDER BY s.account_id), array_agg(s.amount ORDER BY s.account_id)
    INTO l_ids, l_amts
    FROM (SELECT l.account_id, sum(l.amount)::bigint AS amount
          FROM unnest(v_accounts, v_amounts) AS l(account_id, amount)
          GROUP BY l.account_id HAVING sum(l.amount) <> 0) s;
    IF l_ids IS NULL THEN
      r_state[i] := 'LD004';
      r_message[i] := 'transfer has no non-zero legs';
      CONTINUE;
    END IF;
    v_bad := NULL;
    l_pos := '{}';
    l_units := '{}';
    FOR j IN 1..cardinality(l_ids) LOOP
      k := array_position(a_id, l_ids[j]);
      IF k IS NULL OR a_tenant[k] <> v_tenant THEN
        v_bad := j;
        EXIT;
      END IF;
      l_pos := l_pos || k;
      l_units := l_units || a_unit[k];
    END LOOP;
    IF v_bad IS NOT NULL THEN
      r_state[i] := 'LD003';
      r_message[i] := 'unknown account in transfer';
      CONTINUE;
    END IF;
    -- A balance moves only if it stays within its limit; the first that would not (ascending id) refuses it.
    FOR j IN 1..cardinality(l_ids) LOOP
      k := l_pos[j];
      IF a_mat[k] AND a_nod[k]
         AND NOT ((a_side[k] = 'credit' AND a_bal[k] + l_amts[j] + a_held[k] <= 0)
                  OR (a_side[k] = 'debit' AND a_bal[k] + l_amts[j] >= 0)) THEN
        v_bad := j;
        EXIT;
      END IF;
    END LOOP;
    IF v_bad IS NOT NULL THEN
      k := l_pos[v_bad];
      r_state[i] := 'LD001';
      r_message[i] := format('insufficient balance on account %s (%s): balance %s, posting %s',
                             a_id[k], a_kind[k], a_bal[k], l_amts[v_bad]);
      r_detail[i] := a_kind[k];
      CONTINUE;
    END IF;

    -- Checked after the limits, as ledger_post's entries trigger only sees a posting whose balances all moved.
    SELECT u.unit, sum(u.amount) AS total INTO v_unbalanced
    FROM unnest(l_units, l_amts) AS u(unit, amount) GROUP BY u.unit HAVING sum(u.amount) <> 0 LIMIT 1;
    IF FOUND THEN
      r_state[i] := 'LD004';
      r_message[i] := format('transfer does not balance in %s: off by %s', v_unbalanced.unit, v_unbalanced.total);
      CONTINUE;
    END IF;

    -- It goes through: balances, versions and chain heads move; its entries, transfer and wallet are queued.
    v_transfer := nextval(v_sequence);
    v_at := coalesce((p->>'at')::timestamptz, v_now);
    FOR j IN 1..cardinality(l_ids) LOOP
      k := l_pos[j];
      e_transfer := e_transfer || v_transfer;
      e_account := e_account || a_id[k];
      e_tenant := e_tenant || a_tenant[k];
      e_customer := e_customer || a_customer[k];
      e_unit := e_unit || a_unit[k];
      e_amount := e_amount || l_amts[j];
      e_at := e_at || v_at;
      IF a_mat[k] THEN
        a_bal[k] := a_bal[k] + l_amts[j];
        a_ver[k] := a_ver[k] + 1;
        a_hash[k] := sha256(coalesce(a_hash[k], ''::bytea)
                            || convert_to(concat_ws('|', a_id[k], a_ver[k], v_transfer, l_amts[j], a_bal[k]), 'UTF8'));
        a_moved[k] := true;
        e_balance := e_balance || a_bal[k];
        e_version := e_version || a_ver[k];
        e_hash := e_hash || a_hash[k];
      ELSE
        e_balance := e_balance || NULL::bigint;
        e_version := e_version || NULL::bigint;
        e_hash := e_hash || NULL::bytea;
      END IF;
    END LOOP;
    SELECT jsonb_object_agg(x.id::text, x.balance) INTO v_wallet
    FROM unnest(a_id, a_bal, a_tenant, a_customer) AS x(id, balance, tenant, customer)
    WHERE x.tenant = v_tenant AND x.customer = v_customer;
    IF v_wallet IS NOT NULL THEN
      w_transfer := w_transfer || v_transfer;
      w_balances := w_balances || v_wallet;
    END IF;
    t_id := t_id || v_transfer;
    t_posting := t_posting || p;
    v_claimed := v_claimed || jsonb_build_object(v_key, jsonb_build_array(v_transfer, p->>'request_hash'));
    r_transfer[i] := v_transfer;
    r_replayed[i] := false;
    r_principal[i] := v_principal;
    r_bonus[i] := v_bonus;
  END LOOP;

  IF cardinality(t_id) > 0 THEN
    INSERT INTO transfers (id, tenant_id, kind, idempotency_key, request_hash, store_id, staff_id, customer_id,
                           reference_type, reference_id, memo, details, created_at)
    OVERRIDING SYSTEM VALUE
    SELECT x.id, (x.p->>'tenant')::uuid, x.p->>'kind', x.p->>'idempotency_key', x.p->>'request_hash',
           (x.p->>'store')::uuid, (x.p->>'staff')::uuid, (x.p->>'customer')::uuid,
           x.p->>'reference_type', x.p->>'reference_id', x.p->>'memo', coalesce(x.p->'details', '{}'::jsonb),
           coalesce((x.p->>'at')::timestamptz, v_now)
    FROM unnest(t_id, t_posting) WITH ORDINALITY AS x(id, p, n)
    ORDER BY x.n
    ON CONFLICT ON CONSTRAINT transfers_idempotency_key DO NOTHING;
    GET DIAGNOSTICS v_written = ROW_COUNT;
    IF v_written <> cardinality(t_id) THEN
      RAISE EXCEPTION 'an Idempotency-Key of the batch was claimed by another session meanwhile'
        USING ERRCODE = '40001';
    END IF;

    PERFORM set_config('lumi.posting_transfer', array_to_string(t_id, ','), true);
    INSERT INTO entries (transfer_id, account_id, tenant_id, customer_id, unit, amount,
                         balance_after, account_version, hash, created_at)
    SELECT x.transfer_id, x.account_id, x.tenant_id, x.customer_id, x.unit, x.amount,
           x.balance_after, x.account_version, x.hash, x.created_at
    FROM unnest(e_transfer, e_account, e_tenant, e_customer, e_unit, e_amount, e_balance, e_version, e_hash, e_at)
         WITH ORDINALITY AS x(transfer_id, account_id, tenant_id, customer_id, unit, amount, balance_after,
                              account_version, hash, created_at, n)
    ORDER BY x.n;

    UPDATE accounts a
    SET balance = x.balance, version = x.version, head_hash = x.head_hash
    FROM unnest(a_id, a_bal, a_ver, a_hash, a_moved) AS x(id, balance, version, head_hash, moved)
    WHERE x.moved AND a.id = x.id;

    INSERT INTO transfer_wallets (transfer_id, balances)
    SELECT x.transfer_id, x.balances FROM unnest(w_transfer, w_balances) AS x(transfer_id, balances);
  END IF;

  FOR i IN 1..coalesce(cardinality(v_postings), 0) LOOP
    transfer_id := r_transfer[i];
    replayed := r_replayed[i];
    principal_part := r_principal[i];
    bonus_part := r_bonus[i];
    settings_changed := r_settings[i];
    error_state := r_state[i];
    error_message := r_message[i];
    error_detail := r_detail[i];
    RETURN NEXT;
  END LOOP;
END
$$;
