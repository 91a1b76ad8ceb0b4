import { z } from 'zod';
import {
  AGE_BANDS,
  AUDIENCES,
  GENDER_BANDS,
  GRADE_BANDS,
  INVITE_TARGETS,
  MIN_CELL_FLOOR,
  PARTICIPATION,
  QUESTION_KINDS,
  RESULTS_BY,
  SURVEY_STATUSES,
} from './surveys.vocab.ts';

// The surveys API's contracts and the questionnaire format (shared with the templates loader
// and the UI: src/modules/surveys/ui/types.ts).

export const IdParam = z.object({ id: z.uuid() }).strict();

const Key = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _ (at most 63)');
/** Text per language: { en: …, fr: … }. */
export const Text = z.record(z.string().regex(/^[a-z]{2}$/), z.string().trim().min(1).max(1_000));

export const ChoiceOption = z.object({ id: Key, text: Text }).strict();
export const SurveyQuestion = z
  .object({
    id: Key,
    factor: z.number().int().min(1).max(10),
    kind: z.enum(QUESTION_KINDS),
    /** positive: agreement / yes / often is good; negative: it is bad (scores are reversed). */
    polarity: z.enum(['positive', 'negative']).default('positive'),
    /** verified: a CIPS theme confirmed in public sources; inferred: plausible, unconfirmed. */
    basis: z.enum(['verified', 'inferred']).default('verified'),
    text: Text,
    options: z.array(ChoiceOption).min(2).max(12).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const choice = q.kind === 'single' || q.kind === 'multiple';
    if (choice && !q.options)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'choice questions need options' });
    if (!choice && q.options)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only choice questions have options' });
  });
export type SurveyQuestion = z.infer<typeof SurveyQuestion>;

export const Template = z
  .object({
    slug: Key,
    version: z.number().int().min(1),
    audience: z.enum(AUDIENCES),
    languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1),
    title: Text,
    summary: Text,
    questions: z.array(SurveyQuestion).min(1).max(200),
  })
  .strict();
export type Template = z.infer<typeof Template>;

export const BandsConfig = z
  .object({
    gender: z.boolean(),
    age: z.boolean(),
    grade: z.boolean(),
    /** Regions offered (empty: region not asked). */
    regions: z.array(z.string().trim().min(1).max(80)).max(50),
  })
  .strict();
export type BandsConfig = z.infer<typeof BandsConfig>;

// ---- management ----------------------------------------------------------------------------

export const TemplateItem = z.object({
  slug: z.string(),
  version: z.number(),
  audience: z.enum(AUDIENCES),
  title: z.string(),
  summary: z.string(),
  languages: z.array(z.string()),
  questionCount: z.number(),
  factors: z.array(z.number()),
});

export const CreateSurveyInput = z
  .object({
    templateSlug: Key,
    name: z.string().trim().min(1).max(200),
    /** A new iteration of this survey's series (compared factor by factor). */
    previousSurveyId: z.uuid().optional(),
  })
  .strict();

export const SurveyListItem = z.object({
  id: z.uuid(),
  seriesId: z.uuid(),
  iteration: z.number(),
  name: z.string(),
  audience: z.enum(AUDIENCES),
  status: z.enum(SURVEY_STATUSES),
  anonymous: z.boolean(),
  openedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  responses: z.number(),
  version: z.number(),
});

export const SurveyDetail = SurveyListItem.extend({
  templateSlug: z.string(),
  templateVersion: z.number(),
  languages: z.array(z.string()),
  questions: z.array(SurveyQuestion),
  /** The template's questions (to add back one removed while draft). */
  templateQuestions: z.array(SurveyQuestion),
  bands: BandsConfig,
  participation: z.enum(PARTICIPATION),
  minCell: z.number(),
  /** Path of the open link (when participation allows it and the survey is open). */
  openPath: z.string().nullable(),
  invited: z.number(),
  printed: z.number(),
  completed: z.number(),
});
export type SurveyDetail = z.infer<typeof SurveyDetail>;

export const UpdateSurveyInput = z
  .object({
    version: z.number().int(),
    name: z.string().trim().min(1).max(200).optional(),
    questions: z.array(SurveyQuestion).min(1).max(200).optional(),
    /** The survey's languages (a translation adds one; every question needs its text). */
    languages: z
      .array(z.string().regex(/^[a-z]{2}$/))
      .min(1)
      .max(10)
      .optional(),
    bands: BandsConfig.optional(),
    participation: z.enum(PARTICIPATION).optional(),
    minCell: z.number().int().min(MIN_CELL_FLOOR).max(1000).optional(),
    anonymous: z.boolean().optional(),
  })
  .strict();

export const VersionInput = z.object({ version: z.number().int() }).strict();

export const InviteInput = z
  .object({
    targetKind: z.enum(INVITE_TARGETS),
    targets: z.array(z.string().min(1).max(64)).min(1).max(5_000),
  })
  .strict();
export const InviteResult = z.object({ invited: z.number(), alreadyInvited: z.number() });
export const RemindResult = z.object({ reminded: z.number() });

export const TokensInput = z.object({ count: z.number().int().min(1).max(2_000) }).strict();
/** Printed tokens, shown once (only their hashes are kept). */
export const TokensResult = z.object({ tokens: z.array(z.string()), path: z.string() });

// ---- answering -----------------------------------------------------------------------------

/** An answer: Likert 1–5, frequency 0–4, yes/no, an option id, option ids, or free text. */
export const AnswerValue = z.union([
  z.number().int().min(0).max(5),
  z.boolean(),
  z.string().max(2_000),
  z.array(z.string().max(64)).max(12),
]);
export const Answers = z.record(z.string().max(64), AnswerValue);
export const Bands = z
  .object({
    gender: z.enum(GENDER_BANDS).optional(),
    age: z.enum(AGE_BANDS).optional(),
    grade: z.enum(GRADE_BANDS).optional(),
    region: z.string().max(80).optional(),
  })
  .strict();

const Token = z.string().trim().min(8).max(64);
export const TokenInput = z.object({ token: Token }).strict();
export const SubmitInput = z.object({ token: Token, bands: Bands, answers: Answers }).strict();
export const PaperInput = z.object({ bands: Bands, answers: Answers }).strict();

export const PublicForm = z.object({
  name: z.string(),
  audience: z.enum(AUDIENCES),
  language: z.string(),
  languages: z.array(z.string()),
  bands: BandsConfig,
  questions: z.array(
    z.object({
      id: z.string(),
      factor: z.number(),
      kind: z.enum(QUESTION_KINDS),
      text: z.string(),
      options: z.array(z.object({ id: z.string(), text: z.string() })).optional(),
    }),
  ),
});
export type PublicForm = z.infer<typeof PublicForm>;
export const Submitted = z.object({ received: z.literal(true) });

// ---- results -------------------------------------------------------------------------------

export const ResultsQuery = z.object({ by: z.enum(RESULTS_BY).default('none') }).strict();
export const ExportQuery = z
  .object({ by: z.enum(RESULTS_BY).default('none'), format: z.enum(['csv', 'xlsx']).default('xlsx') })
  .strict();

/** A figure, or nothing at all when its group is under the threshold. */
export const Cell = z.object({
  suppressed: z.boolean(),
  n: z.number().nullable(),
  /** 0–100, higher is better (negative questions reversed). */
  score: z.number().nullable(),
  /** Share of favourable answers, %. */
  favourable: z.number().nullable(),
});
export type Cell = z.infer<typeof Cell>;

export const Results = z.object({
  surveyId: z.uuid(),
  name: z.string(),
  status: z.enum(SURVEY_STATUSES),
  minCell: z.number(),
  by: z.enum(RESULTS_BY),
  /** Respondents in all (null when under the threshold). */
  total: z.number().nullable(),
  groups: z.array(z.object({ key: z.string(), n: z.number().nullable(), suppressed: z.boolean() })),
  factors: z.array(
    z.object({
      factor: z.number(),
      overall: Cell,
      groups: z.array(z.object({ key: z.string(), cell: Cell })),
    }),
  ),
  questions: z.array(
    z.object({
      id: z.string(),
      factor: z.number(),
      kind: z.enum(QUESTION_KINDS),
      text: z.string(),
      overall: Cell,
      /** Answer counts per option (null when suppressed or free text). */
      distribution: z.array(z.object({ key: z.string(), label: z.string(), count: z.number() })).nullable(),
    }),
  ),
  /** Free-text answers, alphabetical (never in arrival order), only when the total passes the threshold. */
  comments: z.array(z.object({ questionId: z.string(), text: z.string() })),
});
export type Results = z.infer<typeof Results>;

export const Trend = z.object({
  seriesId: z.uuid(),
  iterations: z.array(
    z.object({
      surveyId: z.uuid(),
      iteration: z.number(),
      name: z.string(),
      status: z.enum(SURVEY_STATUSES),
      total: z.number().nullable(),
      factors: z.array(z.object({ factor: z.number(), score: z.number().nullable() })),
    }),
  ),
});
export type Trend = z.infer<typeof Trend>;
