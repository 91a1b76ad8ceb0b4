import { z } from 'zod';
import { POSTING_REASONS, TENURE_STATUSES, VULNERABILITY } from './postings.vocab.ts';

// The postings API's contracts (shared with the UI: src/modules/postings/ui/types.ts).

export const IdParam = z.object({ id: z.uuid() }).strict();
const Day = z.iso.date();
/** Months: a tenure or cooling-off of more than 40 years is not a rule. */
const Months = z.number().int().min(1).max(480);

export const Rules = z.object({
  enabled: z.boolean(),
  alertDays: z.number().int(),
  version: z.number().int(),
});
export type Rules = z.infer<typeof Rules>;
export const RulesInput = z
  .object({
    enabled: z.boolean(),
    alertDays: z.number().int().min(1).max(730),
    version: z.number().int().min(0),
  })
  .strict();

export const PositionInput = z
  .object({
    orgUnitId: z.uuid().nullable().optional(),
    title: z.string().trim().min(1).max(200),
    function: z.string().trim().max(500).optional(),
    vulnerability: z.enum(VULNERABILITY),
    riskIds: z.array(z.uuid()).max(50).optional(),
    maxTenureMonths: Months.nullable().optional(),
    coolingOffMonths: Months.nullable().optional(),
  })
  .strict();
export const UpdatePositionInput = PositionInput.partial()
  .extend({ archived: z.boolean().optional(), version: z.number().int().min(1) })
  .strict();

export const Position = z.object({
  id: z.uuid(),
  orgUnitId: z.uuid().nullable(),
  unit: z.string().nullable(),
  title: z.string(),
  function: z.string(),
  vulnerability: z.enum(VULNERABILITY),
  riskIds: z.array(z.uuid()),
  /** The highest residual level among the linked risks of the risk map, if any. */
  riskLevel: z.object({ label: z.string(), color: z.string(), score: z.number() }).nullable(),
  maxTenureMonths: z.number().nullable(),
  coolingOffMonths: z.number().nullable(),
  archived: z.boolean(),
  holders: z.array(z.object({ userId: z.uuid(), name: z.string() })),
  version: z.number().int(),
});
export type Position = z.infer<typeof Position>;

export const PostingQuery = z
  .object({ userId: z.uuid().optional(), positionId: z.uuid().optional() })
  .strict();

export const PostingInput = z
  .object({
    userId: z.uuid(),
    positionId: z.uuid(),
    startDate: Day,
    endDate: Day.nullable().optional(),
    reason: z.enum(POSTING_REASONS),
    /** Posting someone back within the cooling-off period needs a reason (recorded, audited). */
    overrideReason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict()
  .refine((v) => !v.endDate || v.endDate >= v.startDate, {
    path: ['endDate'],
    message: 'Ends before it starts',
  });

export const UpdatePostingInput = z
  .object({
    endDate: Day.nullable().optional(),
    reason: z.enum(POSTING_REASONS).optional(),
    version: z.number().int().min(1),
  })
  .strict();

export const Posting = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  positionId: z.uuid(),
  position: z.string(),
  unit: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  reason: z.enum(POSTING_REASONS),
  overrideReason: z.string().nullable(),
  /** Whole months served (to the end date, or today). */
  months: z.number(),
  /** Start + the position's maximum tenure, if it has one. */
  tenureEnd: z.string().nullable(),
  version: z.number().int(),
});
export type Posting = z.infer<typeof Posting>;

export const PlanItem = z.object({
  postingId: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  positionId: z.uuid(),
  position: z.string(),
  unit: z.string().nullable(),
  vulnerability: z.enum(VULNERABILITY),
  startDate: z.string(),
  tenureEnd: z.string(),
  status: z.enum(TENURE_STATUSES),
});
export const Plan = z.object({
  enabled: z.boolean(),
  alertDays: z.number(),
  items: z.array(PlanItem),
  /** Moves due per month (YYYY-MM), from the earliest overdue to 24 months ahead. */
  byMonth: z.array(z.object({ month: z.string(), count: z.number() })),
});
export type Plan = z.infer<typeof Plan>;
