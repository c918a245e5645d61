-- A bill's settlement kept its Idempotency-Key on the bill (settle_key) and compared nothing else: the same key
-- with another body answered with the bill, and the same key sent for another bill settled that one too. Every
-- accepted settlement now records its key with the hash of the request (route, bill id, body) in
-- bill_settlements, unique per tenant, and keeps it when the bill reopens. Keys already on bills move there
-- with an empty hash: nothing a client sends matches it, so a retry under such a key is refused, never re-run.
CREATE TABLE "bill_settlements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"staff_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bill_settlements" ADD CONSTRAINT "bill_settlements_bill_id_bills_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bill_settlements_idempotency_key" ON "bill_settlements" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "bill_settlements_bill_idx" ON "bill_settlements" USING btree ("bill_id");--> statement-breakpoint
INSERT INTO "bill_settlements" ("tenant_id", "bill_id", "idempotency_key", "request_hash", "staff_id")
SELECT "tenant_id", "id", "settle_key", '', "opened_by" FROM "bills" WHERE "settle_key" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "bills" DROP COLUMN "settle_key";