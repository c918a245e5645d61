CREATE TABLE "payment_notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payment_notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid,
	"event_id" text,
	"event_type" text,
	"serial" text,
	"verified" boolean NOT NULL,
	"outcome" text NOT NULL,
	"out_trade_no" text,
	"out_refund_no" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"store_id" uuid,
	"purpose" text NOT NULL,
	"purpose_ref" text,
	"purpose_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" text NOT NULL,
	"out_trade_no" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"state" text DEFAULT 'NOTPAY' NOT NULL,
	"app_id" text NOT NULL,
	"mchid" text NOT NULL,
	"payer_openid" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"wechat_request" jsonb NOT NULL,
	"prepay_id" text,
	"placement_uncertain" boolean DEFAULT false NOT NULL,
	"transaction_id" text,
	"time_expire" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"transfer_id" bigint,
	"notified_at" timestamp with time zone,
	"last_queried_at" timestamp with time zone,
	"closed_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_orders_out_trade_no_key" UNIQUE("out_trade_no"),
	CONSTRAINT "payment_orders_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "payment_orders_idempotency_key" UNIQUE("tenant_id","customer_id","idempotency_key"),
	CONSTRAINT "payment_orders_amount" CHECK ("payment_orders"."amount_fen" > 0),
	CONSTRAINT "payment_orders_state" CHECK ("payment_orders"."state" in ('NOTPAY', 'SUCCESS', 'CLOSED', 'REFUND')),
	CONSTRAINT "payment_orders_paid_posted" CHECK ("payment_orders"."state" not in ('SUCCESS', 'REFUND') or "payment_orders"."transfer_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "payment_reconciliation_reports" (
	"tenant_id" uuid NOT NULL,
	"business_date" date NOT NULL,
	"orders_checked" integer NOT NULL,
	"refunds_checked" integer NOT NULL,
	"mismatches" jsonb NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_reconciliation_reports_tenant_id_business_date_pk" PRIMARY KEY("tenant_id","business_date")
);
--> statement-breakpoint
CREATE TABLE "payment_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"out_refund_no" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"state" text DEFAULT 'PENDING' NOT NULL,
	"refund_id" text,
	"staff_id" uuid,
	"wechat_request" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"hold_transfer_id" bigint,
	"transfer_id" bigint,
	"void_transfer_id" bigint,
	"closed_reason" text,
	"succeeded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_refunds_out_refund_no_key" UNIQUE("out_refund_no"),
	CONSTRAINT "payment_refunds_idempotency_key" UNIQUE("tenant_id","idempotency_key"),
	CONSTRAINT "payment_refunds_amount" CHECK ("payment_refunds"."amount_fen" > 0),
	CONSTRAINT "payment_refunds_state" CHECK ("payment_refunds"."state" in ('PENDING', 'PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL')),
	CONSTRAINT "payment_refunds_settled" CHECK ("payment_refunds"."state" <> 'SUCCESS' or "payment_refunds"."transfer_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "payment_orders" ADD CONSTRAINT "payment_orders_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_orders" ADD CONSTRAINT "payment_orders_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_reconciliation_reports" ADD CONSTRAINT "payment_reconciliation_reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_refunds" ADD CONSTRAINT "payment_refunds_tenant_id_order_id_payment_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."payment_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_notifications_tenant_idx" ON "payment_notifications" USING btree ("tenant_id","received_at");--> statement-breakpoint
CREATE INDEX "payment_notifications_order_idx" ON "payment_notifications" USING btree ("out_trade_no");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_transaction_id_key" ON "payment_orders" USING btree ("transaction_id") WHERE "payment_orders"."transaction_id" is not null;--> statement-breakpoint
CREATE INDEX "payment_orders_open_idx" ON "payment_orders" USING btree ("created_at") WHERE "payment_orders"."state" = 'NOTPAY';--> statement-breakpoint
CREATE INDEX "payment_orders_tenant_created_idx" ON "payment_orders" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "payment_refunds_order_idx" ON "payment_refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "payment_refunds_open_idx" ON "payment_refunds" USING btree ("created_at") WHERE "payment_refunds"."state" in ('PENDING', 'PROCESSING');