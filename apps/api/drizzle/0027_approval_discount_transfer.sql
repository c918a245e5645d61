ALTER TABLE "approval_requests" DROP CONSTRAINT "approval_requests_kind";--> statement-breakpoint
ALTER TABLE "approval_requests" ALTER COLUMN "bill_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "customer_id" uuid;--> statement-breakpoint
UPDATE "approval_requests" a SET "customer_id" = b."customer_id" FROM "bills" b WHERE b."id" = a."bill_id";--> statement-breakpoint
ALTER TABLE "approval_requests" ALTER COLUMN "customer_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "transfer_id" bigint;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "used_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "approval_requests_pending_card_key" ON "approval_requests" USING btree (("details"->>'packageCardId')) WHERE "approval_requests"."status" = 'pending' and "approval_requests"."kind" = 'package_transfer';--> statement-breakpoint
CREATE UNIQUE INDEX "approval_requests_bill_used_key" ON "approval_requests" USING btree ("bill_id") WHERE "approval_requests"."kind" = 'discount';--> statement-breakpoint
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_kind" CHECK ("approval_requests"."kind" in ('void', 'refund', 'discount', 'package_transfer'));