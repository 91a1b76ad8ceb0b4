import { z } from 'zod';
import { fitsCurrency } from './programme.money.ts';
import {
  ACTIVITY_TYPES,
  CURRENCIES,
  EOI_STATUSES,
  PARTICIPANT_ROLES,
  WCO_REGIONS,
} from './programme.vocab.ts';

// The programme API's contracts (shared with the UI). Money is a decimal string with its
// currency, never a JSON number (docs/adr/0028).

export const IdParam = z.object({ id: z.uuid() }).strict();

export const Text = (max: number) => z.string().trim().min(1).max(max);
const LongText = (max: number) => z.string().trim().max(max);
const day = z.iso.date();
const version = z.number().int().min(1);
export const Region = z.enum(WCO_REGIONS);

export const CurrencyCode = z.enum(CURRENCIES);

/** An amount as a decimal string in a currency of the closed list, with no more decimals than it has. */
export const Money = z
  .object({
    amount: z.string().regex(/^\d{1,15}(\.\d{1,3})?$/, 'a decimal amount such as 12500.00'),
    currency: CurrencyCode,
  })
  .strict()
  .refine((m) => fitsCurrency(m.amount, m.currency), {
    message: 'More decimals than the currency has',
    path: ['amount'],
  });
export type MoneyT = z.infer<typeof Money>;
/** Money above zero: an agreement's amount, a disbursement. */
const PositiveMoney = Money.refine((m) => /[1-9]/.test(m.amount), {
  message: 'An amount above zero',
  path: ['amount'],
});
/** Money as the server answers it (always with the currency's decimals). */
export const MoneyOut = z.object({ amount: z.string(), currency: CurrencyCode });

const periodOk = (p: { startsOn: string; endsOn: string }) => p.startsOn <= p.endsOn;
/** Ids given once each: the same donor or partner twice would be stored, counted and charged twice. */
const UniqueIds = (max: number, what: string) =>
  z
    .array(z.uuid())
    .max(max)
    .refine((ids) => new Set(ids).size === ids.length, { message: `Each ${what} is named once` });
const periodMsg = { message: 'The period ends before it starts', path: ['endsOn'] };

// ---- expressions of interest ----------------------------------------------------------------

export const Priority = z.object({ factor: z.number().int().min(1).max(10), note: LongText(2000) }).strict();

export const EoiInput = z
  .object({
    headName: Text(200),
    headTitle: Text(200),
    endorsedOn: day,
    priorities: z
      .array(Priority)
      .min(1)
      .max(10)
      .refine((l) => new Set(l.map((p) => p.factor)).size === l.length, {
        message: 'Each factor appears once',
      }),
    initiatives: LongText(20_000).default(''),
    contactName: Text(200),
    contactEmail: z.email().max(320),
    contactPhone: z.string().trim().max(50).nullable().default(null),
  })
  .strict();
export type EoiInputT = z.infer<typeof EoiInput>;

export const EoiEvent = z.object({
  from: z.enum(EOI_STATUSES),
  to: z.enum(EOI_STATUSES),
  reason: z.string(),
  decidedOn: day,
  at: z.iso.datetime(),
});
export type EoiEventT = z.infer<typeof EoiEvent>;

export const Eoi = z.object({
  id: z.uuid(),
  organisation: z.string(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  headName: z.string(),
  headTitle: z.string(),
  endorsedOn: day,
  priorities: z.array(Priority),
  initiatives: z.string(),
  contactName: z.string(),
  contactEmail: z.string(),
  contactPhone: z.string().nullable(),
  submittedAt: z.iso.datetime(),
  status: z.enum(EOI_STATUSES),
  estimatedCost: MoneyOut.nullable(),
  events: z.array(EoiEvent),
  /** The pipeline state's version (1 while received): send it with a transition. */
  version: z.number().int(),
});
export type EoiT = z.infer<typeof Eoi>;

export const PartnershipInput = z
  .object({
    startsOn: day,
    endsOn: day,
    donorIds: UniqueIds(20, 'donor').default([]),
    coordinatorName: Text(200),
    coordinatorEmail: z.email().max(320),
  })
  .strict()
  .refine(periodOk, periodMsg);

export const TransitionInput = z
  .object({
    version,
    to: z.enum(EOI_STATUSES),
    reason: Text(4000),
    decidedOn: day,
    /** Required to make an EOI eligible: what supporting it would cost. */
    estimatedCost: Money.optional(),
    /** Required to make it a partner: the partnership agreed. */
    partnership: PartnershipInput.optional(),
  })
  .strict();
export type TransitionInputT = z.infer<typeof TransitionInput>;

export const Pipeline = z.object({
  counts: z.record(z.enum(EOI_STATUSES), z.number().int()),
  items: z.array(Eoi),
});

/** What an administration sees of the programme: its own EOIs, partnership and activities. */
export const Mine = z.object({
  eois: z.array(Eoi),
  partnerships: z.lazy(() => z.array(Partnership)),
  activities: z.lazy(() => z.array(Activity)),
});

// ---- donors, agreements, rates ----------------------------------------------------------------

export const DonorInput = z
  .object({ name: Text(200), organisationId: z.uuid().nullable().default(null) })
  .strict();
export const Donor = z.object({
  id: z.uuid(),
  name: z.string(),
  organisationId: z.uuid().nullable(),
  version: z.number().int(),
});
export type DonorT = z.infer<typeof Donor>;
/** A donor's corrected name or donor organisation, at the version read (409 otherwise). */
export const DonorUpdate = z
  .object({ version, name: Text(200).optional(), organisationId: z.uuid().nullable().optional() })
  .strict();
export type DonorUpdateT = z.infer<typeof DonorUpdate>;
export const DonorOrganisation = z.object({ id: z.uuid(), name: z.string() });

const earmarkMsg = { message: 'Earmark by region or by partner, not both', path: ['earmarkPartnershipId'] };

export const AgreementInput = z
  .object({
    donorId: z.uuid(),
    reference: Text(200),
    amount: PositiveMoney,
    startsOn: day,
    endsOn: day,
    earmarkRegion: Region.nullable().default(null),
    earmarkPartnershipId: z.uuid().nullable().default(null),
  })
  .strict()
  .refine(periodOk, periodMsg)
  .refine((a) => !(a.earmarkRegion && a.earmarkPartnershipId), earmarkMsg);
export type AgreementInputT = z.infer<typeof AgreementInput>;

/**
 * A correction of an agreement at the version read (409 otherwise): any of its fields. The
 * agreement it would become is checked as a new one (period, one earmark, known donor and partner).
 */
export const AgreementUpdate = z
  .object({
    version,
    donorId: z.uuid().optional(),
    reference: Text(200).optional(),
    amount: PositiveMoney.optional(),
    startsOn: day.optional(),
    endsOn: day.optional(),
    earmarkRegion: Region.nullable().optional(),
    earmarkPartnershipId: z.uuid().nullable().optional(),
  })
  .strict()
  .refine((a) => !a.startsOn || !a.endsOn || a.startsOn <= a.endsOn, periodMsg)
  .refine((a) => !(a.earmarkRegion && a.earmarkPartnershipId), earmarkMsg);
export type AgreementUpdateT = z.infer<typeof AgreementUpdate>;

export const Disbursement = z.object({
  id: z.uuid(),
  receivedOn: day,
  amount: MoneyOut,
});
export const DisbursementInput = z.object({ receivedOn: day, amount: PositiveMoney }).strict();

export const Agreement = z.object({
  id: z.uuid(),
  donorId: z.uuid(),
  donorName: z.string(),
  reference: z.string(),
  amount: MoneyOut,
  startsOn: day,
  endsOn: day,
  earmarkRegion: z.string().nullable(),
  earmarkPartnershipId: z.uuid().nullable(),
  /** The earmarked partner's administration, when the caller may read that partnership. */
  earmarkPartner: z.string().nullable(),
  disbursed: MoneyOut,
  /** Cost lines charged to it, per currency. */
  spent: z.array(MoneyOut),
  disbursements: z.array(Disbursement),
  version: z.number().int(),
});
export type AgreementT = z.infer<typeof Agreement>;

const RateValue = z.string().regex(/^\d{1,12}(\.\d{1,10})?$/, 'a decimal rate such as 1.0825');
const twoCurrencies = { message: 'A rate joins two different currencies', path: ['to'] };
const ratePositive = { message: 'A rate is positive', path: ['rate'] };
export const RateInput = z
  .object({ from: CurrencyCode, to: CurrencyCode, rate: RateValue, asOf: day })
  .strict()
  .refine((r) => r.from !== r.to, twoCurrencies)
  .refine((r) => /[1-9]/.test(r.rate), ratePositive);
/** A mistyped rate corrected at the version read (409 otherwise): any of its four fields. */
export const RateUpdate = z
  .object({
    version,
    from: CurrencyCode.optional(),
    to: CurrencyCode.optional(),
    rate: RateValue.optional(),
    asOf: day.optional(),
  })
  .strict()
  .refine((r) => !r.from || r.from !== r.to, twoCurrencies)
  .refine((r) => r.rate === undefined || /[1-9]/.test(r.rate), ratePositive);
export type RateUpdateT = z.infer<typeof RateUpdate>;
export const Rate = z.object({
  id: z.uuid(),
  from: CurrencyCode,
  to: CurrencyCode,
  rate: z.string(),
  asOf: day,
  version: z.number().int(),
});

export const GapQuery = z.object({ currency: CurrencyCode.default('EUR'), asOf: day.optional() }).strict();
export const GapRow = z.object({
  /** A WCO region, or null for funds not earmarked to any region. */
  region: z.string().nullable(),
  demand: z.string(),
  available: z.string(),
  gap: z.string(),
});
export const FundingGap = z.object({
  currency: CurrencyCode,
  asOf: day,
  rows: z.array(GapRow),
  total: GapRow,
  rates: z.array(
    z.object({ from: CurrencyCode, to: CurrencyCode, rate: z.string(), asOf: day, inverse: z.boolean() }),
  ),
});
export type FundingGapT = z.infer<typeof FundingGap>;

// ---- partnerships and activities ----------------------------------------------------------------

export const Partnership = z.object({
  id: z.uuid(),
  eoiId: z.uuid(),
  organisation: z.string(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  startsOn: day,
  endsOn: day,
  donorIds: z.array(z.uuid()),
  coordinatorName: z.string(),
  coordinatorEmail: z.string(),
  version: z.number().int(),
});
export type PartnershipT = z.infer<typeof Partnership>;

export const PartnershipUpdate = z
  .object({
    version,
    startsOn: day.optional(),
    endsOn: day.optional(),
    donorIds: UniqueIds(20, 'donor').optional(),
    coordinatorName: Text(200).optional(),
    coordinatorEmail: z.email().max(320).optional(),
    /** Gone (docs/adr/0028, "One list of benchmarks"): any value is a 400 pointing to the plan. */
    benchmarks: z
      .never({
        error:
          "A partnership's benchmarks are part of its multi-annual plan now: save them with PUT /api/programme/partnerships/{id}/plan",
      })
      .optional(),
  })
  .strict();
export type PartnershipUpdateT = z.infer<typeof PartnershipUpdate>;

export const ParticipantsInput = z
  .object({
    role: z.enum(PARTICIPANT_ROLES),
    women: z.number().int().min(0).max(100_000),
    men: z.number().int().min(0).max(100_000),
  })
  .strict();

export const CostInput = z.object({ label: Text(300), agreementId: z.uuid(), amount: Money }).strict();

/**
 * An explicit share of an activity's costs for one of its partnerships: a percentage (the shares
 * sum to 100) or an amount (in the cost lines' one currency, summing to their total). Without
 * shares, costs are split equally.
 */
export const CostShareInput = z.union([
  z
    .object({
      partnershipId: z.uuid(),
      percent: z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'a percentage such as 40 or 33.33'),
    })
    .strict(),
  z.object({ partnershipId: z.uuid(), amount: Money }).strict(),
]);
export const CostShareOut = z.union([
  z.object({ partnershipId: z.uuid(), percent: z.string() }),
  z.object({ partnershipId: z.uuid(), amount: MoneyOut }),
]);

// An activity's fields, each as given (no defaults): creation fills the absent lists and texts,
// an edit changes only the fields it names.
const activityFields = {
  type: z.enum(ACTIVITY_TYPES),
  title: Text(300),
  startsOn: day,
  endsOn: day,
  partnershipIds: UniqueIds(50, 'partner'),
  experts: z.array(Text(200)).max(50),
  participants: z.array(ParticipantsInput).max(10),
  costs: z.array(CostInput).max(100),
  /** Explicit cost shares between the partnerships (all of them, one kind); null: equal split. */
  costShares: z.array(CostShareInput).max(50).nullable(),
  outputs: LongText(20_000),
  report: LongText(20_000),
};

export const ActivityInput = z
  .object({
    ...activityFields,
    partnershipIds: activityFields.partnershipIds.default([]),
    experts: activityFields.experts.default([]),
    participants: activityFields.participants.default([]),
    costs: activityFields.costs.default([]),
    costShares: activityFields.costShares.default(null),
    outputs: activityFields.outputs.default(''),
    report: activityFields.report.default(''),
  })
  .strict()
  .refine(periodOk, periodMsg);
export type ActivityInputT = z.infer<typeof ActivityInput>;

/**
 * An edit of an activity at the version read: any of its fields; `costs` replaces all its cost
 * lines. The result is checked as a new activity would be (period, partners, agreements, shares).
 */
export const ActivityUpdate = z
  .object(activityFields)
  .partial()
  .extend({ version })
  .strict()
  .refine((a) => !a.startsOn || !a.endsOn || a.startsOn <= a.endsOn, periodMsg);
export type ActivityUpdateT = z.infer<typeof ActivityUpdate>;

export const Activity = z.object({
  id: z.uuid(),
  type: z.enum(ACTIVITY_TYPES),
  title: z.string(),
  startsOn: day,
  endsOn: day,
  partnershipIds: z.array(z.uuid()),
  /** The partners' names (those the caller may read). */
  partners: z.array(z.string()),
  experts: z.array(z.string()),
  participants: z.array(z.object({ role: z.string(), women: z.number().int(), men: z.number().int() })),
  /** Cost lines the caller may read (a donor: those charged to its agreements). */
  costs: z.array(z.object({ label: z.string(), agreementId: z.uuid(), amount: MoneyOut })),
  /** The explicit cost shares between the partnerships; null: split equally. */
  costShares: z.array(CostShareOut).nullable(),
  outputs: z.string(),
  report: z.string(),
  version: z.number().int(),
});
export type ActivityT = z.infer<typeof Activity>;

/**
 * The Secretariat's results by RAD key factor: the demand (requests naming the factor among their
 * priorities, declined ones left out) and the partners' indicators read from that factor's score.
 */
export const FactorResults = z.object({
  items: z.array(
    z.object({
      factor: z.number().int().min(1).max(10),
      requests: z.number().int(),
      indicators: z.number().int(),
      /** Indicators with a latest figure (the partner shares its scores and has a validated assessment). */
      measured: z.number().int(),
      /** Of the measured: the latest figure moved from the baseline in the indicator's direction, or reached its target. */
      onTrack: z.number().int(),
    }),
  ),
});
export type FactorResultsT = z.infer<typeof FactorResults>;

/** A donor's dashboard: only what it funds. */
export const DonorDashboard = z.object({
  donors: z.array(Donor),
  agreements: z.array(Agreement),
  partnerships: z.array(Partnership),
  activities: z.array(Activity),
});

/** A donor's report for a period (what it funds, in the user's language): a table (XLSX, CSV) or
 *  a document (PDF, or its print-ready HTML page; programme.report.ts). */
export const DonorReportQuery = z
  .object({
    from: day,
    to: day,
    format: z.enum(['xlsx', 'csv', 'pdf', 'html']).default('xlsx'),
    /** The value-for-money sheet's reporting currency (converted as of `to`). */
    currency: CurrencyCode.default('EUR'),
    /** CSV holds one table: the report, or its value-for-money sheet. */
    part: z.enum(['report', 'value_for_money']).default('report'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'The period ends before it starts', path: ['to'] });
export type DonorReportQueryT = z.infer<typeof DonorReportQuery>;
