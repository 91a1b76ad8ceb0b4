import { z } from 'zod';
import {
  AUDIENCES,
  CAMPAIGN_TARGETS,
  PARTY_ACK_METHODS,
  PARTY_TYPES,
  VERSION_STATUSES,
} from './conduct.vocab.ts';

// The conduct API's contracts (shared with the UI: src/modules/conduct/ui/types.ts).

export const IdParam = z.object({ id: z.uuid() }).strict();
/** A one-time link token: 32 random bytes, base64url. */
export const TokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).strict();

const Day = z.iso.date();
const Text = (max: number) => z.string().trim().min(1).max(max);

export const SanctionStep = z
  .object({
    level: z.number().int().min(1).max(20),
    misconduct: Text(500),
    sanction: Text(500),
  })
  .strict();

const sanctionsChecked = z
  .array(SanctionStep)
  .max(50)
  .refine((list) => new Set(list.map((s) => s.level)).size === list.length, {
    message: 'Each level appears once',
  });

export const CreateVersionInput = z
  .object({
    audience: z.enum(AUDIENCES),
    title: Text(200),
    body: z.string().max(200_000).default(''),
    effectiveDate: Day,
    sanctions: sanctionsChecked.default([]),
  })
  .strict();

export const UpdateVersionInput = z
  .object({
    title: Text(200).optional(),
    body: z.string().max(200_000).optional(),
    effectiveDate: Day.optional(),
    sanctions: sanctionsChecked.optional(),
    version: z.number().int().min(1),
  })
  .strict();

export const PdfFields = z.object({ versionId: z.uuid() }).strict();

export const VersionListQuery = z.object({ audience: z.enum(AUDIENCES).optional() }).strict();

export const VersionSummary = z.object({
  id: z.uuid(),
  audience: z.enum(AUDIENCES),
  number: z.number().int(),
  title: z.string(),
  effectiveDate: z.string(),
  status: z.enum(VERSION_STATUSES),
  hasPdf: z.boolean(),
  publishedAt: z.string().nullable(),
  version: z.number().int(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const VersionDetail = VersionSummary.extend({
  /** The Markdown source (for editing a draft). */
  body: z.string(),
  /** The Markdown as sanitised HTML. */
  html: z.string(),
  pdfName: z.string().nullable(),
  sanctions: z.array(SanctionStep),
});
export type VersionDetail = z.infer<typeof VersionDetail>;

export const MyCode = z.object({
  /** The latest published staff version, if any. */
  code: VersionDetail.nullable(),
  /** My acknowledgement of that version (day and time), if given. */
  acknowledgedAt: z.string().nullable(),
  /** The due date of my open campaign for it, if any. */
  dueDate: z.string().nullable(),
  /** Versions I acknowledged before. */
  history: z.array(
    z.object({ versionId: z.uuid(), number: z.number(), title: z.string(), acknowledgedAt: z.string() }),
  ),
});
export type MyCode = z.infer<typeof MyCode>;

export const AcknowledgeInput = z.object({ confirm: z.literal(true) }).strict();
export const Acknowledgement = z.object({ versionId: z.uuid(), acknowledgedAt: z.string() });

// ---- campaigns --------------------------------------------------------------------------------

export const CreateCampaignInput = z
  .object({
    versionId: z.uuid(),
    title: Text(200),
    targetKind: z.enum(CAMPAIGN_TARGETS),
    units: z.array(z.uuid()).max(500).optional(),
    joinedFrom: Day.optional(),
    dueDate: Day,
    escalate: z.boolean().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.targetKind === 'units' && !v.units?.length)
      ctx.addIssue({ code: 'custom', path: ['units'], message: 'Choose at least one unit' });
    if (v.targetKind === 'new_entrants' && !v.joinedFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['joinedFrom'],
        message: 'Give the day from which members count as new',
      });
  });

export const Campaign = z.object({
  id: z.uuid(),
  versionId: z.uuid(),
  versionNumber: z.number(),
  versionTitle: z.string(),
  title: z.string(),
  targetKind: z.enum(CAMPAIGN_TARGETS),
  units: z.array(z.uuid()),
  joinedFrom: z.string().nullable(),
  dueDate: z.string(),
  escalate: z.boolean(),
  assigned: z.number(),
  acknowledged: z.number(),
  overdue: z.number(),
  createdAt: z.string(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignDetail = Campaign.extend({
  people: z.array(
    z.object({
      userId: z.uuid(),
      name: z.string(),
      unit: z.string().nullable(),
      acknowledgedAt: z.string().nullable(),
      overdue: z.boolean(),
    }),
  ),
});
export type CampaignDetail = z.infer<typeof CampaignDetail>;

// ---- reports ------------------------------------------------------------------------------------

export const ReportQuery = z
  .object({
    versionId: z.uuid().optional(),
    /** Campaigns due in this period (inclusive); acknowledgements counted up to `to`. */
    from: Day.optional(),
    to: Day.optional(),
  })
  .strict();
export const ExportQuery = ReportQuery.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict();

const Rate = z.object({ assigned: z.number(), acknowledged: z.number(), rate: z.number().nullable() });
export const ReportUnit = z.object({
  id: z.string().nullable(),
  name: z.string(),
  parentId: z.string().nullable(),
  depth: z.number(),
  /** The unit's own members. */
  own: Rate,
  /** The unit and all its sub-units. */
  withSubUnits: Rate,
});
export const Report = z.object({
  versionId: z.uuid().nullable(),
  from: z.string().nullable(),
  to: z.string(),
  totals: Rate.extend({ overdue: z.number() }),
  byUnit: z.array(ReportUnit),
});
export type Report = z.infer<typeof Report>;

// ---- private sector ---------------------------------------------------------------------------

export const PartyInput = z
  .object({
    type: z.enum(PARTY_TYPES),
    name: Text(200),
    identifier: z.string().trim().max(100).nullable().optional(),
    licensed: z.boolean().optional(),
    email: z.email().max(200).nullable().optional(),
  })
  .strict();
export const UpdatePartyInput = PartyInput.partial()
  .extend({ archived: z.boolean().optional(), version: z.number().int().min(1) })
  .strict();

export const Party = z.object({
  id: z.uuid(),
  type: z.enum(PARTY_TYPES),
  name: z.string(),
  identifier: z.string().nullable(),
  licensed: z.boolean(),
  email: z.string().nullable(),
  archived: z.boolean(),
  /** The acknowledgement of the current private-sector version, if any. */
  acknowledged: z
    .object({ method: z.enum(PARTY_ACK_METHODS), signatory: z.string(), acknowledgedAt: z.string() })
    .nullable(),
  version: z.number().int(),
});
export type Party = z.infer<typeof Party>;

export const PartyList = z.object({
  items: z.array(Party),
  /** The current published private-sector version. */
  current: VersionSummary.nullable(),
  /** Licensed brokers who acknowledged the current version (RAD factor 10). */
  brokers: Rate,
});
export type PartyList = z.infer<typeof PartyList>;

export const PaperAckInput = z
  .object({
    signatory: Text(200),
    /** The day written on the signed paper: not in the future. */
    signedOn: Day,
  })
  .strict();

export const PartyLink = z.object({ url: z.string(), token: z.string(), expiresAt: z.string() });
export type PartyLink = z.infer<typeof PartyLink>;

export const PublicCode = z.object({
  organisation: z.string(),
  party: z.string(),
  title: z.string(),
  number: z.number(),
  effectiveDate: z.string(),
  html: z.string(),
  sanctions: z.array(SanctionStep),
  acknowledgedAt: z.string().nullable(),
});
export type PublicCode = z.infer<typeof PublicCode>;

export const PublicAckInput = z.object({ signatory: Text(200), confirm: z.literal(true) }).strict();
