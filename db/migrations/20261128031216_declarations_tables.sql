CREATE TABLE "declaration_cycles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"asset_kind" text,
	"year" integer,
	"unit_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"due_date" date NOT NULL,
	"escalate" boolean DEFAULT true NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "declaration_flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"subject" text NOT NULL,
	"user_id" uuid NOT NULL,
	"declaration_id" uuid,
	"cycle_id" uuid,
	"facts" jsonb NOT NULL,
	"sealed_facts" text,
	"status" text DEFAULT 'open' NOT NULL,
	"reason" text,
	"referral_ref" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "declaration_settings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"enabled_types" jsonb NOT NULL,
	"base_currency" text NOT NULL,
	"rates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"gift_threshold" double precision NOT NULL,
	"repeat_gift_count" integer NOT NULL,
	"repeat_gift_window_days" integer NOT NULL,
	"growth_factor" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "declaration_settings_tenant_id_unique" UNIQUE("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "declarations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"unit_id" uuid,
	"type" text NOT NULL,
	"cycle_id" uuid,
	"status" text DEFAULT 'submitted' NOT NULL,
	"approval" text DEFAULT 'not_required' NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"approval_note" text,
	"party_kind" text,
	"party_name" text,
	"party_identifier" text,
	"nature" text,
	"mitigation" text,
	"giver" text,
	"gift_date" date,
	"description" text,
	"value" double precision,
	"currency" text,
	"base_value" double precision,
	"disposition" text,
	"asset_kind" text,
	"period_year" integer,
	"asset_items" jsonb,
	"asset_sealed" text,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_date" date,
	"reviewer_id" uuid,
	"review_note" text,
	"referral_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "declaration_flags_subject" ON "declaration_flags" USING btree ("tenant_id","rule","subject");--> statement-breakpoint
CREATE INDEX "declarations_user_idx" ON "declarations" USING btree ("tenant_id","user_id","type");--> statement-breakpoint
CREATE INDEX "declarations_cycle_idx" ON "declarations" USING btree ("tenant_id","cycle_id");