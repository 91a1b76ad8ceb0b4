import { z } from 'zod';
import { Eoi, Text } from './programme.contract.ts';
import { DAC_CRITERIA } from './programme.vocab.ts';

// Contracts of programme.records.ts (shared with the UI): an EOI's and an activity's files, the
// RAD factors' names, evaluation edits and the deletes (docs/adr/0028, "Files, edits and deletes").

/** An attachment of an expression of interest, or a report of an activity. */
export const EOI_FILE_TYPES = ['pdf', 'docx', 'doc', 'odt', 'xlsx', 'png', 'jpeg'] as const;
export const REPORT_FILE_TYPES = ['pdf', 'docx', 'doc', 'odt'] as const;
export const RECORD_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** Files per expression of interest, and per activity. */
export const MAX_RECORD_FILES = 5;

export const RecordFile = z.object({
  id: z.uuid(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.iso.datetime(),
});
export type RecordFileT = z.infer<typeof RecordFile>;

export const EoiFileFields = z.object({ eoiId: z.uuid() }).strict();
export const ActivityReportFields = z.object({ activityId: z.uuid() }).strict();
export const FileParam = z.object({ id: z.uuid(), fileId: z.uuid() }).strict();
export const VersionParam = z.object({ version: z.coerce.number().int().min(1) }).strict();

/** The ten RAD key factors by number, named in the caller's language (the standards library). */
export const RadFactor = z.object({ factor: z.number().int().min(1).max(10), name: z.string() });
export type RadFactorT = z.infer<typeof RadFactor>;

/** My administration's expression of interest, read-only: with its files and whether one may still be added. */
export const MyEoi = Eoi.extend({
  attachments: z.array(RecordFile),
  /** Files may be added while the Secretariat has not started screening (status received). */
  canAttach: z.boolean(),
});
export type MyEoiT = z.infer<typeof MyEoi>;

const Criterion = z
  .object({
    criterion: z.enum(DAC_CRITERIA),
    rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    findings: Text(20000),
  })
  .strict();

/** An evaluation as stored, with its version (to edit or delete it). */
export const EvaluationRecord = z.object({
  id: z.uuid(),
  partnershipId: z.uuid(),
  title: z.string(),
  evaluator: z.string(),
  evaluatedOn: z.iso.date(),
  criteria: z.array(z.object({ criterion: z.enum(DAC_CRITERIA), rating: z.number(), findings: z.string() })),
  version: z.number().int(),
});
export type EvaluationRecordT = z.infer<typeof EvaluationRecord>;

/** A correction of an evaluation at the version read (409 otherwise); `criteria`: all six again. */
export const EvaluationUpdate = z
  .object({
    version: z.number().int().min(1),
    title: Text(300).optional(),
    evaluator: Text(200).optional(),
    evaluatedOn: z.iso.date().optional(),
    criteria: z.array(Criterion).length(DAC_CRITERIA.length).optional(),
  })
  .strict()
  .refine((e) => !e.criteria || new Set(e.criteria.map((c) => c.criterion)).size === DAC_CRITERIA.length, {
    path: ['criteria'],
    message: 'each of the six OECD-DAC criteria once',
  });
export type EvaluationUpdateT = z.infer<typeof EvaluationUpdate>;
