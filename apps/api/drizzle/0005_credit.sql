CREATE TYPE "public"."collection_outcome" AS ENUM('called', 'promised', 'paid', 'disputed');--> statement-breakpoint
CREATE TYPE "public"."collection_task_status" AS ENUM('open', 'done');--> statement-breakpoint
CREATE TYPE "public"."credit_item_status" AS ENUM('open', 'paid', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."credit_line_status" AS ENUM('active', 'frozen');--> statement-breakpoint
CREATE TYPE "public"."credit_request_status" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."credit_sale_plan" AS ENUM('due_date', 'instalments');--> statement-breakpoint
CREATE TYPE "public"."credit_sale_status" AS ENUM('open', 'settled', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."credit_reminder_channel" AS ENUM('wechat', 'sms', 'none');--> statement-breakpoint
CREATE TYPE "public"."credit_reminder_status" AS ENUM('pending', 'sent', 'failed', 'skipped');--> statement-breakpoint
CREATE TABLE "collection_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"assignee_id" uuid,
	"created_by" uuid,
	"due_date" date NOT NULL,
	"note" text NOT NULL,
	"status" "collection_task_status" DEFAULT 'open' NOT NULL,
	"outcome" "collection_outcome",
	"promised_date" date,
	"outcome_note" text,
	"completed_by" uuid,
	"completed_at" timestamp with time zone,
	"follow_up_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collection_tasks_outcome" CHECK (("collection_tasks"."status" = 'done') = ("collection_tasks"."outcome" is not null))
);
--> statement-breakpoint
CREATE TABLE "credit_allocations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "credit_allocations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"transfer_id" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_allocations_amount_positive" CHECK ("credit_allocations"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "credit_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"sale_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"due_date" date NOT NULL,
	"amount_fen" bigint NOT NULL,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	"status" "credit_item_status" DEFAULT 'open' NOT NULL,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_items_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "credit_items_sale_seq_key" UNIQUE("sale_id","seq"),
	CONSTRAINT "credit_items_amount_positive" CHECK ("credit_items"."amount_fen" > 0),
	CONSTRAINT "credit_items_paid_range" CHECK ("credit_items"."paid_fen" >= 0 and "credit_items"."paid_fen" <= "credit_items"."amount_fen")
);
--> statement-breakpoint
CREATE TABLE "credit_limit_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_limit_fen" bigint NOT NULL,
	"current_limit_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"suggested_limit_fen" bigint NOT NULL,
	"suggestion" jsonb NOT NULL,
	"status" "credit_request_status" DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"approved_limit_fen" bigint,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_limit_requests_decided" CHECK (("credit_limit_requests"."status" = 'pending') = ("credit_limit_requests"."decided_by" is null))
);
--> statement-breakpoint
CREATE TABLE "credit_lines" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"limit_fen" bigint DEFAULT 0 NOT NULL,
	"status" "credit_line_status" DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"frozen_reason" text,
	"frozen_at" timestamp with time zone,
	"frozen_by" uuid,
	"unfrozen_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_lines_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id"),
	CONSTRAINT "credit_lines_limit_nonnegative" CHECK ("credit_lines"."limit_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "credit_reminders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "credit_reminders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"item_id" uuid,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"batch_id" uuid NOT NULL,
	"channel" "credit_reminder_channel" DEFAULT 'none' NOT NULL,
	"status" "credit_reminder_status" DEFAULT 'pending' NOT NULL,
	"template_id" text,
	"payload" jsonb,
	"error" text,
	"wechat_msg_id" text,
	"sms_message_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "credit_reminders_dedupe_key" UNIQUE("tenant_id","dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "credit_sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"transfer_id" bigint NOT NULL,
	"store_id" uuid,
	"staff_id" uuid,
	"principal_fen" bigint NOT NULL,
	"plan" "credit_sale_plan" NOT NULL,
	"instalment_count" integer NOT NULL,
	"interest_free" boolean DEFAULT true NOT NULL,
	"reference_type" text,
	"reference_id" text,
	"status" "credit_sale_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "credit_sales_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "credit_sales_transfer_key" UNIQUE("tenant_id","transfer_id"),
	CONSTRAINT "credit_sales_principal_positive" CHECK ("credit_sales"."principal_fen" > 0),
	CONSTRAINT "credit_sales_instalments" CHECK ("credit_sales"."instalment_count" >= 1)
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sms_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid,
	"phone" text NOT NULL,
	"template" text NOT NULL,
	"params" jsonb NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscribe_consents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "subscribe_consents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"template_id" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consumed_at" timestamp with time zone,
	"consumed_by" text
);
--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_tenant_id_assignee_id_staff_tenant_id_id_fk" FOREIGN KEY ("tenant_id","assignee_id") REFERENCES "public"."staff"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_allocations" ADD CONSTRAINT "credit_allocations_tenant_id_item_id_credit_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."credit_items"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_items" ADD CONSTRAINT "credit_items_tenant_id_sale_id_credit_sales_tenant_id_id_fk" FOREIGN KEY ("tenant_id","sale_id") REFERENCES "public"."credit_sales"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_items" ADD CONSTRAINT "credit_items_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_limit_requests" ADD CONSTRAINT "credit_limit_requests_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_limit_requests" ADD CONSTRAINT "credit_limit_requests_tenant_id_requested_by_staff_tenant_id_id_fk" FOREIGN KEY ("tenant_id","requested_by") REFERENCES "public"."staff"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_limit_requests" ADD CONSTRAINT "credit_limit_requests_tenant_id_decided_by_staff_tenant_id_id_fk" FOREIGN KEY ("tenant_id","decided_by") REFERENCES "public"."staff"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_lines" ADD CONSTRAINT "credit_lines_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_reminders" ADD CONSTRAINT "credit_reminders_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_sales" ADD CONSTRAINT "credit_sales_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_sales" ADD CONSTRAINT "credit_sales_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_sales" ADD CONSTRAINT "credit_sales_tenant_id_store_id_stores_tenant_id_id_fk" FOREIGN KEY ("tenant_id","store_id") REFERENCES "public"."stores"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscribe_consents" ADD CONSTRAINT "subscribe_consents_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collection_tasks_open_idx" ON "collection_tasks" USING btree ("tenant_id","status","due_date");--> statement-breakpoint
CREATE INDEX "collection_tasks_customer_idx" ON "collection_tasks" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "credit_allocations_item_idx" ON "credit_allocations" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "credit_allocations_transfer_idx" ON "credit_allocations" USING btree ("tenant_id","transfer_id");--> statement-breakpoint
CREATE INDEX "credit_items_customer_due_idx" ON "credit_items" USING btree ("tenant_id","customer_id","due_date");--> statement-breakpoint
CREATE INDEX "credit_items_open_due_idx" ON "credit_items" USING btree ("tenant_id","due_date") WHERE "credit_items"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "credit_limit_requests_one_pending" ON "credit_limit_requests" USING btree ("tenant_id","customer_id") WHERE "credit_limit_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "credit_limit_requests_tenant_idx" ON "credit_limit_requests" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "credit_reminders_customer_idx" ON "credit_reminders" USING btree ("tenant_id","customer_id","id");--> statement-breakpoint
CREATE INDEX "credit_sales_customer_idx" ON "credit_sales" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "sms_messages_tenant_idx" ON "sms_messages" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "subscribe_consents_available_idx" ON "subscribe_consents" USING btree ("tenant_id","customer_id","template_id","id") WHERE "subscribe_consents"."consumed_at" is null;--> statement-breakpoint
-- Hand-written: credit rows point at the ledger transfers they describe, and allocations are append-only.
ALTER TABLE "credit_sales" ADD CONSTRAINT "credit_sales_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id");--> statement-breakpoint
ALTER TABLE "credit_allocations" ADD CONSTRAINT "credit_allocations_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id");--> statement-breakpoint
CREATE TRIGGER credit_allocations_append_only BEFORE UPDATE OR DELETE ON credit_allocations
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
