// Closed vocabularies of the standards library, with no imports: shared by the library schema
// and the UI (which must not pull zod into its bundle).

/** Kinds of evidence a checklist item may name as typical. */
export const EVIDENCE_TYPES = [
  'policy_document',
  'legislation',
  'statistic',
  'minutes',
  'interview',
  'survey',
  'site_visit',
  'system_log',
  'report',
  'training_record',
  'contract',
] as const;
