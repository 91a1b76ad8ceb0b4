import { z } from 'zod';
import {
  CHANNEL_LANGUAGES,
  CLOSE_REASONS,
  DIRECTIONS,
  FIELD_TYPES,
  REPORT_STATUSES,
} from './reports.vocab.ts';

// The reports API's contracts and the questionnaire format (shared with the UI).

export const IdParam = z.object({ id: z.uuid() }).strict();
export const AssigneeParam = z.object({ id: z.uuid(), userId: z.uuid() }).strict();
/** The public address: organisation id and channel slug. */
export const PublicChannelParam = z
  .object({ org: z.uuid(), channel: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) })
  .strict();
export const PublicOrgParam = z.object({ org: z.uuid() }).strict();

const Key = z.string().regex(/^[a-z0-9][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _ (at most 63)');
export const Text = z.partialRecord(z.enum(CHANNEL_LANGUAGES), z.string().trim().min(1).max(2_000));
/** A Text in `lang`, else in the channel's first language, else English, else any; '' for none. */
export const pickText = (tr: Record<string, string> | undefined, lang: string, langs: readonly string[]) =>
  tr ? (tr[lang] ?? tr[langs[0] ?? 'en'] ?? tr.en ?? Object.values(tr)[0] ?? '') : '';

export const FieldOption = z
  .object({
    id: Key,
    label: Text,
    /** Choosing it routes the report to the channel's escalation recipients (second tier). */
    escalates: z.boolean().optional(),
  })
  .strict();
export const Field = z
  .object({
    id: Key,
    type: z.enum(FIELD_TYPES),
    step: z.number().int().min(1).max(10).default(1),
    required: z.boolean().default(false),
    /** May be kept in clear and counted in statistics (choices and offices only). */
    statistical: z.boolean().default(false),
    label: Text,
    help: Text.optional(),
    options: z.array(FieldOption).min(2).max(30).optional(),
    /** Text fields: at most this many characters. */
    maxLength: z.number().int().min(1).max(20_000).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const choice = f.type === 'single' || f.type === 'multiple';
    if (choice !== Boolean(f.options))
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'choice fields, and only they, have options',
      });
    if (f.statistical && !(choice || f.type === 'office' || f.type === 'date'))
      ctx.addIssue({
        code: 'custom',
        path: ['statistical'],
        message: 'only choices, offices and dates can be statistical (free text may identify the reporter)',
      });
  });
export type Field = z.infer<typeof Field>;
export const Questionnaire = z
  .array(Field)
  .min(1)
  .max(60)
  .refine((fs) => new Set(fs.map((f) => f.id)).size === fs.length, 'field ids must be unique');

// ---- public (no sign-in) ------------------------------------------------------------------------

export const LangQuery = z.object({ lang: z.enum(CHANNEL_LANGUAGES).optional() }).strict();

export const PublicField = z.object({
  id: z.string(),
  type: z.enum(FIELD_TYPES),
  step: z.number(),
  required: z.boolean(),
  label: z.string(),
  help: z.string().nullable(),
  options: z.array(z.object({ id: z.string(), label: z.string() })).nullable(),
  maxLength: z.number(),
});
export const PublicChannel = z.object({
  organisation: z.string(),
  /** Step titles in order (step 1 first), '' where the channel names none. */
  steps: z.array(z.string()),
  name: z.string(),
  intro: z.string(),
  language: z.string(),
  languages: z.array(z.string()),
  fields: z.array(PublicField),
  /** For `office` fields: the administration's units. */
  offices: z.array(z.object({ id: z.string(), name: z.string() })),
  receiptDigits: z.number(),
  /** Key escrow is on in this administration: designated custodians can also open new reports. */
  escrow: z.boolean(),
  /** What the reporter is told when escrow is on, in the page's language; null when off. */
  escrowNotice: z.string().nullable(),
});

const AnswerValue = z.union([
  z.string().max(20_000),
  z.array(z.string().max(100)).max(30),
  z.number().finite(),
]);
export const SubmitInput = z
  .object({
    language: z.enum(CHANNEL_LANGUAGES),
    answers: z.record(z.string().max(63), AnswerValue),
    /**
     * The escrow state the reporter was shown (PublicChannel.escrow). `false` while escrow is now
     * on is refused (400, path `escrow`): the reporter has not been told.
     */
    escrow: z.boolean().optional(),
  })
  .strict();
export const Submitted = z.object({
  /** Shown once: the only way back to the report. */
  receipt: z.string(),
  /** The report key is also sealed to the administration's escrow key. */
  escrow: z.boolean(),
});

export const ReceiptInput = z.object({ receipt: z.string().min(1).max(100) }).strict();
export const ReporterMessageInput = z
  .object({ receipt: z.string().min(1).max(100), body: z.string().trim().min(1).max(20_000) })
  .strict();

export const Message = z.object({
  direction: z.enum(DIRECTIONS),
  body: z.string(),
  /** Hour only. */
  at: z.string(),
});
export const ReporterView = z.object({
  channel: z.string(),
  status: z.enum(REPORT_STATUSES),
  receivedAt: z.string(),
  answers: z.array(z.object({ label: z.string(), value: z.string() })),
  messages: z.array(Message),
  /** Designated custodians can also open this report (escrow was on when it was sent). */
  escrow: z.boolean(),
});

// ---- handlers ------------------------------------------------------------------------------------

export const Passphrase = z.string().min(12, 'at least 12 characters').max(1_000);
export const KeySetupInput = z.object({ passphrase: Passphrase }).strict();
export const KeyCreated = z.object({ recoveryKey: z.string() });
export const UnlockInput = z.object({ passphrase: z.string().min(1).max(1_000) }).strict();
export const RecoverInput = z
  .object({ recoveryKey: z.string().min(1).max(200), passphrase: Passphrase })
  .strict();
export const KeyStatus = z.object({ hasKey: z.boolean(), unlocked: z.boolean() });

export const ReportItem = z.object({
  id: z.string(),
  channelId: z.string(),
  channel: z.string(),
  status: z.enum(REPORT_STATUSES),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  receivedAt: z.string(),
  ackDue: z.string(),
  feedbackDue: z.string(),
  overdue: z.boolean(),
  assigned: z.boolean(),
  legalHold: z.boolean(),
  /** Routed to the second tier (an option that escalates was chosen). */
  escalated: z.boolean(),
  caseId: z.string().nullable(),
  statistical: z.record(z.string(), z.unknown()),
  /** Its key is also sealed to the administration's escrow key (sent while escrow was on). */
  escrowed: z.boolean(),
  version: z.number(),
});
/** The reads of a report its access history shows (audited as `reports.report.<kind>`). */
export const ACCESS_KINDS = ['read', 'escrow_opened', 'files_listed', 'file_read'] as const;
export const ReportDetail = ReportItem.extend({
  language: z.string(),
  answers: z.array(
    z.object({ id: z.string(), label: z.string(), type: z.enum(FIELD_TYPES), value: z.unknown() }),
  ),
  messages: z.array(Message.extend({ author: z.string().nullable() })),
  assignees: z.array(z.object({ userId: z.string(), name: z.string() })),
  /** Opened by a custodian through the escrow key, not through an assignment. */
  viaEscrow: z.boolean(),
  /** Who opened the report or its files, and how (from the audit trail), newest first. */
  access: z.array(
    z.object({
      action: z.enum(ACCESS_KINDS),
      by: z.string().nullable(),
      at: z.string(),
      /** Through the escrow key (an escrow opening, or a file list or download by a custodian). */
      viaEscrow: z.boolean(),
    }),
  ),
});
export const VersionInput = z.object({ version: z.number().int().min(1) }).strict();
export const CloseInput = z
  .object({ version: z.number().int().min(1), reason: z.enum(CLOSE_REASONS) })
  .strict();
export const HandlerMessageInput = z.object({ body: z.string().trim().min(1).max(20_000) }).strict();
export const AssignInput = z
  .object({
    userId: z.uuid(),
    /** The assigner saw the conflict warning (the handler works in the office named) and assigns anyway. */
    acknowledgeConflict: z.boolean().default(false),
  })
  .strict();
export const LegalHoldInput = z.object({ version: z.number().int().min(1), hold: z.boolean() }).strict();
/** The case a report was triaged into (the same one on every call). */
export const CaseOpened = z.object({ caseId: z.string(), reference: z.string() });

// ---- channels ------------------------------------------------------------------------------------

export const Channel = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.record(z.string(), z.string()),
  intro: z.record(z.string(), z.string()),
  questionnaire: z.array(z.unknown()),
  /** Step titles per language, in order: steps[0] titles the fields of step 1. */
  steps: z.array(z.record(z.string(), z.string())),
  recipients: z.array(z.string()),
  escalationRecipients: z.array(z.string()),
  languages: z.array(z.string()),
  retentionDays: z.number(),
  ackDays: z.number(),
  feedbackDays: z.number(),
  active: z.boolean(),
  /** The public address (path) of the channel. */
  path: z.string(),
  version: z.number(),
});
const ChannelFields = {
  name: Text,
  intro: Text.optional(),
  questionnaire: Questionnaire.optional(),
  steps: z.array(Text).max(10).optional(),
  recipients: z.array(z.uuid()).max(50).optional(),
  escalationRecipients: z.array(z.uuid()).max(50).optional(),
  languages: z.array(z.enum(CHANNEL_LANGUAGES)).min(1).max(6).optional(),
  retentionDays: z.number().int().min(30).max(3650).optional(),
  ackDays: z.number().int().min(1).max(90).optional(),
  feedbackDays: z.number().int().min(7).max(365).optional(),
  active: z.boolean().optional(),
};
const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and - (at most 63)')
  .refine((s) => s !== 'follow-up', 'reserved for the follow-up address');
export const ChannelCreate = z.object({ slug: Slug, ...ChannelFields }).strict();
/** A new slug changes the channel's public address (links already given out stop working). */
export const ChannelUpdate = z
  .object({
    version: z.number().int().min(1),
    ...ChannelFields,
    name: Text.optional(),
    slug: Slug.optional(),
  })
  .strict();
/** Who may receive a channel's reports: members holding reports.handle; without keys they cannot yet. */
export const Recipient = z.object({ userId: z.string(), name: z.string(), hasKey: z.boolean() });

// ---- key escrow ------------------------------------------------------------------------------------

/** The administration's escrow: off unless switched on (ESCROW_DEFAULT). */
export const EscrowState = z.object({
  enabled: z.boolean(),
  /** When it was switched on, and by whom. */
  since: z.string().nullable(),
  enabledBy: z.string().nullable(),
  custodians: z.array(z.object({ userId: z.string(), name: z.string() })),
  /** The caller is a custodian (may open escrowed reports). */
  custodian: z.boolean(),
  /** Reports whose key is sealed to the escrow key. */
  escrowedReports: z.number(),
});
const Reauth = z.string().min(1).max(256);
/** Switching needs the acting user's sign-in password again. */
export const EscrowSwitch = z.discriminatedUnion('enabled', [
  z
    .object({
      enabled: z.literal(true),
      /** Handlers with reporting keys: the escrow private key is sealed to each. */
      custodians: z.array(z.uuid()).min(1).max(10),
      password: Reauth,
    })
    .strict(),
  z.object({ enabled: z.literal(false), password: Reauth }).strict(),
]);
