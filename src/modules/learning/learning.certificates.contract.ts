import { z } from 'zod';

// Contracts of the certificates, SCORM and xAPI routes (shared with the UI).

export const IdParams = z.strictObject({ id: z.uuid() });
export const CodeParams = z.strictObject({
  code: z.string().regex(/^[0-9A-Za-z-]{1,40}$/, 'a certificate code'),
});

export const CertificateSummary = z.strictObject({
  id: z.uuid(),
  code: z.string(),
  courseId: z.uuid(),
  course: z.string(),
  version: z.number().int(),
  completedOn: z.string(),
  issuedAt: z.string(),
  revoked: z.boolean(),
  verifyUrl: z.string(),
});
export type CertificateSummary = z.infer<typeof CertificateSummary>;
export const CertificateList = z.strictObject({ items: z.array(CertificateSummary) });

/** A certificate of the organisation, as its learning managers and report readers list them. */
export const OrgCertificate = z.strictObject({
  id: z.uuid(),
  code: z.string(),
  learner: z.string(),
  userId: z.uuid(),
  unit: z.string().nullable(),
  courseId: z.uuid(),
  course: z.string(),
  version: z.number().int(),
  completedOn: z.string(),
  issuedAt: z.string(),
  revoked: z.boolean(),
  revokedAt: z.string().nullable(),
});
export type OrgCertificate = z.infer<typeof OrgCertificate>;
export const OrgCertificateList = z.strictObject({ items: z.array(OrgCertificate) });

export const RevokeBody = z.strictObject({ reason: z.string().trim().min(3).max(500) });

/** What the public verification page shows: what the certificate states, or "not valid". */
export const Verification = z.union([
  z.strictObject({
    valid: z.literal(true),
    status: z.literal('valid'),
    code: z.string(),
    learner: z.string(),
    course: z.string(),
    version: z.number().int(),
    completedOn: z.string(),
    issuer: z.string(),
  }),
  z.strictObject({ valid: z.literal(false), status: z.enum(['revoked', 'unknown']) }),
]);
export type Verification = z.infer<typeof Verification>;

export const PublicKeys = z.strictObject({
  algorithm: z.literal('Ed25519'),
  current: z.string(),
  keys: z.array(
    z.strictObject({
      keyId: z.string(),
      publicKeyPem: z.string(),
      createdAt: z.string(),
      retired: z.boolean(),
    }),
  ),
});

// SCORM

export const ScormImported = z.strictObject({
  courseId: z.uuid(),
  versionId: z.uuid(),
  title: z.string(),
  launch: z.string(),
  files: z.number().int(),
});

export const VersionFileParams = z.strictObject({ versionId: z.uuid(), '*': z.string().min(1).max(1000) });

export const ScormLaunch = z.strictObject({
  enrolmentId: z.uuid(),
  versionId: z.uuid(),
  title: z.string(),
  launchUrl: z.string(),
  status: z.enum(['enrolled', 'in_progress', 'completed']),
  lessonStatus: z.string(),
  suspendData: z.string(),
  lessonLocation: z.string(),
});
export type ScormLaunch = z.infer<typeof ScormLaunch>;

const Score = z.number().min(-1000).max(1000).nullable().optional();
export const ScormCommitBody = z.strictObject({
  lessonStatus: z.enum(['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted']),
  scoreRaw: Score,
  scoreMin: Score,
  scoreMax: Score,
  suspendData: z.string().max(4096).optional(),
  sessionTime: z
    .string()
    .regex(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/, 'HHHH:MM:SS.SS')
    .optional(),
  lessonLocation: z.string().max(255).optional(),
});
export type ScormCommitBody = z.infer<typeof ScormCommitBody>;

/** scorm-again reads `result` and `errorCode` to decide whether the commit succeeded. */
export const ScormCommitResult = z.strictObject({
  result: z.literal(true),
  errorCode: z.literal(0),
  status: z.enum(['in_progress', 'completed']),
  score: z.number().nullable(),
});

// xAPI

export const XapiQuery = z.strictObject({ since: z.iso.datetime({ offset: true }).optional() });
