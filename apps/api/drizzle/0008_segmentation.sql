CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'scheduled', 'sending', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."coupon_status" AS ENUM('issued', 'reserved', 'redeemed', 'void');--> statement-breakpoint
CREATE TYPE "public"."outbound_message_status" AS ENUM('sending', 'sent', 'failed', 'skipped');--> statement-breakpoint
CREATE TABLE "campaign_feedback" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"type" text NOT NULL,
	"answers" jsonb,
	"message" text,
	"preferred_contact" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "campaign_feedback_type" CHECK ("campaign_feedback"."type" in ('survey', 'consultation'))
);
--> statement-breakpoint
CREATE TABLE "campaign_recipients" (
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"holdout" boolean NOT NULL,
	"preferred_category" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"coupon_id" uuid,
	"processed_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	CONSTRAINT "campaign_recipients_campaign_id_customer_id_pk" PRIMARY KEY("campaign_id","customer_id"),
	CONSTRAINT "campaign_recipients_status" CHECK ("campaign_recipients"."status" in ('pending', 'done'))
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" "campaign_status" DEFAULT 'draft' NOT NULL,
	"audience" jsonb NOT NULL,
	"offer" jsonb NOT NULL,
	"message" jsonb NOT NULL,
	"channels" text[] NOT NULL,
	"scheduled_at" timestamp with time zone,
	"quiet_hours" jsonb,
	"frequency_cap" jsonb,
	"holdout_basis_points" integer NOT NULL,
	"return_window_days" integer NOT NULL,
	"survey" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"audience_built_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"lease_token" uuid,
	"lease_until" timestamp with time zone,
	CONSTRAINT "campaigns_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "campaigns_holdout" CHECK ("campaigns"."holdout_basis_points" between 0 and 5000)
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"campaign_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"amount_off_fen" bigint,
	"percent_off_basis_points" integer,
	"max_discount_fen" bigint,
	"addon_name" text,
	"min_spend_fen" bigint DEFAULT 0 NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"status" "coupon_status" DEFAULT 'issued' NOT NULL,
	"reserved_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"redeemed_reference_type" text,
	"redeemed_reference_id" text,
	"issued_by" uuid,
	"issue_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupons_kind" CHECK ("coupons"."kind" in ('amount_off', 'percent_off', 'free_addon')),
	CONSTRAINT "coupons_validity" CHECK ("coupons"."valid_from" < "coupons"."valid_to"),
	CONSTRAINT "coupons_redeemed" CHECK (("coupons"."status" = 'redeemed') = ("coupons"."redeemed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "customer_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"rules" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "customer_groups_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer_item_stats" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"item_name" text NOT NULL,
	"item_type" text NOT NULL,
	"category" text,
	"quantity" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_item_stats_tenant_id_customer_id_item_name_pk" PRIMARY KEY("tenant_id","customer_id","item_name")
);
--> statement-breakpoint
CREATE TABLE "customer_preferences" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"preferred_category" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_preferences_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "customer_tiers" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"tier_id" uuid NOT NULL,
	"qualifying_fen" bigint NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_tiers_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "item_affinities" (
	"tenant_id" uuid NOT NULL,
	"item_a" text NOT NULL,
	"item_b" text NOT NULL,
	"customers_both" integer NOT NULL,
	"customers_a" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "item_affinities_tenant_id_item_a_item_b_pk" PRIMARY KEY("tenant_id","item_a","item_b")
);
--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbound_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"campaign_id" uuid,
	"purpose" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"channel" text NOT NULL,
	"status" "outbound_message_status" NOT NULL,
	"reason" text,
	"provider_message_id" text,
	"payload" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbound_messages_dedupe_key" UNIQUE("tenant_id","dedupe_key"),
	CONSTRAINT "outbound_messages_channel" CHECK ("outbound_messages"."channel" in ('wechat', 'sms', 'none'))
);
--> statement-breakpoint
CREATE TABLE "rfm_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rfm_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"window_days" integer NOT NULL,
	"method" text NOT NULL,
	"customers" integer NOT NULL,
	"scored" integer NOT NULL,
	"transitions" integer NOT NULL,
	"cutoffs" jsonb,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rfm_scores" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"last_paid_at" timestamp with time zone,
	"first_paid_at" timestamp with time zone,
	"frequency" integer NOT NULL,
	"monetary_fen" bigint NOT NULL,
	"r_score" smallint,
	"f_score" smallint,
	"m_score" smallint,
	"segment" text NOT NULL,
	"segment_since" timestamp with time zone NOT NULL,
	"run_id" bigint NOT NULL,
	CONSTRAINT "rfm_scores_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "segment_transitions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "segment_transitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"run_id" bigint NOT NULL,
	"from_segment" text NOT NULL,
	"from_since" timestamp with time zone NOT NULL,
	"to_segment" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tier_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tier_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"from_tier_id" uuid,
	"to_tier_id" uuid,
	"direction" text NOT NULL,
	"qualifying_fen" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"notify_pending" boolean DEFAULT true NOT NULL,
	CONSTRAINT "tier_changes_direction" CHECK ("tier_changes"."direction" in ('up', 'down'))
);
--> statement-breakpoint
CREATE TABLE "tier_levels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"threshold_fen" bigint NOT NULL,
	"discount_basis_points" integer NOT NULL,
	"points_multiplier_percent" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_levels_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "tier_levels_rates" CHECK ("tier_levels"."threshold_fen" >= 0 and "tier_levels"."discount_basis_points" between 0 and 5000 and "tier_levels"."points_multiplier_percent" between 100 and 1000)
);
--> statement-breakpoint
ALTER TABLE "campaign_feedback" ADD CONSTRAINT "campaign_feedback_tenant_id_campaign_id_campaigns_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaigns"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_feedback" ADD CONSTRAINT "campaign_feedback_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_tenant_id_campaign_id_campaigns_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaigns"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_groups" ADD CONSTRAINT "customer_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_tiers" ADD CONSTRAINT "customer_tiers_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_tiers" ADD CONSTRAINT "customer_tiers_tenant_id_tier_id_tier_levels_tenant_id_id_fk" FOREIGN KEY ("tenant_id","tier_id") REFERENCES "public"."tier_levels"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rfm_runs" ADD CONSTRAINT "rfm_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_changes" ADD CONSTRAINT "tier_changes_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_levels" ADD CONSTRAINT "tier_levels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_feedback_campaign_idx" ON "campaign_feedback" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "campaign_recipients_pending_idx" ON "campaign_recipients" USING btree ("campaign_id","customer_id") WHERE "campaign_recipients"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "campaign_recipients_customer_idx" ON "campaign_recipients" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "campaigns_due_idx" ON "campaigns" USING btree ("status","scheduled_at");--> statement-breakpoint
CREATE INDEX "coupons_customer_idx" ON "coupons" USING btree ("tenant_id","customer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_campaign_customer_key" ON "coupons" USING btree ("campaign_id","customer_id") WHERE "coupons"."campaign_id" is not null;--> statement-breakpoint
CREATE INDEX "customer_groups_tenant_idx" ON "customer_groups" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "customer_item_stats_item_idx" ON "customer_item_stats" USING btree ("tenant_id","item_name");--> statement-breakpoint
CREATE INDEX "customer_preferences_category_idx" ON "customer_preferences" USING btree ("tenant_id","preferred_category");--> statement-breakpoint
CREATE INDEX "outbound_messages_customer_idx" ON "outbound_messages" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "outbound_messages_campaign_idx" ON "outbound_messages" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "rfm_runs_tenant_idx" ON "rfm_runs" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "segment_transitions_tenant_at_idx" ON "segment_transitions" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "segment_transitions_customer_idx" ON "segment_transitions" USING btree ("tenant_id","customer_id","id");--> statement-breakpoint
CREATE INDEX "tier_changes_customer_idx" ON "tier_changes" USING btree ("tenant_id","customer_id","id");--> statement-breakpoint
CREATE INDEX "tier_changes_pending_idx" ON "tier_changes" USING btree ("id") WHERE "tier_changes"."notify_pending";--> statement-breakpoint
CREATE INDEX "tier_levels_tenant_idx" ON "tier_levels" USING btree ("tenant_id","threshold_fen") WHERE "tier_levels"."active";