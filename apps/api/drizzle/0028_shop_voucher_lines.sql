ALTER TYPE "public"."bill_line_type" ADD VALUE 'shop_voucher';--> statement-breakpoint
ALTER TABLE "bill_lines" ADD COLUMN "shop_voucher_id" uuid;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD COLUMN "value_fen" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD COLUMN "deferred_fen" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD COLUMN "bill_id" uuid;--> statement-breakpoint
ALTER TABLE "shop_vouchers" ADD COLUMN "bill_line_id" uuid;--> statement-breakpoint
-- Vouchers sold before this migration: each one's value is its running share of the line (the k-th of q takes
-- floor(amount*k/q) - floor(amount*(k-1)/q), so a line's vouchers add up to it). Their revenue was booked at sale,
-- so nothing is deferred for them.
UPDATE "shop_vouchers" v SET "value_fen" = s."value_fen" FROM (
  SELECT v2."id", (l."amount_fen" * r.k) / l."quantity" - (l."amount_fen" * (r.k - 1)) / l."quantity" AS "value_fen"
  FROM "shop_vouchers" v2
  JOIN "shop_order_lines" l ON l."id" = v2."line_id"
  JOIN (SELECT "id", row_number() OVER (PARTITION BY "line_id" ORDER BY "created_at", "id") AS k FROM "shop_vouchers") r
    ON r."id" = v2."id"
) s WHERE s."id" = v."id";
