ALTER TABLE "library_published" DROP COLUMN "search";--> statement-breakpoint
DROP INDEX IF EXISTS "library_published_search_idx";--> statement-breakpoint
ALTER TABLE "library_published" DROP COLUMN "ts_config";
