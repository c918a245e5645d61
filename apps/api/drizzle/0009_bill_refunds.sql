CREATE TABLE "bill_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"lines" jsonb NOT NULL,
	"tenders" jsonb NOT NULL,
	"points_clawed_back" integer DEFAULT 0 NOT NULL,
	"reason" text NOT NULL,
	"staff_id" uuid NOT NULL,
	"transfer_id" bigint NOT NULL,
	"wechat_out_refund_no" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bill_refunds_amount" CHECK ("bill_refunds"."amount_fen" >= 0),
	CONSTRAINT "bill_refunds_kind" CHECK ("bill_refunds"."kind" in ('refund', 'void'))
);
--> statement-breakpoint
ALTER TABLE "bill_refunds" ADD CONSTRAINT "bill_refunds_bill_id_bills_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bill_refunds_idempotency_key" ON "bill_refunds" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "bill_refunds_bill_idx" ON "bill_refunds" USING btree ("bill_id");