CREATE TABLE "programme_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"partnership_ids" uuid[] NOT NULL,
	"experts" text[] NOT NULL,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outputs" text DEFAULT '' NOT NULL,
	"report" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "programme_activities_period" CHECK ("programme_activities"."starts_on" <= "programme_activities"."ends_on")
);
--> statement-breakpoint
CREATE TABLE "programme_agreements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"donor_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"amount_minor" numeric(20, 0) NOT NULL,
	"currency" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"earmark_region" text,
	"earmark_partnership_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "programme_agreements_period" CHECK ("programme_agreements"."starts_on" <= "programme_agreements"."ends_on"),
	CONSTRAINT "programme_agreements_amount" CHECK ("programme_agreements"."amount_minor" > 0),
	CONSTRAINT "programme_agreements_one_earmark" CHECK ("programme_agreements"."earmark_region" is null or "programme_agreements"."earmark_partnership_id" is null)
);
--> statement-breakpoint
CREATE TABLE "programme_costs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"agreement_id" uuid NOT NULL,
	"label" text NOT NULL,
	"amount_minor" numeric(20, 0) NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_disbursements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"agreement_id" uuid NOT NULL,
	"received_on" date NOT NULL,
	"amount_minor" numeric(20, 0) NOT NULL,
	"currency" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_donors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_eoi_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"eoi_id" uuid NOT NULL,
	"administration_id" uuid NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"reason" text NOT NULL,
	"decided_on" date NOT NULL,
	"decided_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_eoi_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"administration_id" uuid NOT NULL,
	"region" text,
	"status" text NOT NULL,
	"estimated_cost_minor" numeric(20, 0),
	"estimated_currency" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_eois" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"organisation" text NOT NULL,
	"country" text,
	"region" text,
	"head_name" text NOT NULL,
	"head_title" text NOT NULL,
	"endorsed_on" date NOT NULL,
	"priorities" jsonb NOT NULL,
	"initiatives" text DEFAULT '' NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text,
	"submitted_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_partnerships" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"eoi_id" uuid NOT NULL,
	"administration_id" uuid NOT NULL,
	"organisation" text NOT NULL,
	"country" text,
	"region" text,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"donor_ids" uuid[] NOT NULL,
	"coordinator_name" text NOT NULL,
	"coordinator_email" text NOT NULL,
	"benchmarks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "programme_partnerships_period" CHECK ("programme_partnerships"."starts_on" <= "programme_partnerships"."ends_on")
);
--> statement-breakpoint
CREATE TABLE "programme_rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"from_currency" text NOT NULL,
	"to_currency" text NOT NULL,
	"rate" numeric(24, 10) NOT NULL,
	"as_of" date NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_rates_positive" CHECK ("programme_rates"."rate" > 0)
);
--> statement-breakpoint
CREATE INDEX "programme_activities_start_idx" ON "programme_activities" USING btree ("starts_on");--> statement-breakpoint
CREATE INDEX "programme_agreements_donor_idx" ON "programme_agreements" USING btree ("donor_id");--> statement-breakpoint
CREATE INDEX "programme_costs_activity_idx" ON "programme_costs" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "programme_costs_agreement_idx" ON "programme_costs" USING btree ("agreement_id");--> statement-breakpoint
CREATE INDEX "programme_disbursements_agreement_idx" ON "programme_disbursements" USING btree ("agreement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_donors_org" ON "programme_donors" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "programme_eoi_events_eoi_idx" ON "programme_eoi_events" USING btree ("eoi_id","created_at");--> statement-breakpoint
CREATE INDEX "programme_eois_tenant_idx" ON "programme_eois" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_partnerships_eoi" ON "programme_partnerships" USING btree ("eoi_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_rates_pair_day" ON "programme_rates" USING btree ("tenant_id","from_currency","to_currency","as_of");