CREATE TABLE "library_published_texts" (
	"entry_id" uuid NOT NULL,
	"language" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"what_done" text DEFAULT '' NOT NULL,
	"what_changed" text DEFAULT '' NOT NULL,
	"ts_config" "regconfig" NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector(ts_config, title), 'A') || setweight(to_tsvector(ts_config, summary), 'B') || setweight(to_tsvector(ts_config, what_done || ' ' || what_changed), 'C')) STORED NOT NULL,
	CONSTRAINT "library_published_texts_entry_id_language_pk" PRIMARY KEY("entry_id","language")
);
--> statement-breakpoint
ALTER TABLE "library_comments" ADD COLUMN "hidden_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "library_comments" ADD COLUMN "hidden_reason" text;--> statement-breakpoint
ALTER TABLE "library_comments" ADD COLUMN "hidden_by" uuid;--> statement-breakpoint
ALTER TABLE "library_entries" ADD COLUMN "translations" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "library_published" ADD COLUMN "unpublished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "library_published" ADD COLUMN "unpublished_reason" text;--> statement-breakpoint
ALTER TABLE "library_submissions" ADD COLUMN "translations" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "library_published_texts" ADD CONSTRAINT "library_published_texts_entry_id_library_published_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."library_published"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "library_published_texts_search_idx" ON "library_published_texts" USING gin ("search");