ALTER TABLE "staff" ADD COLUMN "wechat_openid" text;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_wechat_openid_key" ON "staff" USING btree ("wechat_openid");--> statement-breakpoint
CREATE TABLE "staff_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "staff_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"status" "outbound_message_status" NOT NULL,
	"reason" text,
	"provider_message_id" text,
	"payload" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "staff_messages_dedupe_key" UNIQUE("tenant_id","staff_id","dedupe_key")
);
--> statement-breakpoint
CREATE INDEX "staff_messages_staff_idx" ON "staff_messages" USING btree ("tenant_id","staff_id","created_at");
