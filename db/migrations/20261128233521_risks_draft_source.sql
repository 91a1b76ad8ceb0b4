ALTER TABLE "risks" ALTER COLUMN "process_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "risks" ALTER COLUMN "inherent_likelihood" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "risks" ALTER COLUMN "inherent_impact" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "risks" ALTER COLUMN "residual_likelihood" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "risks" ALTER COLUMN "residual_impact" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "risks" ADD COLUMN "source_module" text;--> statement-breakpoint
ALTER TABLE "risks" ADD COLUMN "source_ref" text;--> statement-breakpoint
CREATE UNIQUE INDEX "risks_source" ON "risks" USING btree ("tenant_id","source_module","source_ref");--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_rated_unless_draft" CHECK ("risks"."status" = 'draft' OR ("risks"."process_id" IS NOT NULL AND "risks"."inherent_likelihood" IS NOT NULL AND "risks"."inherent_impact" IS NOT NULL AND "risks"."residual_likelihood" IS NOT NULL AND "risks"."residual_impact" IS NOT NULL));