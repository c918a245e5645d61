-- Bill numbers were the business day and 24 random bits, which collide by the birthday bound within a few
-- thousand bills a day, and a collision failed the bill with a unique violation. They are now the store's code,
-- the Shanghai business day and the store's sequence of that day (S01-20261207-0042), counted in
-- bill_number_counters in the bill's own transaction: unique by construction. Earlier numbers stay as printed.
CREATE TABLE "bill_number_counters" (
	"tenant_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"business_date" date NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "bill_number_counters_tenant_id_store_id_business_date_pk" PRIMARY KEY("tenant_id","store_id","business_date"),
	CONSTRAINT "bill_number_counters_positive" CHECK ("bill_number_counters"."last_number" > 0)
);
--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "code" text;--> statement-breakpoint
-- Existing stores are numbered S01, S02 … in the order they were created, per tenant.
UPDATE "stores" SET "code" = numbered.code
FROM (
  SELECT id, 'S' || lpad(n::text, greatest(2, length(n::text)), '0') AS code
  FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at, id) AS n FROM "stores") AS ordered
) AS numbered
WHERE "stores"."id" = numbered.id;--> statement-breakpoint
ALTER TABLE "stores" ALTER COLUMN "code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bill_number_counters" ADD CONSTRAINT "bill_number_counters_tenant_id_store_id_stores_tenant_id_id_fk" FOREIGN KEY ("tenant_id","store_id") REFERENCES "public"."stores"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stores" ADD CONSTRAINT "stores_tenant_code_key" UNIQUE("tenant_id","code");--> statement-breakpoint
ALTER TABLE "stores" ADD CONSTRAINT "stores_code_format" CHECK ("stores"."code" ~ '^[A-Z0-9]{1,8}$');
