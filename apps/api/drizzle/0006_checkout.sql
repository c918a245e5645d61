CREATE TYPE "public"."bill_line_type" AS ENUM('service', 'product', 'package_session');--> statement-breakpoint
CREATE TYPE "public"."bill_status" AS ENUM('open', 'awaiting_customer', 'settled', 'voided', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."dispute_status" AS ENUM('open', 'answered', 'reversed');--> statement-breakpoint
CREATE TABLE "bill_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"type" "bill_line_type" NOT NULL,
	"service_id" uuid,
	"product_id" uuid,
	"package_card_id" uuid,
	"name" text NOT NULL,
	"category" text,
	"quantity" integer NOT NULL,
	"list_price_fen" bigint NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"discount_fen" bigint DEFAULT 0 NOT NULL,
	"amount_fen" bigint NOT NULL,
	"performer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	CONSTRAINT "bill_lines_amounts" CHECK ("bill_lines"."quantity" > 0 and "bill_lines"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "bills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"opened_by" uuid NOT NULL,
	"status" "bill_status" DEFAULT 'open' NOT NULL,
	"subtotal_fen" bigint NOT NULL,
	"tier_discount_fen" bigint DEFAULT 0 NOT NULL,
	"coupon_id" uuid,
	"coupon_discount_fen" bigint DEFAULT 0 NOT NULL,
	"manual_discount_fen" bigint DEFAULT 0 NOT NULL,
	"manual_discount_reason" text,
	"total_fen" bigint NOT NULL,
	"memo" text,
	"tenders" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confirmation_required" boolean DEFAULT false NOT NULL,
	"customer_confirmed_at" timestamp with time zone,
	"wechat_paid_at" timestamp with time zone,
	"hold_expires_at" timestamp with time zone,
	"settle_key" text,
	"transfer_id" bigint,
	"void_transfer_id" bigint,
	"dispute_until" timestamp with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "bills_amounts" CHECK ("bills"."subtotal_fen" >= 0 and "bills"."total_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "commission_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"line_type" "bill_line_type" NOT NULL,
	"item_id" uuid,
	"role" text,
	"kind" text NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "commission_rules_kind" CHECK ("commission_rules"."kind" in ('percent', 'fixed') and "commission_rules"."value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "commissions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "commissions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reversal" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" "dispute_status" DEFAULT 'open' NOT NULL,
	"answer" text,
	"resolved_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bill_lines" ADD CONSTRAINT "bill_lines_bill_id_bills_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bill_lines_bill_idx" ON "bill_lines" USING btree ("bill_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bills_number_key" ON "bills" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE INDEX "bills_customer_idx" ON "bills" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "bills_store_status_idx" ON "bills" USING btree ("tenant_id","store_id","status","created_at");--> statement-breakpoint
CREATE INDEX "bills_hold_expiry_idx" ON "bills" USING btree ("hold_expires_at") WHERE "bills"."status" = 'awaiting_customer';--> statement-breakpoint
CREATE INDEX "commission_rules_tenant_idx" ON "commission_rules" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "commissions_staff_idx" ON "commissions" USING btree ("tenant_id","staff_id","created_at");--> statement-breakpoint
CREATE INDEX "commissions_bill_idx" ON "commissions" USING btree ("bill_id");--> statement-breakpoint
CREATE INDEX "disputes_tenant_status_idx" ON "disputes" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_open_bill_key" ON "disputes" USING btree ("bill_id") WHERE "disputes"."status" = 'open';