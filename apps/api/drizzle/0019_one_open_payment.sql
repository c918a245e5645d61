-- Every request with a new Idempotency-Key created another WeChat order for the same bill (or credit
-- repayment), each payable, so a customer could pay twice. A bill or a customer's credit repayment now has at
-- most one open (NOTPAY) order: the unique index below, over orders of the purposes that say so (exclusive).
-- Orders made before keep the flag unset when an open order for the same thing is newer, so the index can be
-- built over the duplicates the old code left; reconciliation closes those as they expire.
ALTER TABLE "payment_orders" ADD COLUMN "exclusive" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "payment_orders" SET "exclusive" = true
WHERE "purpose" IN ('bill', 'credit_repayment')
  AND "id" NOT IN (
    SELECT id FROM (
      SELECT id, row_number() OVER (PARTITION BY tenant_id, purpose, purpose_ref ORDER BY created_at DESC, id) AS n
      FROM "payment_orders" WHERE "state" = 'NOTPAY' AND "purpose" IN ('bill', 'credit_repayment')
    ) AS open_orders WHERE n > 1
  );--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_open_reference_key" ON "payment_orders" USING btree ("tenant_id","purpose","purpose_ref") WHERE "payment_orders"."state" = 'NOTPAY' and "payment_orders"."exclusive";
