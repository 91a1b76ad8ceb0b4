CREATE TABLE "library_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"organisation" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"factors" integer[] NOT NULL,
	"type" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"what_done" text DEFAULT '' NOT NULL,
	"what_changed" text DEFAULT '' NOT NULL,
	"measures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"language" text NOT NULL,
	"editing" boolean DEFAULT true NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_published" (
	"id" uuid PRIMARY KEY NOT NULL,
	"submission_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"factors" integer[] NOT NULL,
	"type" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"what_done" text DEFAULT '' NOT NULL,
	"what_changed" text DEFAULT '' NOT NULL,
	"measures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"language" text NOT NULL,
	"organisation" text,
	"country" text,
	"region" text,
	"ts_config" "regconfig" NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector(ts_config, title), 'A') || setweight(to_tsvector(ts_config, summary), 'B') || setweight(to_tsvector(ts_config, what_done || ' ' || what_changed), 'C')) STORED NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_submissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"factors" integer[] NOT NULL,
	"type" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"what_done" text DEFAULT '' NOT NULL,
	"what_changed" text DEFAULT '' NOT NULL,
	"measures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"language" text NOT NULL,
	"organisation" text NOT NULL,
	"country" text,
	"region" text,
	"status" text DEFAULT 'submitted' NOT NULL,
	"reason" text,
	"submitted_by" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "library_comments" ADD CONSTRAINT "library_comments_entry_id_library_published_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."library_published"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "library_comments_entry_idx" ON "library_comments" USING btree ("entry_id","created_at");--> statement-breakpoint
CREATE INDEX "library_entries_tenant_idx" ON "library_entries" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "library_published_search_idx" ON "library_published" USING gin ("search");--> statement-breakpoint
CREATE INDEX "library_published_factors_idx" ON "library_published" USING gin ("factors");--> statement-breakpoint
CREATE UNIQUE INDEX "library_submissions_revision" ON "library_submissions" USING btree ("entry_id","revision");--> statement-breakpoint
CREATE INDEX "library_submissions_status_idx" ON "library_submissions" USING btree ("status","created_at");