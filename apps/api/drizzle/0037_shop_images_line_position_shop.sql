-- Pictures managers upload for the catalogue (jpeg, png, webp), kept in the database so PGlite (the demo) and
-- PostgreSQL hold them alike; served at /shop-images/<tenant>/<id>.<ext>.
-- An order's lines get their place in her cart (position); the cart counts lines as she adds them (added_seq).
-- Lines placed before this keep the order they were listed in until now (by id), so nothing computed over an
-- order's lines in turn (shares, remainders) comes out differently for an order already placed.
CREATE TABLE "shop_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"byte_size" integer NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shop_images_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shop_images_type_check" CHECK ("shop_images"."content_type" in ('image/jpeg', 'image/png', 'image/webp'))
);
--> statement-breakpoint
ALTER TABLE "shop_images" ADD CONSTRAINT "shop_images_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_cart_lines" ADD COLUMN "added_seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "shop_cart_lines_added_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD COLUMN "position" integer;--> statement-breakpoint
UPDATE "shop_order_lines" SET "position" = placed.n
FROM (
  SELECT id, row_number() OVER (PARTITION BY order_id ORDER BY id) - 1 AS n FROM "shop_order_lines"
) AS placed
WHERE "shop_order_lines"."id" = placed.id;--> statement-breakpoint
ALTER TABLE "shop_order_lines" ALTER COLUMN "position" SET NOT NULL;
