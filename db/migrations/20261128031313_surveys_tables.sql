CREATE TABLE "survey_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"user_id" uuid,
	"token_hash" text NOT NULL,
	"completed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"day" date NOT NULL,
	"mode" text NOT NULL,
	"bands" jsonb NOT NULL,
	"answers" jsonb NOT NULL,
	"invitation_id" uuid
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"iteration" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"audience" text NOT NULL,
	"template_slug" text NOT NULL,
	"template_version" integer NOT NULL,
	"languages" jsonb NOT NULL,
	"questions" jsonb NOT NULL,
	"bands" jsonb NOT NULL,
	"participation" text DEFAULT 'tokens' NOT NULL,
	"open_code" text,
	"anonymous" boolean DEFAULT true NOT NULL,
	"min_cell" integer DEFAULT 10 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"opened_on" date,
	"closed_on" date,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_token" ON "survey_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "survey_invitations_survey" ON "survey_invitations" USING btree ("tenant_id","survey_id");--> statement-breakpoint
CREATE INDEX "survey_responses_survey" ON "survey_responses" USING btree ("tenant_id","survey_id");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_series_iteration" ON "surveys" USING btree ("tenant_id","series_id","iteration");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_open_code" ON "surveys" USING btree ("open_code");