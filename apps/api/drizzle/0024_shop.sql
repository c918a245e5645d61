CREATE TABLE "shop_after_sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"lines" jsonb NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp (3) with time zone,
	"decision_note" text,
	"decision_key" text,
	"decision_hash" text,
	"tenders" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"transfer_id" bigint,
	"wechat_out_refund_no" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "shop_after_sales_amount_check" CHECK ("shop_after_sales"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "shop_cart_lines" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shop_cart_lines_customer_id_item_id_pk" PRIMARY KEY("customer_id","item_id"),
	CONSTRAINT "shop_cart_lines_quantity_check" CHECK ("shop_cart_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "shop_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shop_categories_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "shop_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"image_path" text,
	"list_price_fen" bigint NOT NULL,
	"tier_prices" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"points_price" integer,
	"on_sale" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"service_id" uuid,
	"package_plan_id" uuid,
	"top_up_plan_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shop_items_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shop_items_price_check" CHECK ("shop_items"."list_price_fen" >= 0 and ("shop_items"."points_price" is null or "shop_items"."points_price" > 0)),
	CONSTRAINT "shop_items_kind_check" CHECK ("shop_items"."kind" in ('product', 'service_voucher', 'package_card', 'top_up_plan'))
);
--> statement-breakpoint
CREATE TABLE "shop_order_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"list_price_fen" bigint NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"service_id" uuid,
	"package_plan_id" uuid,
	"top_up_plan_id" uuid,
	"refunded_quantity" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "shop_order_lines_check" CHECK ("shop_order_lines"."quantity" > 0 and "shop_order_lines"."refunded_quantity" between 0 and "shop_order_lines"."quantity")
);
--> statement-breakpoint
CREATE TABLE "shop_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"status" text NOT NULL,
	"fulfilment" text NOT NULL,
	"address" jsonb,
	"total_fen" bigint NOT NULL,
	"tenders" jsonb NOT NULL,
	"pickup_code" text,
	"tracking_note" text,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"transfer_id" bigint,
	"paid_at" timestamp (3) with time zone,
	"collected_at" timestamp (3) with time zone,
	"collected_by" uuid,
	"shipped_at" timestamp (3) with time zone,
	"received_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"closed_reason" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "shop_orders_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shop_orders_total_check" CHECK ("shop_orders"."total_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "shop_stock" (
	"tenant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "shop_stock_item_id_store_id_pk" PRIMARY KEY("item_id","store_id"),
	CONSTRAINT "shop_stock_quantity_check" CHECK ("shop_stock"."quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "shop_vouchers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"service_id" uuid,
	"name" text NOT NULL,
	"status" text DEFAULT 'issued' NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shop_after_sales" ADD CONSTRAINT "shop_after_sales_tenant_id_order_id_shop_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."shop_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_cart_lines" ADD CONSTRAINT "shop_cart_lines_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_cart_lines" ADD CONSTRAINT "shop_cart_lines_tenant_id_item_id_shop_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."shop_items"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_categories" ADD CONSTRAINT "shop_categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_items" ADD CONSTRAINT "shop_items_tenant_id_category_id_shop_categories_tenant_id_id_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "public"."shop_categories"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD CONSTRAINT "shop_order_lines_tenant_id_order_id_shop_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."shop_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_orders" ADD CONSTRAINT "shop_orders_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_orders" ADD CONSTRAINT "shop_orders_tenant_id_store_id_stores_tenant_id_id_fk" FOREIGN KEY ("tenant_id","store_id") REFERENCES "public"."stores"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_stock" ADD CONSTRAINT "shop_stock_tenant_id_item_id_shop_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."shop_items"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_stock" ADD CONSTRAINT "shop_stock_tenant_id_store_id_stores_tenant_id_id_fk" FOREIGN KEY ("tenant_id","store_id") REFERENCES "public"."stores"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD CONSTRAINT "shop_vouchers_tenant_id_order_id_shop_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."shop_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shop_after_sales_idempotency_key" ON "shop_after_sales" USING btree ("tenant_id","customer_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_after_sales_decision_key" ON "shop_after_sales" USING btree ("tenant_id","decision_key");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_after_sales_one_open" ON "shop_after_sales" USING btree ("order_id") WHERE "shop_after_sales"."status" = 'requested';--> statement-breakpoint
CREATE INDEX "shop_after_sales_order_idx" ON "shop_after_sales" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "shop_order_lines_order_idx" ON "shop_order_lines" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_orders_idempotency_key" ON "shop_orders" USING btree ("tenant_id","customer_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_orders_pickup_code" ON "shop_orders" USING btree ("tenant_id","store_id","pickup_code") WHERE "shop_orders"."status" = 'awaiting_pickup';--> statement-breakpoint
CREATE INDEX "shop_orders_customer_idx" ON "shop_orders" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "shop_orders_due_idx" ON "shop_orders" USING btree ("expires_at") WHERE "shop_orders"."status" = 'pending_payment';--> statement-breakpoint
CREATE INDEX "shop_vouchers_customer_idx" ON "shop_vouchers" USING btree ("tenant_id","customer_id");