-- Shop order numbers were the business day and 24 random bits (SO20261207A1B2C3), as bill numbers were before
-- 0017, and nothing kept two orders from sharing one. They are now SO-, the store's code, the Shanghai business day
-- and the store's sequence of that day (SO-S01-20261207-0042), counted in shop_order_number_counters in the
-- order's own transaction, and unique per tenant. Earlier numbers stay as printed; should two of them already
-- share a number, the later ones get -2, -3 … so the index can be built.
CREATE TABLE "shop_order_number_counters" (
	"tenant_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"business_date" date NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "shop_order_number_counters_tenant_id_store_id_business_date_pk" PRIMARY KEY("tenant_id","store_id","business_date"),
	CONSTRAINT "shop_order_number_counters_positive" CHECK ("shop_order_number_counters"."last_number" > 0)
);
--> statement-breakpoint
ALTER TABLE "shop_order_number_counters" ADD CONSTRAINT "shop_order_number_counters_tenant_id_store_id_stores_tenant_id_id_fk" FOREIGN KEY ("tenant_id","store_id") REFERENCES "public"."stores"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
UPDATE "shop_orders" SET "number" = "shop_orders"."number" || '-' || repeated.n
FROM (
  SELECT id, row_number() OVER (PARTITION BY tenant_id, number ORDER BY created_at, id) AS n FROM "shop_orders"
) AS repeated
WHERE "shop_orders"."id" = repeated.id AND repeated.n > 1;--> statement-breakpoint
CREATE UNIQUE INDEX "shop_orders_number_key" ON "shop_orders" USING btree ("tenant_id","number");