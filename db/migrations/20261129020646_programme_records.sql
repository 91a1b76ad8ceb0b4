CREATE TABLE "programme_activity_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_eoi_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"eoi_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programme_evaluations" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "programme_evaluations" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "programme_activity_reports" ADD CONSTRAINT "programme_activity_reports_activity_id_programme_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."programme_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_eoi_attachments" ADD CONSTRAINT "programme_eoi_attachments_eoi_id_programme_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."programme_eois"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "programme_activity_reports_activity_idx" ON "programme_activity_reports" USING btree ("activity_id","created_at");--> statement-breakpoint
CREATE INDEX "programme_eoi_attachments_eoi_idx" ON "programme_eoi_attachments" USING btree ("eoi_id","created_at");