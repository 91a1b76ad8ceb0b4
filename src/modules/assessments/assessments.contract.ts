import { z } from 'zod';
import {
  ASSESSMENT_STATUSES,
  ASSESSMENT_TYPES,
  CONFIDENCE_LEVELS,
  EVIDENCE_SOURCES,
  TEAM_ROLES,
} from './assessments.vocab.ts';

// Contracts shared by the routes and the UI. Strict objects, bounded strings and arrays.

const text = (max: number) => z.string().trim().max(max);
const isoDate = z.iso.date();
const urnText = z.string().min(3).max(200);

export const IdParam = z.object({ id: z.uuid() }).strict();
export const ItemParam = z.object({ id: z.uuid(), itemId: z.uuid() }).strict();
export const EvidenceParam = z.object({ id: z.uuid(), evidenceId: z.uuid() }).strict();

export const TeamMemberInput = z.object({ userId: z.uuid(), role: z.enum(TEAM_ROLES) }).strict();

export const CreateAssessmentInput = z
  .object({
    title: text(200).min(1),
    type: z.enum(ASSESSMENT_TYPES),
    frameworkLibraryId: z.uuid(),
    /** A scale object URN (urn:arusha:scale:0-4); default: the framework's default scale. */
    scaleUrn: urnText.optional(),
    scopeUnitIds: z.array(z.uuid()).max(200).default([]),
    startDate: isoDate.nullable().optional(),
    endDate: isoDate.nullable().optional(),
    team: z.array(TeamMemberInput).max(100).default([]),
  })
  .strict();
export type CreateAssessmentInput = z.infer<typeof CreateAssessmentInput>;

export const UpdateAssessmentInput = z
  .object({
    version: z.number().int().min(1),
    title: text(200).min(1).optional(),
    type: z.enum(ASSESSMENT_TYPES).optional(),
    scopeUnitIds: z.array(z.uuid()).max(200).optional(),
    startDate: isoDate.nullable().optional(),
    endDate: isoDate.nullable().optional(),
  })
  .strict();
export type UpdateAssessmentInput = z.infer<typeof UpdateAssessmentInput>;

export const SetTeamInput = z
  .object({ version: z.number().int().min(1), members: z.array(TeamMemberInput).max(100) })
  .strict();

/** planned → in_progress → in_review ⇄ in_progress; validated → closed. Validation has its own route. */
export const TRANSITION_TARGETS = ['in_progress', 'in_review', 'closed'] as const;
export const TransitionInput = z
  .object({
    to: z.enum(TRANSITION_TARGETS),
    note: text(2000).nullable().optional(),
    version: z.number().int().min(1),
  })
  .strict();
export const ValidateInput = z
  .object({ note: text(2000).nullable().optional(), version: z.number().int().min(1) })
  .strict();

export const ResponseInput = z
  .object({
    version: z.number().int().min(1),
    rating: z.number().int().min(-1000).max(1000).nullable(),
    notApplicable: z.boolean().default(false),
    naReason: text(2000).nullable().optional(),
    narrative: text(20000).nullable().optional(),
    strengths: text(10000).nullable().optional(),
    weaknesses: text(10000).nullable().optional(),
    sources: z.array(z.enum(EVIDENCE_SOURCES)).max(4).default([]),
    confidence: z.enum(CONFIDENCE_LEVELS).nullable().optional(),
  })
  .strict();
export type ResponseInput = z.infer<typeof ResponseInput>;

export const CommentInput = z
  .object({ body: text(5000).min(1), mentions: z.array(z.uuid()).max(20).default([]) })
  .strict();

/** Multipart text fields of an evidence upload (the file itself is the part named `file`). */
export const EvidenceFields = z.object({ assessmentId: z.uuid(), itemId: z.uuid() }).strict();
/** 10 MiB per file. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

export const FrameworkQuery = z.object({ frameworkUrn: urnText.optional() }).strict();

// ---- responses --------------------------------------------------------------------------

const Person = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

export const ScaleLevel = z.object({
  value: z.number().int(),
  label: z.string(),
  description: z.string().nullable(),
});
export const ScaleInfo = z.object({
  urn: z.string(),
  libraryId: z.uuid(),
  name: z.string(),
  min: z.number().int(),
  max: z.number().int(),
  levels: z.array(ScaleLevel),
});
export type ScaleInfo = z.infer<typeof ScaleInfo>;

export const Progress = z.object({
  done: z.number().int(),
  total: z.number().int(),
  percent: z.number().int(),
});

export const AssessmentSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  type: z.enum(ASSESSMENT_TYPES),
  status: z.enum(ASSESSMENT_STATUSES),
  framework: z.object({ libraryId: z.uuid(), urn: z.string(), version: z.number().int(), name: z.string() }),
  scaleUrn: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  revision: z.number().int(),
  revisionOf: z.uuid().nullable(),
  progress: Progress,
  overall: z.number().nullable(),
  validatedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
});
export type AssessmentSummary = z.infer<typeof AssessmentSummary>;

export const TeamMember = Person.extend({ role: z.enum(TEAM_ROLES) });

export const AssessmentDetail = AssessmentSummary.extend({
  scale: ScaleInfo,
  scopeUnits: z.array(z.object({ id: z.uuid(), name: z.string() })),
  team: z.array(TeamMember),
  validatedBy: Person.nullable(),
  validationNote: z.string().nullable(),
  closedAt: z.iso.datetime().nullable(),
  /** What the caller may do here (the UI shows buttons accordingly; the server checks again). */
  can: z.object({
    edit: z.boolean(),
    respond: z.boolean(),
    comment: z.boolean(),
    transition: z.array(z.enum(TRANSITION_TARGETS)),
    validate: z.boolean(),
    revise: z.boolean(),
    share: z.boolean(),
  }),
  shared: z.boolean(),
  supersededBy: z.uuid().nullable(),
});
export type AssessmentDetail = z.infer<typeof AssessmentDetail>;

export const Evidence = z.object({
  id: z.uuid(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: z.iso.datetime(),
});
export type Evidence = z.infer<typeof Evidence>;
export const Comment = z.object({
  id: z.uuid(),
  author: z.string(),
  authorId: z.uuid(),
  body: z.string(),
  mentions: z.array(z.object({ id: z.uuid(), name: z.string() })),
  createdAt: z.iso.datetime(),
});
export type Comment = z.infer<typeof Comment>;

export const ItemResponse = z.object({
  id: z.uuid(),
  rating: z.number().int().nullable(),
  notApplicable: z.boolean(),
  naReason: z.string().nullable(),
  narrative: z.string().nullable(),
  strengths: z.string().nullable(),
  weaknesses: z.string().nullable(),
  sources: z.array(z.enum(EVIDENCE_SOURCES)),
  confidence: z.enum(CONFIDENCE_LEVELS).nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type ItemResponse = z.infer<typeof ItemResponse>;

export const AssessmentItem = z.object({
  /** The checklist node id in the pinned framework version (the :itemId of the item routes). */
  id: z.uuid(),
  urn: z.string(),
  refId: z.string(),
  name: z.string(),
  guidance: z.string().nullable(),
  weight: z.number(),
  response: ItemResponse,
  evidence: z.array(Evidence),
  comments: z.array(Comment),
});
export type AssessmentItem = z.infer<typeof AssessmentItem>;

export const FactorItems = z.object({
  factor: z.number().int(),
  name: z.string(),
  weight: z.number(),
  items: z.array(AssessmentItem),
});
export const ItemsResult = z.object({ factors: z.array(FactorItems) });
export type ItemsResult = z.infer<typeof ItemsResult>;

export const PreviousRef = z.object({ id: z.uuid(), title: z.string(), validatedAt: z.iso.datetime() });

export const FactorScoreRow = z.object({
  factor: z.number().int(),
  name: z.string(),
  score: z.number().nullable(),
  scored: z.number().int(),
  notApplicable: z.number().int(),
  items: z.number().int(),
  previous: z.number().nullable(),
  delta: z.number().nullable(),
});
export const ScoresResult = z.object({
  factors: z.array(FactorScoreRow),
  overall: z.number().nullable(),
  previousOverall: z.number().nullable(),
  overallDelta: z.number().nullable(),
  progress: Progress,
  previous: PreviousRef.nullable(),
  /** True once validated: the scores were frozen at sign-off. */
  frozen: z.boolean(),
});
export type ScoresResult = z.infer<typeof ScoresResult>;

export const TrendPoint = z.object({
  id: z.uuid(),
  title: z.string(),
  validatedAt: z.iso.datetime(),
  overall: z.number().nullable(),
  factors: z.array(z.object({ factor: z.number().int(), score: z.number().nullable() })),
});
export const TrendResult = z.object({
  frameworkUrn: z.string(),
  factorNames: z.array(z.object({ factor: z.number().int(), name: z.string() })),
  items: z.array(TrendPoint),
});
export type TrendResult = z.infer<typeof TrendResult>;

export const BenchmarkGroup = z.object({
  /** A WCO region code, or ALL. */
  region: z.string(),
  /** 1–10, or 0 for the overall score. */
  factor: z.number().int(),
  n: z.number().int(),
  mean: z.number().nullable(),
  min: z.number().nullable(),
  q1: z.number().nullable(),
  median: z.number().nullable(),
  q3: z.number().nullable(),
  max: z.number().nullable(),
});
export const BenchmarkResult = z.object({
  frameworkUrn: z.string(),
  minGroupSize: z.number().int(),
  /** Whether this administration shares (and so may see the aggregates). */
  sharing: z.boolean(),
  secretariat: z.boolean(),
  /** This administration's own shared scores, to place itself in the distribution. */
  own: z.object({ factors: z.record(z.string(), z.number()), overall: z.number().nullable() }).nullable(),
  ownRegion: z.string().nullable(),
  factorNames: z.array(z.object({ factor: z.number().int(), name: z.string() })),
  groups: z.array(BenchmarkGroup),
});
export type BenchmarkResult = z.infer<typeof BenchmarkResult>;

export const ShareResult = z.object({
  frameworkUrn: z.string(),
  wcoRegion: z.string().nullable(),
  factors: z.record(z.string(), z.number()),
  overall: z.number().nullable(),
});
export type ShareResult = z.infer<typeof ShareResult>;

export const OptionsResult = z.object({
  frameworks: z.array(
    z.object({
      libraryId: z.uuid(),
      urn: z.string(),
      version: z.number().int(),
      name: z.string(),
      defaultScale: z.string().nullable(),
      items: z.number().int(),
    }),
  ),
  scales: z.array(ScaleInfo),
  members: z.array(Person),
  units: z.array(z.object({ id: z.uuid(), name: z.string() })),
});
export type OptionsResult = z.infer<typeof OptionsResult>;

// ---- for other modules (report, dashboard, action plans) ------------------------------

export interface AssessmentReport {
  id: string;
  title: string;
  type: (typeof ASSESSMENT_TYPES)[number];
  status: (typeof ASSESSMENT_STATUSES)[number];
  framework: { urn: string; version: number; name: string };
  scale: { urn: string; name: string; min: number; max: number; levels: { value: number; label: string }[] };
  startDate: string | null;
  endDate: string | null;
  revision: number;
  createdAt: Date;
  scopeUnits: string[];
  team: { name: string; email: string; role: (typeof TEAM_ROLES)[number] }[];
  validation: { validatedAt: Date; validatedBy: string | null; note: string | null } | null;
  closedAt: Date | null;
  overall: number | null;
  previous: { id: string; title: string; validatedAt: Date; overall: number | null } | null;
  overallDelta: number | null;
  progress: { done: number; total: number; percent: number };
  factors: {
    factor: number;
    name: string;
    score: number | null;
    previous: number | null;
    delta: number | null;
    scored: number;
    notApplicable: number;
    items: number;
    strengths: { refId: string; text: string }[];
    weaknesses: { refId: string; text: string }[];
  }[];
  /** One row per checklist item, in framework order (XLSX export). */
  responses: {
    factor: number;
    factorName: string;
    refId: string;
    itemUrn: string;
    text: string;
    rating: number | null;
    ratingLabel: string | null;
    notApplicable: boolean;
    naReason: string | null;
    narrative: string | null;
    strengths: string | null;
    weaknesses: string | null;
    sources: string[];
    confidence: string | null;
    evidenceCount: number;
    updatedAt: Date;
  }[];
}
