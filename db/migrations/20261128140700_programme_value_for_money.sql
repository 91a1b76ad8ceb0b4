CREATE TABLE "programme_activity_outputs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"result_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programme_activity_outputs" ADD CONSTRAINT "programme_activity_outputs_activity_id_programme_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."programme_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_activity_outputs" ADD CONSTRAINT "programme_activity_outputs_result_id_programme_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."programme_results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_activity_outputs" ADD CONSTRAINT "programme_activity_outputs_partnership_id_programme_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."programme_partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "programme_activity_outputs_pair" ON "programme_activity_outputs" USING btree ("activity_id","result_id");--> statement-breakpoint
CREATE INDEX "programme_activity_outputs_result_idx" ON "programme_activity_outputs" USING btree ("result_id");