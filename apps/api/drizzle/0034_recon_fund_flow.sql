ALTER TABLE "payment_reconciliation_reports" ADD COLUMN "bill_problem" text;--> statement-breakpoint
ALTER TABLE "payment_reconciliation_reports" ADD COLUMN "settlement" jsonb;--> statement-breakpoint
ALTER TABLE "payment_reconciliation_reports" ADD COLUMN "settlement_problem" text;