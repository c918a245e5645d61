-- One idempotency contract across operations. Each money operation kept its Idempotency-Keys in a table of its
-- own (transfers, bill_settlements, bill_refunds, payment_orders, payment_refunds), so a key first used for one
-- operation was new to every other. idempotency_keys records every key a tenant has used with the operation
-- that owns it and the request's hash; its primary key decides between requests that arrive together.
-- Operations claim their key in their own transaction (claimIdempotencyKey); every inserted transfer claims its
-- key as operation 'ledger' through the trigger below, which covers ledger_post and ledger_post_batch alike.
CREATE TABLE "idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
-- A transfer's key is new in transfers (its unique constraint saw to that), so a claim already present belongs to
-- another operation: LD002, which the API answers 422 IDEMPOTENCY_KEY_REUSED, and the posting rolls back. A
-- batch that meets it rolls back whole and its postings go again one by one (post-batches.ts).
CREATE FUNCTION idempotency_claim_transfer_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO idempotency_keys (tenant_id, key, operation, request_hash)
  VALUES (NEW.tenant_id, NEW.idempotency_key, 'ledger', NEW.request_hash)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'idempotency key % was used for another operation', NEW.idempotency_key USING ERRCODE = 'LD002';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "transfers_claim_idempotency_key" AFTER INSERT ON "transfers"
FOR EACH ROW EXECUTE FUNCTION idempotency_claim_transfer_key();
--> statement-breakpoint
-- Keys already used keep their owner: the ledger's first, then the other operations' (a key two operations
-- already share stays with the first listed; a later retry under it on the other is refused).
INSERT INTO "idempotency_keys" ("tenant_id", "key", "operation", "request_hash", "created_at")
SELECT "tenant_id", "idempotency_key", 'ledger', "request_hash", "created_at" FROM "transfers"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "idempotency_keys" ("tenant_id", "key", "operation", "request_hash", "created_at")
SELECT "tenant_id", "idempotency_key", 'checkout.settle', "request_hash", "created_at" FROM "bill_settlements"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "idempotency_keys" ("tenant_id", "key", "operation", "request_hash", "created_at")
SELECT "tenant_id", "idempotency_key", 'checkout.' || "kind", "request_hash", "created_at" FROM "bill_refunds"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "idempotency_keys" ("tenant_id", "key", "operation", "request_hash", "created_at")
SELECT "tenant_id", "idempotency_key", 'payments.order', "request_hash", "created_at" FROM "payment_orders"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "idempotency_keys" ("tenant_id", "key", "operation", "request_hash", "created_at")
SELECT "tenant_id", "idempotency_key", 'payments.refund', "request_hash", "created_at" FROM "payment_refunds"
ON CONFLICT DO NOTHING;
