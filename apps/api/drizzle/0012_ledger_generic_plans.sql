-- The ledger's functions run every statement with its generic plan. PL/pgSQL plans a statement afresh for
-- each call while a plan for the call's actual arrays looks cheaper than the generic one, and for statements
-- over unnest(ids, amounts) it always does: a profile of one client calling ledger_post showed 18% of the
-- backend's time in the planner, 2% with generic plans. The generic plans are nested loops over the primary
-- key and the indexes of accounts and entries, which stay right as the tables grow.
-- A CREATE OR REPLACE of any of these functions drops its SET clause: repeat it there.
ALTER FUNCTION ledger_post(uuid, text, text, text, uuid, uuid, uuid, bigint, text, text, text, jsonb, bigint[], bigint[], bigint, bigint, bigint, text, timestamptz, text, text)
  SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION ledger_hold(uuid, text, text, timestamptz, bigint[], bigint[], bigint, bigint, bigint, text)
  SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION ledger_release_holds(uuid, text, text) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION ledger_stored_value_principal(uuid, bigint, bigint, bigint, text) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION ledger_check_entries() SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION ledger_check_transfer_has_entries() SET plan_cache_mode = force_generic_plan;
