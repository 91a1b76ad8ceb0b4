ALTER TABLE "analytics_dataset_versions" ADD COLUMN "column_mapping" jsonb;--> statement-breakpoint
ALTER TABLE "analytics_dataset_versions" ADD COLUMN "stage" text;