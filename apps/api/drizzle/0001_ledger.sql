CREATE TYPE "public"."account_owner" AS ENUM('customer', 'store', 'tenant');--> statement-breakpoint
CREATE TYPE "public"."normal_side" AS ENUM('debit', 'credit');--> statement-breakpoint
CREATE TABLE "package_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sessions" integer NOT NULL,
	"price_fen" bigint NOT NULL,
	"valid_days" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_plans_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "package_plans_check" CHECK ("package_plans"."sessions" > 0 and "package_plans"."price_fen" >= 0 and "package_plans"."valid_days" > 0)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"price_fen" bigint NOT NULL,
	"stock" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "products_price_check" CHECK ("products"."price_fen" >= 0),
	CONSTRAINT "products_stock_check" CHECK ("products"."stock" >= 0)
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"price_fen" bigint NOT NULL,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "services_price_check" CHECK ("services"."price_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"owner" "account_owner" NOT NULL,
	"customer_id" uuid,
	"store_id" uuid,
	"kind" text NOT NULL,
	"unit" text NOT NULL,
	"normal_side" "normal_side" NOT NULL,
	"package_card_id" uuid,
	"materialized" boolean NOT NULL,
	"no_overdraw" boolean NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"head_hash" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_no_overdraw" CHECK (not "accounts"."no_overdraw" or ("accounts"."normal_side" = 'credit' and "accounts"."balance" <= 0) or ("accounts"."normal_side" = 'debit' and "accounts"."balance" >= 0)),
	CONSTRAINT "accounts_house_not_materialized" CHECK ("accounts"."materialized" = ("accounts"."owner" = 'customer')),
	CONSTRAINT "accounts_customer_owner" CHECK (("accounts"."owner" = 'customer') = ("accounts"."customer_id" is not null)),
	CONSTRAINT "accounts_house_balance" CHECK ("accounts"."materialized" or ("accounts"."balance" = 0 and "accounts"."version" = 0))
);
--> statement-breakpoint
CREATE TABLE "chain_checkpoints" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transfer_id" bigint NOT NULL,
	"account_id" bigint NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid,
	"unit" text NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint,
	"account_version" bigint,
	"hash" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entries_account_version_key" UNIQUE("account_id","account_version"),
	CONSTRAINT "entries_amount_nonzero" CHECK ("entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "package_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"plan_id" uuid,
	"name" text NOT NULL,
	"sessions_total" integer NOT NULL,
	"price_fen" bigint NOT NULL,
	"value_per_session_fen" bigint NOT NULL,
	"expires_on" date NOT NULL,
	"sold_transfer_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_lots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "points_lots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"earned_transfer_id" bigint NOT NULL,
	"points" bigint NOT NULL,
	"remaining" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_lots_remaining" CHECK ("points_lots"."remaining" >= 0 and "points_lots"."remaining" <= "points_lots"."points")
);
--> statement-breakpoint
CREATE TABLE "top_up_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"pay_fen" bigint NOT NULL,
	"bonus_fen" bigint DEFAULT 0 NOT NULL,
	"bonus_points" bigint DEFAULT 0 NOT NULL,
	"gift_package_plan_id" uuid,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "top_up_plans_amounts" CHECK ("top_up_plans"."pay_fen" > 0 and "top_up_plans"."bonus_fen" >= 0 and "top_up_plans"."bonus_points" >= 0)
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "transfers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"store_id" uuid,
	"staff_id" uuid,
	"customer_id" uuid,
	"reverses_id" bigint,
	"reference_type" text,
	"reference_id" text,
	"memo" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfers_idempotency_key" UNIQUE("tenant_id","idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "package_plans" ADD CONSTRAINT "package_plans_tenant_id_service_id_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."services"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_checkpoints" ADD CONSTRAINT "chain_checkpoints_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_reverses_id_transfers_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_customer_kind_key" ON "accounts" USING btree ("tenant_id","customer_id","kind","unit") WHERE "accounts"."owner" = 'customer' and "accounts"."package_card_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_package_card_key" ON "accounts" USING btree ("package_card_id") WHERE "accounts"."package_card_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_house_kind_key" ON "accounts" USING btree ("tenant_id",coalesce("store_id", '00000000-0000-0000-0000-000000000000'::uuid),"kind","unit") WHERE "accounts"."owner" <> 'customer';--> statement-breakpoint
CREATE INDEX "accounts_customer_idx" ON "accounts" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "entries_transfer_idx" ON "entries" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "entries_customer_idx" ON "entries" USING btree ("customer_id","id") WHERE "entries"."customer_id" is not null;--> statement-breakpoint
CREATE INDEX "entries_account_idx" ON "entries" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "package_cards_customer_idx" ON "package_cards" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "package_cards_expiry_idx" ON "package_cards" USING btree ("expires_on");--> statement-breakpoint
CREATE INDEX "points_lots_customer_idx" ON "points_lots" USING btree ("tenant_id","customer_id","expires_at") WHERE "points_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "top_up_plans_tenant_idx" ON "top_up_plans" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_reverses_key" ON "transfers" USING btree ("reverses_id") WHERE "transfers"."reverses_id" is not null;--> statement-breakpoint
CREATE INDEX "transfers_reference_idx" ON "transfers" USING btree ("tenant_id","reference_type","reference_id");--> statement-breakpoint
CREATE INDEX "transfers_customer_idx" ON "transfers" USING btree ("tenant_id","customer_id","id");