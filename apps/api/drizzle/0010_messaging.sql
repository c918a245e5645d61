-- Credit reminders keep their claim (one row per item and kind); how their message went moves to
-- outbound_messages, where the messaging module records every customer message: one message per batch, under
-- the dedupe key credit_reminder:<batch id>. A reminder still pending (its run died mid-send) becomes a message
-- still sending, which the next reminder run marks failed (delivery unknown).
INSERT INTO "outbound_messages" ("tenant_id", "customer_id", "purpose", "dedupe_key", "channel", "status", "reason", "provider_message_id", "payload", "created_at", "sent_at")
SELECT DISTINCT ON ("tenant_id", "batch_id")
  "tenant_id",
  "customer_id",
  'credit_reminder',
  'credit_reminder:' || "batch_id",
  "channel"::text,
  (CASE "status" WHEN 'pending' THEN 'sending' ELSE "status"::text END)::"outbound_message_status",
  "error",
  COALESCE("wechat_msg_id", "sms_message_id"::text),
  jsonb_build_object(
    'wechat', CASE WHEN "channel" = 'wechat' OR "error" LIKE 'wechat %' THEN
      jsonb_build_object('templateId', "template_id", 'page', 'pages/credit/index', 'data', "payload"->'data') END,
    'sms', "payload"->'sms'
  ),
  "created_at",
  "sent_at"
FROM "credit_reminders"
ORDER BY "tenant_id", "batch_id", "id"
ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "channel";--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "template_id";--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "payload";--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "error";--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "wechat_msg_id";--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "sms_message_id";--> statement-breakpoint
ALTER TABLE "credit_reminders" DROP COLUMN "sent_at";--> statement-breakpoint
DROP TYPE "public"."credit_reminder_channel";--> statement-breakpoint
DROP TYPE "public"."credit_reminder_status";