ALTER TABLE "credit_limit_requests" ADD COLUMN "limit_after_fen" bigint;--> statement-breakpoint
-- Approvals before this column set the line to the approved amount.
UPDATE "credit_limit_requests" SET "limit_after_fen" = "approved_limit_fen" WHERE "status" = 'approved';
