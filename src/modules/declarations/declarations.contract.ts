import { z } from 'zod';
import { isoDay } from '../../platform/dates.ts';
import {
  APPROVALS,
  ASSET_CATEGORIES,
  ASSET_KINDS,
  DECLARATION_TYPES,
  DISPOSITIONS,
  FLAG_RULES,
  FLAG_STATUSES,
  MITIGATIONS,
  PARTY_KINDS,
  REVIEW_ACTIONS,
  STATUSES,
} from './declarations.vocab.ts';

// The declarations API's contracts (shared with the UI: ui/types.ts).

export const IdParam = z.object({ id: z.uuid() }).strict();

/** ISO 4217 codes the runtime knows (Intl), so an unknown currency is a 400. */
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');
const CURRENCY_SET = new Set(CURRENCIES);
export const Currency = z
  .string()
  .length(3)
  .refine((c) => CURRENCY_SET.has(c), { message: 'not an ISO 4217 currency code' });

/** Amounts: non-negative, finite, at most a hundred billion (anything larger is a typo). */
export const MAX_AMOUNT = 1e11;
export const Amount = z.number().finite().nonnegative().max(MAX_AMOUNT);

/** A day that has already come (acquisition dates, gift dates). */
const PastDay = z.iso.date().refine((d) => d <= isoDay(new Date()), { message: 'must not be in the future' });
const Text = (max: number) => z.string().trim().min(1).max(max);

export const ConflictInput = z
  .object({
    type: z.literal('conflict'),
    cycleId: z.uuid().optional(),
    partyKind: z.enum(PARTY_KINDS),
    partyName: Text(200),
    /** TIN, licence number or another identifier of the related party. */
    partyIdentifier: Text(64),
    nature: Text(2000),
    mitigation: z.enum(MITIGATIONS),
  })
  .strict();

export const GiftInput = z
  .object({
    type: z.literal('gift'),
    cycleId: z.uuid().optional(),
    giver: Text(200),
    giftDate: PastDay,
    description: Text(2000),
    value: Amount,
    currency: Currency,
    disposition: z.enum(DISPOSITIONS),
  })
  .strict();

export const AssetItem = z
  .object({
    category: z.enum(ASSET_CATEGORIES),
    description: Text(300),
    value: Amount,
    acquiredOn: PastDay.nullable().optional(),
  })
  .strict();
export const MoneyLine = z.object({ description: Text(300), amount: Amount }).strict();

export const AssetInput = z
  .object({
    type: z.literal('asset'),
    cycleId: z.uuid().optional(),
    assetKind: z.enum(ASSET_KINDS),
    periodYear: z.number().int().min(1950).max(2100),
    items: z.array(AssetItem).max(200),
    liabilities: z.array(MoneyLine).max(100),
    income: z.array(MoneyLine).max(100),
  })
  .strict();

export const DeclarationInput = z.discriminatedUnion('type', [ConflictInput, GiftInput, AssetInput]);
export type DeclarationInput = z.infer<typeof DeclarationInput>;
export type AssetInput = z.infer<typeof AssetInput>;

/** A declaration as lists and details show it: never an asset value. */
export const Declaration = z.object({
  id: z.uuid(),
  type: z.enum(DECLARATION_TYPES),
  userId: z.uuid(),
  declarant: z.string(),
  unitId: z.uuid().nullable(),
  cycleId: z.uuid().nullable(),
  cycleTitle: z.string().nullable(),
  status: z.enum(STATUSES),
  approval: z.enum(APPROVALS),
  approvalNote: z.string().nullable(),
  submittedAt: z.string(),
  dueDate: z.string().nullable(),
  late: z.boolean(),
  /** What the declaration is about, in words, without amounts for assets. */
  summary: z.string(),
  partyKind: z.enum(PARTY_KINDS).nullable(),
  partyName: z.string().nullable(),
  partyIdentifier: z.string().nullable(),
  nature: z.string().nullable(),
  mitigation: z.enum(MITIGATIONS).nullable(),
  giver: z.string().nullable(),
  giftDate: z.string().nullable(),
  description: z.string().nullable(),
  value: z.number().nullable(),
  currency: z.string().nullable(),
  baseValue: z.number().nullable(),
  disposition: z.enum(DISPOSITIONS).nullable(),
  assetKind: z.enum(ASSET_KINDS).nullable(),
  periodYear: z.number().nullable(),
  /** Categories, descriptions and dates only. */
  assetItems: z
    .array(z.object({ category: z.string(), description: z.string(), acquiredOn: z.string().nullable() }))
    .nullable(),
  reviewNote: z.string().nullable(),
  referralRef: z.string().nullable(),
  /** The case a referral opened in the cases module. */
  caseId: z.uuid().nullable(),
  caseReference: z.string().nullable(),
  openFlags: z.number().int(),
  version: z.number().int(),
});
export type Declaration = z.infer<typeof Declaration>;

/** The sealed part of an asset declaration, for reviewers and the declarant (each read audited). */
export const AssetValues = z.object({
  id: z.uuid(),
  currency: z.string(),
  items: z.array(
    z.object({
      category: z.string(),
      description: z.string(),
      value: z.number(),
      acquiredOn: z.string().nullable(),
    }),
  ),
  liabilities: z.array(z.object({ description: z.string(), amount: z.number() })),
  income: z.array(z.object({ description: z.string(), amount: z.number() })),
  totals: z.object({ assets: z.number(), liabilities: z.number(), netWorth: z.number(), income: z.number() }),
  /** Reviewers: this declaration's flags, the asset-growth one with its amounts. */
  flags: z.array(z.lazy(() => Flag)),
});
export type AssetValues = z.infer<typeof AssetValues>;

export const ApprovalInput = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    note: z.string().trim().max(2000).optional(),
    version: z.number().int(),
  })
  .strict();

export const ReviewInput = z
  .object({
    action: z.enum(REVIEW_ACTIONS),
    note: z.string().trim().max(2000).optional(),
    /**
     * Optional when referring: an external reference (an anti-corruption agency's file number);
     * the referral itself opens a case in the cases module.
     */
    reference: z.string().trim().min(1).max(100).optional(),
    version: z.number().int(),
  })
  .strict();

export const Flag = z.object({
  id: z.uuid(),
  rule: z.enum(FLAG_RULES),
  userId: z.uuid(),
  declarant: z.string(),
  declarationId: z.uuid().nullable(),
  cycleId: z.uuid().nullable(),
  status: z.enum(FLAG_STATUSES),
  /** The facts that raised the flag (no asset amount). */
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  /** The flag in words, in the reader's language. */
  explanation: z.string(),
  reason: z.string().nullable(),
  referralRef: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Flag = z.infer<typeof Flag>;

/** The Customs declarations behind a related-party flag (first 200, and how many in all). */
export const HandledRows = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  total: z.number().int(),
  dataset: z.string(),
  datasetVersion: z.number().int(),
});

/** How many related-party flags a scan of the analytics data raised. */
export const ScanResult = z.object({ raised: z.number().int() });

export const FlagQuery = z.object({ status: z.enum(FLAG_STATUSES).optional() }).strict();

export const FlagDecisionInput = z
  .object({
    decision: z.enum(['dismiss', 'refer']),
    reason: z.string().trim().min(3).max(2000),
    reference: z.string().trim().min(1).max(100).optional(),
    version: z.number().int(),
  })
  .strict();

export const Settings = z.object({
  enabledTypes: z.array(z.enum(DECLARATION_TYPES)),
  baseCurrency: z.string(),
  rates: z.record(z.string(), z.number()),
  giftThreshold: z.number(),
  repeatGiftCount: z.number().int(),
  repeatGiftWindowDays: z.number().int(),
  growthFactor: z.number(),
  /** Officer codes in the Customs declaration data, by member e-mail (lower case). */
  officerCodes: z.record(z.string(), z.string()),
  version: z.number().int(),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsInput = z
  .object({
    enabledTypes: z.array(z.enum(DECLARATION_TYPES)).min(1).max(3),
    baseCurrency: Currency,
    /** Units of the base currency for one unit of each other currency. */
    rates: z
      .record(Currency, z.number().finite().positive().max(1e9))
      .refine((r) => Object.keys(r).length <= 200, { message: 'at most 200 rates' }),
    giftThreshold: Amount,
    repeatGiftCount: z.number().int().min(2).max(100),
    repeatGiftWindowDays: z.number().int().min(1).max(3650),
    growthFactor: z.number().finite().positive().max(100),
    /** e-mail → officer code (analytics' officer_id); at most 10 000. Left out: unchanged. */
    officerCodes: z
      .record(z.email().max(254), z.string().trim().min(1).max(64))
      .refine((r) => Object.keys(r).length <= 10_000, { message: 'at most 10 000 officer codes' })
      .optional(),
    version: z.number().int(),
  })
  .strict();

export const Cycle = z.object({
  id: z.uuid(),
  title: z.string(),
  type: z.enum(DECLARATION_TYPES),
  assetKind: z.enum(ASSET_KINDS).nullable(),
  year: z.number().nullable(),
  unitIds: z.array(z.uuid()),
  dueDate: z.string(),
  escalate: z.boolean(),
  /** For the caller: whether they have filed in this cycle (null: not targeted). */
  filed: z.boolean().nullable(),
  version: z.number().int(),
});
export type Cycle = z.infer<typeof Cycle>;

export const CycleInput = z
  .object({
    title: Text(200),
    type: z.enum(DECLARATION_TYPES),
    assetKind: z.enum(ASSET_KINDS).optional(),
    year: z.number().int().min(1950).max(2100).optional(),
    unitIds: z.array(z.uuid()).max(200).default([]),
    dueDate: z.iso.date(),
    escalate: z.boolean().default(true),
  })
  .strict();

export const CycleUpdate = z
  .object({
    title: Text(200).optional(),
    dueDate: z.iso.date().optional(),
    escalate: z.boolean().optional(),
    version: z.number().int(),
  })
  .strict();

/** Counts only; a unit with fewer people than MIN_CELL shows no rate (no individual exposed). */
export const MIN_CELL = 5;
export const Statistics = z.object({
  minCell: z.number().int(),
  cycles: z.array(
    z.object({
      cycleId: z.uuid(),
      title: z.string(),
      type: z.enum(DECLARATION_TYPES),
      dueDate: z.string(),
      expected: z.number().int(),
      submitted: z.number().int(),
      late: z.number().int(),
      rate: z.number().nullable(),
      byUnit: z.array(
        z.object({
          unitId: z.uuid().nullable(),
          unit: z.string(),
          expected: z.number().int().nullable(),
          submitted: z.number().int().nullable(),
          rate: z.number().nullable(),
          suppressed: z.boolean(),
        }),
      ),
    }),
  ),
  flagsByRule: z.array(
    z.object({
      rule: z.enum(FLAG_RULES),
      open: z.number().int(),
      dismissed: z.number().int(),
      referred: z.number().int(),
    }),
  ),
  byType: z.array(z.object({ type: z.enum(DECLARATION_TYPES), count: z.number().int() })),
});
export type Statistics = z.infer<typeof Statistics>;

export type HandledRowsT = z.infer<typeof HandledRows>;
export type SettingsInputT = z.infer<typeof SettingsInput>;
export type CycleInputT = z.infer<typeof CycleInput>;
export type CycleUpdateT = z.infer<typeof CycleUpdate>;
export type ApprovalInputT = z.infer<typeof ApprovalInput>;
export type ReviewInputT = z.infer<typeof ReviewInput>;
export type FlagDecisionInputT = z.infer<typeof FlagDecisionInput>;
