-- Lines sold before this migration issued no gift card, so they keep null: an after-sale has no card to take back.
ALTER TABLE "shop_order_lines" ADD COLUMN "top_up_gift_package_plan_id" uuid;--> statement-breakpoint
ALTER TABLE "shop_order_lines" ADD COLUMN "top_up_gift_card_ids" uuid[];
