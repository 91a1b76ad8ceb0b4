CREATE TABLE "isc_agenda_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"number" text NOT NULL,
	"title_en" text NOT NULL,
	"title_fr" text DEFAULT '' NOT NULL,
	"presenter" text DEFAULT '' NOT NULL,
	"document_ids" uuid[] DEFAULT '{}' NOT NULL,
	"work_item_id" uuid,
	"outcome" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "isc_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"title" text NOT NULL,
	"storage_key" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "isc_recommendations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"text" text NOT NULL,
	"session_id" uuid NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "isc_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"theme" text DEFAULT '' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"place" text,
	"online" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"minutes" text DEFAULT '' NOT NULL,
	"minutes_adopted_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "isc_work_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"programme" text NOT NULL,
	"ref" text NOT NULL,
	"title" text NOT NULL,
	"core_function" text NOT NULL,
	"lead_kind" text NOT NULL,
	"lead_name" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"deliverables" text[] DEFAULT '{}' NOT NULL,
	"due_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "isc_agenda_items_session_idx" ON "isc_agenda_items" USING btree ("session_id","position");--> statement-breakpoint
CREATE INDEX "isc_documents_session_idx" ON "isc_documents" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "isc_recommendations_ref" ON "isc_recommendations" USING btree ("tenant_id","ref");--> statement-breakpoint
CREATE UNIQUE INDEX "isc_sessions_number" ON "isc_sessions" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "isc_work_items_ref" ON "isc_work_items" USING btree ("tenant_id","programme","ref");