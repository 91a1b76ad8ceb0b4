CREATE TABLE "reports_escrow" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"public_key" "bytea" NOT NULL,
	"enabled_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports_escrow_custodians" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"escrow_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"sealed" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports_escrow_seals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"escrow_id" uuid NOT NULL,
	"sealed" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "reports_escrow_tenant" ON "reports_escrow" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_escrow_custodians_user" ON "reports_escrow_custodians" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_escrow_seals_report" ON "reports_escrow_seals" USING btree ("tenant_id","report_id");