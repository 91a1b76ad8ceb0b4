CREATE TABLE "programme_evaluations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"title" text NOT NULL,
	"evaluator" text NOT NULL,
	"evaluated_on" date NOT NULL,
	"criteria" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programme_evaluations" ADD CONSTRAINT "programme_evaluations_partnership_id_programme_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."programme_partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "programme_evaluations_partnership_idx" ON "programme_evaluations" USING btree ("partnership_id","evaluated_on");