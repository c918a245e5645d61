ALTER TABLE "shop_order_lines" ADD COLUMN "top_up_principal_fen" bigint;--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD COLUMN "top_up_bonus_fen" bigint;--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD COLUMN "top_up_bonus_points" integer;--> statement-breakpoint
-- Top-up lines sold before this migration carry no copy of their grant: they get the plan as it stands now, which is
-- what their refunds used until now (a plan changed between such a sale and this migration is not corrected).
UPDATE "shop_order_lines" l SET
  "top_up_principal_fen" = l."amount_fen",
  "top_up_bonus_fen" = coalesce(p."bonus_fen", 0) * l."quantity",
  "top_up_bonus_points" = coalesce(p."bonus_points", 0) * l."quantity"
FROM "shop_order_lines" l2
LEFT JOIN "top_up_plans" p ON p."tenant_id" = l2."tenant_id" AND p."id" = l2."top_up_plan_id"
WHERE l2."id" = l."id" AND l."kind" = 'top_up_plan';--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD CONSTRAINT "shop_order_lines_top_up_grant_check" CHECK (("shop_order_lines"."kind" = 'top_up_plan') = ("shop_order_lines"."top_up_principal_fen" is not null and "shop_order_lines"."top_up_bonus_fen" is not null and "shop_order_lines"."top_up_bonus_points" is not null));
