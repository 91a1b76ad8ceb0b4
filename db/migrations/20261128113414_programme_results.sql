CREATE TABLE "programme_actuals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"period_label" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" numeric(20, 4) NOT NULL,
	"entered_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_actuals_period_order" CHECK ("programme_actuals"."period_start" <= "programme_actuals"."period_end")
);
--> statement-breakpoint
CREATE TABLE "programme_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"granted_by" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_indicators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"result_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"baseline" numeric(20, 4) NOT NULL,
	"target" numeric(20, 4) NOT NULL,
	"direction" text NOT NULL,
	"link" text,
	"link_factor" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "programme_indicators_link" CHECK (("programme_indicators"."link" is null and "programme_indicators"."link_factor" is null) or ("programme_indicators"."link" = 'rad_factor' and "programme_indicators"."link_factor" between 1 and 10))
);
--> statement-breakpoint
CREATE TABLE "programme_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"parent_id" uuid,
	"level" text NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "programme_results_tree" CHECK (("programme_results"."level" = 'outcome') = ("programme_results"."parent_id" is null))
);
--> statement-breakpoint
ALTER TABLE "programme_actuals" ADD CONSTRAINT "programme_actuals_partnership_id_programme_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."programme_partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_actuals" ADD CONSTRAINT "programme_actuals_indicator_id_programme_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."programme_indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_indicators" ADD CONSTRAINT "programme_indicators_partnership_id_programme_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."programme_partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_indicators" ADD CONSTRAINT "programme_indicators_result_id_programme_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."programme_results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_results" ADD CONSTRAINT "programme_results_partnership_id_programme_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."programme_partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_results" ADD CONSTRAINT "programme_results_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."programme_results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "programme_actuals_period" ON "programme_actuals" USING btree ("indicator_id","period_start","period_end");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_consents_active" ON "programme_consents" USING btree ("tenant_id","scope") WHERE "programme_consents"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "programme_indicators_result_idx" ON "programme_indicators" USING btree ("result_id");--> statement-breakpoint
CREATE INDEX "programme_results_partnership_idx" ON "programme_results" USING btree ("partnership_id");