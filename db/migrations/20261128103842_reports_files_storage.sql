ALTER TABLE "report_files" ADD COLUMN "author_id" uuid;--> statement-breakpoint
ALTER TABLE "report_files" ADD COLUMN "message_id" uuid;--> statement-breakpoint
ALTER TABLE "report_files" ADD COLUMN "storage_key" text NOT NULL;--> statement-breakpoint
ALTER TABLE "report_files" ADD COLUMN "meta" "bytea" NOT NULL;