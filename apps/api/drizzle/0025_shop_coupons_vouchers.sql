CREATE TABLE "shop_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"after_sale_approval" boolean DEFAULT true NOT NULL,
	"auto_receive_days" integer DEFAULT 10 NOT NULL,
	"auto_complete_days" integer DEFAULT 7 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shop_after_sales" ADD COLUMN "points_clawed_back" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD COLUMN "points_price" integer;--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD COLUMN "coupon_discount_fen" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "shop_orders" ADD COLUMN "coupon_id" uuid;--> statement-breakpoint
ALTER TABLE "shop_orders" ADD COLUMN "coupon_discount_fen" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "shop_orders" ADD COLUMN "points_earned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD COLUMN "redeemed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD COLUMN "redeemed_store_id" uuid;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD COLUMN "redeemed_by" uuid;--> statement-breakpoint
ALTER TABLE "shop_settings" ADD CONSTRAINT "shop_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;