import { z } from 'zod';
import { EVENT_KINDS, SOURCE_KINDS, STATUSES, SUBJECT_KINDS } from './cases.vocab.ts';

// The cases API's contracts (shared with the UI).

export const IdParam = z.object({ id: z.uuid() }).strict();
export const FileParam = z.object({ id: z.uuid(), fileId: z.uuid() }).strict();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Version = z.number().int().min(0);

/** Counts under this are not shown (statistics and exports). */
export const MIN_CELL = 5;
export const FILE_MAX_BYTES = 20 * 1024 * 1024;

// ---- taxonomy ----------------------------------------------------------------------------------
const Status = z.enum(STATUSES);
/** A code of a taxonomy list (shipped or the administration's own). */
export const Code = z.string().regex(/^[a-z0-9_]{1,40}$/, 'lower-case letters, digits and _ (at most 40)');
const Label = z.string().trim().max(120);
export const TaxonomyEntry = z
  .object({
    code: Code,
    /** The administration's labels; empty for a shipped code means the translated default. */
    labels: z.object({ en: Label.optional(), fr: Label.optional(), ar: Label.optional() }).strict(),
    active: z.boolean(),
  })
  .strict();
export type TaxonomyEntryT = z.infer<typeof TaxonomyEntry>;
const Entries = z.array(TaxonomyEntry).max(40);
export const Taxonomy = z
  .object({
    transitions: z.record(Status, z.array(Status).max(STATUSES.length)),
    closureReasons: Entries,
    decisions: Entries,
    outcomes: Entries,
    sanctions: Entries,
    decisionDueDays: z.number().int().min(0).max(3650),
  })
  .strict();
export type TaxonomyT = z.infer<typeof Taxonomy>;
export const Settings = z.object({ taxonomy: Taxonomy, version: Version, isDefault: z.boolean() });
export type Settings = z.infer<typeof Settings>;
export const SettingsInput = z.object({ taxonomy: Taxonomy, version: Version }).strict();
export type SettingsInputT = z.infer<typeof SettingsInput>;
/** How many cases use each code of each list (managers: an entry in use is deactivated, not removed). */
const Uses = z.record(z.string(), z.number().int());
export const TaxonomyUsage = z.object({
  closureReasons: Uses,
  decisions: Uses,
  outcomes: Uses,
  sanctions: Uses,
});
export type TaxonomyUsage = z.infer<typeof TaxonomyUsage>;

// ---- cases -------------------------------------------------------------------------------------
export const CaseInput = z
  .object({
    title: Text(300),
    sourceKind: z.enum(SOURCE_KINDS),
    sourceRef: Text(200).optional(),
    orgUnitId: z.uuid().optional(),
    /** The case names a senior manager: only holders of cases.escalated handle it. */
    escalated: z.boolean().optional(),
    /** Default: opening day + the taxonomy's decisionDueDays. */
    decisionDueOn: z.iso.date().optional(),
  })
  .strict();
export type CaseInputT = z.infer<typeof CaseInput>;

export const CaseUpdate = z
  .object({
    title: Text(300).optional(),
    orgUnitId: z.uuid().nullable().optional(),
    escalated: z.boolean().optional(),
    decisionDueOn: z.iso.date().nullable().optional(),
    version: Version,
  })
  .strict();
export type CaseUpdateT = z.infer<typeof CaseUpdate>;

export const CaseSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  sourceKind: z.enum(SOURCE_KINDS),
  status: Status,
  escalated: z.boolean(),
  orgUnitId: z.uuid().nullable(),
  orgUnit: z.string().nullable(),
  assignees: z.array(z.object({ userId: z.uuid(), name: z.string() })),
  decisionDueOn: z.string().nullable(),
  overdue: z.boolean(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;
export const CaseQuery = z.object({ scope: z.enum(['mine', 'all']).optional() }).strict();

export const Assignment = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  assignedBy: z.string().nullable(),
  assignedAt: z.string(),
  conflict: z.boolean(),
  reason: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export const Note = z.object({ id: z.uuid(), author: z.string(), body: z.string(), createdAt: z.string() });
export const Subject = z.object({
  id: z.uuid(),
  kind: z.enum(SUBJECT_KINDS),
  userId: z.uuid().nullable(),
  name: z.string(),
  identifier: z.string().nullable(),
  role: z.string().nullable(),
  createdAt: z.string(),
});
export const CaseFile = z.object({
  id: z.uuid(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: z.string(),
});
export const CaseEvent = z.object({
  id: z.uuid(),
  kind: z.enum(EVENT_KINDS),
  actor: z.string().nullable(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  createdAt: z.string(),
});

/** The whole case: only from POST /api/cases/:id/open, which writes an audit record. */
export const CaseDetail = CaseSummary.extend({
  sourceRef: z.string().nullable(),
  /** Codes of the administration's taxonomy lists. */
  closureReason: z.string().nullable(),
  decision: z.string().nullable(),
  outcome: z.string().nullable(),
  sanction: z.string().nullable(),
  appealFiledOn: z.string().nullable(),
  appealNote: z.string().nullable(),
  /** The steps the taxonomy allows from the current status. */
  next: z.array(Status),
  assignments: z.array(Assignment),
  notes: z.array(Note),
  subjects: z.array(Subject),
  files: z.array(CaseFile),
  events: z.array(CaseEvent),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const TransitionInput = z
  .object({
    to: Status,
    /** Active codes of the taxonomy's lists (422 otherwise). */
    closureReason: Code.optional(),
    decision: Code.optional(),
    outcome: Code.optional(),
    sanction: Code.optional(),
    version: Version,
  })
  .strict();
export type TransitionInputT = z.infer<typeof TransitionInput>;

export const AssignInput = z
  .object({
    userId: z.uuid(),
    /** End the current assignments (reassignment); otherwise the handler is added. */
    replace: z.boolean().default(false),
    reason: Text(500).optional(),
    /** The assigner saw the conflict warning and assigns anyway. */
    acknowledgeConflict: z.boolean().default(false),
  })
  .strict();
export type AssignInputT = z.infer<typeof AssignInput>;

export const Candidate = z.object({
  userId: z.uuid(),
  name: z.string(),
  unit: z.string().nullable(),
  /** Belongs to the unit concerned or a unit below it. */
  conflict: z.boolean(),
  assigned: z.boolean(),
});
export type Candidate = z.infer<typeof Candidate>;

export const NoteInput = z.object({ body: Text(20_000) }).strict();
export const SubjectInput = z
  .object({
    kind: z.enum(SUBJECT_KINDS),
    userId: z.uuid().optional(),
    name: Text(200),
    identifier: Text(64).optional(),
    role: Text(200).optional(),
  })
  .strict();
export type SubjectInputT = z.infer<typeof SubjectInput>;
export const FileFields = z.object({ caseId: z.uuid() }).strict();
export const AppealInput = z.object({ filedOn: z.iso.date(), note: Text(5000), version: Version }).strict();
export type AppealInputT = z.infer<typeof AppealInput>;

// ---- statistics --------------------------------------------------------------------------------
/** A count, or null when under MIN_CELL (suppressed). */
export const Count = z.object({ key: z.string(), label: z.string(), n: z.number().int().nullable() });
export const Statistics = z.object({
  minCell: z.number().int(),
  total: z.number().int().nullable(),
  bySource: z.array(Count),
  byStatus: z.array(Count),
  byOutcome: z.array(Count),
  byUnit: z.array(Count),
  closed: z.number().int().nullable(),
  /** Median days from opening to closure; null when fewer than MIN_CELL closed cases. */
  medianDaysToClose: z.number().nullable(),
});
export type Statistics = z.infer<typeof Statistics>;
export const ExportQuery = z.object({ format: z.enum(['xlsx', 'csv']) }).strict();
