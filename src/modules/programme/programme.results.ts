import { and, asc, count, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Router } from '../../platform/http/route.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { ActionPlansApi, type KpiSeries } from '../action-plans/index.ts';
import { AssessmentsApi } from '../assessments/index.ts';
import { CasesApi } from '../cases/index.ts';
import { SurveysApi } from '../surveys/index.ts';
import { Directory } from '../identity/index.ts';
import { deleteVersioned, updateVersioned } from '../../platform/db/versioned.ts';
import { IdParam, Text } from './programme.contract.ts';
import { P } from './programme.permissions.ts';
import { figure, scaled } from './programme.money.ts';
import { asTenant, consentStatus, Figure, type Scope } from './programme.evidence.ts';
import { PlanService, planRoutes } from './programme.plan.ts';
import * as q from './programme.queries.ts';
import {
  CASE_MEASURES,
  CONSENT_SCOPES,
  INDICATOR_DIRECTIONS,
  INDICATOR_LINKS,
  programmeActivityOutputs,
  programmeActuals,
  programmeConsents,
  programmeEvaluations,
  programmeIndicators,
  programmeResults,
  RESULT_LEVELS,
} from './programme.schema.ts';
import { DAC_CRITERIA, DAC_RATINGS } from './programme.vocab.ts';

// The results framework of a partnership (docs/adr/0028, "Results framework"): outcomes →
// outputs → indicators, each with actuals per period. An actual is entered by the Secretariat,
// or read live from evidence in the partner administration's own tenant while the administration
// consents to share that kind of evidence: its latest validated RAD self-assessment (one factor's
// score; consent scope rad_scores), or the value series of one of its action-plan KPIs (by code,
// one actual per period end; consent scope kpis), its closed perception surveys' index or one factor's
// score (one actual per closed survey; scope survey_index), or its case statistics (cases closed or
// substantiated per year; scope case_statistics) — each module's own suppression applied.

// ---- contracts -------------------------------------------------------------------------------------

export const ResultInput = z
  .object({ level: z.enum(RESULT_LEVELS), parentId: z.uuid().nullable().optional(), title: Text(500) })
  .strict();
/** An outcome's or output's new title, at the version the caller read (409 otherwise). */
export const ResultUpdate = z.object({ version: z.number().int().min(1), title: Text(500) }).strict();
/** A delete names the version the caller read (409 otherwise). */
export const VersionQuery = z.object({ version: z.coerce.number().int().min(1) }).strict();
const LinkInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rad_factor'), factor: z.number().int().min(1).max(10) }).strict(),
  /** A KPI of the partner's action plans, by its code (as action-plans writes codes). */
  z
    .object({
      kind: z.literal('kpi'),
      code: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a KPI code: letters, digits, dot, dash'),
    })
    .strict(),
  /** The partner's closed perception surveys: one RAD factor's score, or (factor null) the index. */
  z.object({ kind: z.literal('survey_index'), factor: z.number().int().min(1).max(10).nullable() }).strict(),
  /** The partner's cases closed, or closed as substantiated, per year. */
  z.object({ kind: z.literal('case_statistics'), measure: z.enum(CASE_MEASURES) }).strict(),
]);
const Link = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rad_factor'), factor: z.number() }),
  z.object({ kind: z.literal('kpi'), code: z.string() }),
  z.object({ kind: z.literal('survey_index'), factor: z.number().nullable() }),
  z.object({ kind: z.literal('case_statistics'), measure: z.enum(CASE_MEASURES) }),
]);
/**
 * A rising indicator aims above its baseline, a falling one below it (the target may equal the
 * baseline: "hold the level"). A target on the wrong side would make "on track" and the cost per
 * unit of change contradict each other (value for money reads progress in the direction).
 */
export function targetSideOk(i: { baseline: string; target: string; direction: string }): boolean {
  const [b, t] = [scaled(i.baseline, 4), scaled(i.target, 4)];
  return i.direction === 'increase' ? t >= b : t <= b;
}
const TARGET_SIDE =
  'The target of a rising indicator is at or above its baseline; of a falling one, at or below it';

export const IndicatorInput = z
  .object({
    resultId: z.uuid(),
    name: Text(300),
    unit: Text(60),
    baseline: Figure,
    target: Figure,
    direction: z.enum(INDICATOR_DIRECTIONS),
    /** Read the actuals from the partner's evidence: a RAD factor's score, or a KPI's series. */
    link: LinkInput.nullable().optional(),
  })
  .strict()
  .refine((i) => targetSideOk(i), { path: ['target'], message: TARGET_SIDE });
/** An indicator's changes, at the version the caller read (409 otherwise); `link: null` unlinks it. */
export const IndicatorUpdate = z
  .object({
    version: z.number().int().min(1),
    name: Text(300).optional(),
    unit: Text(60).optional(),
    baseline: Figure.optional(),
    target: Figure.optional(),
    direction: z.enum(INDICATOR_DIRECTIONS).optional(),
    link: LinkInput.nullable().optional(),
  })
  .strict();
export const IndicatorUpdated = z.object({ id: z.uuid(), version: z.number().int() });
/** What a versioned edit answers: the record and its new version. */
export const Updated = IndicatorUpdated;
export const ActualInput = z
  .object({ periodLabel: Text(60), periodStart: z.iso.date(), periodEnd: z.iso.date(), value: Figure })
  .strict()
  .refine((a) => a.periodStart <= a.periodEnd, { path: ['periodEnd'], message: 'ends before it starts' });
/** A correction of an entered actual: any of its fields, at the version the caller read. */
export const ActualUpdate = z
  .object({
    version: z.number().int().min(1),
    periodLabel: Text(60).optional(),
    periodStart: z.iso.date().optional(),
    periodEnd: z.iso.date().optional(),
    value: Figure.optional(),
  })
  .strict()
  .refine((a) => !a.periodStart || !a.periodEnd || a.periodStart <= a.periodEnd, {
    path: ['periodEnd'],
    message: 'ends before it starts',
  });
export const EvaluationInput = z
  .object({
    title: Text(300),
    evaluator: Text(200),
    evaluatedOn: z.iso.date(),
    criteria: z
      .array(
        z
          .object({
            criterion: z.enum(DAC_CRITERIA),
            rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
            findings: Text(20000),
          })
          .strict(),
      )
      .length(DAC_CRITERIA.length),
  })
  .strict()
  .refine((e) => new Set(e.criteria.map((c) => c.criterion)).size === DAC_CRITERIA.length, {
    path: ['criteria'],
    message: 'each of the six OECD-DAC criteria once',
  });
export const Evaluation = z.object({
  id: z.uuid(),
  title: z.string(),
  evaluator: z.string(),
  evaluatedOn: z.string(),
  criteria: z.array(
    z.object({
      criterion: z.enum(DAC_CRITERIA),
      rating: z.number(),
      /** The rating's name: unsatisfactory … highly_satisfactory. */
      ratingName: z.enum(DAC_RATINGS),
      findings: z.string(),
    }),
  ),
});
/**
 * Without a scope: the RAD scores (the first kind of evidence shared). Scope action_plan names the
 * Integrity Action Plan shared (planId); sharing another one replaces it.
 */
export const ConsentInput = z
  .object({ share: z.boolean(), scope: z.enum(CONSENT_SCOPES).optional(), planId: z.uuid().optional() })
  .strict();
export const ConsentQuery = z.object({ scope: z.enum(CONSENT_SCOPES).optional() }).strict();

export const Consent = z.object({
  scope: z.enum(CONSENT_SCOPES),
  active: z.boolean(),
  grantedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Scope action_plan: the plan shared (while active) or last shared. */
  planId: z.uuid().nullable(),
});
const LINK_STATUSES = [
  'ok',
  'no_consent',
  'consent_withdrawn',
  'no_assessment',
  'no_kpi',
  'no_survey',
  'no_cases',
  /** The partner's module hides this figure (a survey group or a count under its threshold). */
  'suppressed',
] as const;
/** Where a linked figure comes from: the validated assessment, or the KPI. */
const Evidence = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('rad_factor'),
    assessmentId: z.uuid(),
    title: z.string(),
    validatedAt: z.string(),
  }),
  z.object({ kind: z.literal('kpi'), kpiId: z.uuid(), code: z.string(), name: z.string(), unit: z.string() }),
  z.object({
    kind: z.literal('survey_index'),
    surveyId: z.uuid(),
    name: z.string(),
    closedOn: z.string(),
    /** Respondents (null when under the survey's threshold). */
    respondents: z.number().nullable(),
  }),
  z.object({ kind: z.literal('case_statistics'), year: z.number().int(), measure: z.enum(CASE_MEASURES) }),
]);
export const Actual = z.object({
  /** An entered actual's id and version (to correct or delete it); null for a linked figure. */
  id: z.uuid().nullable(),
  version: z.number().int().nullable(),
  periodLabel: z.string(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  value: z.string().nullable(),
  source: z.enum(['entered', ...INDICATOR_LINKS]),
  /** For a linked actual: whether a figure could be read, and from which evidence. */
  status: z.enum(LINK_STATUSES),
  evidence: Evidence.nullable(),
});
export const Indicator = z.object({
  id: z.uuid(),
  name: z.string(),
  unit: z.string(),
  baseline: z.string(),
  target: z.string(),
  direction: z.enum(INDICATOR_DIRECTIONS),
  link: Link.nullable(),
  actuals: z.array(Actual),
  /** The latest actual (last entered period, or the live linked figure). */
  latest: Actual.nullable(),
  version: z.number().int(),
});
export const Output = z.object({
  id: z.uuid(),
  title: z.string(),
  indicators: z.array(Indicator),
  version: z.number().int(),
});
export const Outcome = Output.extend({ outputs: z.array(Output) });
export const Results = z.object({
  partnershipId: z.uuid(),
  organisation: z.string(),
  outcomes: z.array(Outcome),
  evaluations: z.array(Evaluation),
});
export const Created = z.object({ id: z.uuid() });

type IndicatorT = z.infer<typeof Indicator>;
type ActualT = z.infer<typeof Actual>;

const unprocessable = (m: string) => new AppError('UNPROCESSABLE', m);
const directory = new Directory();

type LinkStatus = (typeof LINK_STATUSES)[number];
/** What the partner's tenant shows under its consents: its latest validated RAD self-assessment, its KPIs. */
interface PartnerEvidence {
  rad: {
    status: LinkStatus;
    assessment: { id: string; title: string; validatedAt: Date; factors: Map<number, number | null> } | null;
  };
  kpis: { status: LinkStatus; series: Map<string, KpiSeries> };
  surveys: { status: LinkStatus; list: Awaited<ReturnType<SurveysApi['closedIndexes']>> };
  cases: { status: LinkStatus; years: Awaited<ReturnType<CasesApi['closedByYear']>> };
}

/** An indicator's link as its columns hold it. */
const linkColumns = (link: z.infer<typeof LinkInput> | null) => ({
  link: link ? link.kind : null,
  linkFactor: link?.kind === 'rad_factor' || link?.kind === 'survey_index' ? link.factor : null,
  linkKpi: link?.kind === 'kpi' ? link.code : null,
  linkMeasure: link?.kind === 'case_statistics' ? link.measure : null,
});

// ---- service ---------------------------------------------------------------------------------------

export class ResultsService {
  private readonly assessments: AssessmentsApi;
  private readonly actionPlans: ActionPlansApi;
  private readonly surveys: SurveysApi;
  private readonly cases: CasesApi;
  constructor(readonly k: Kernel) {
    this.assessments = new AssessmentsApi(k);
    this.actionPlans = new ActionPlansApi(k);
    this.surveys = new SurveysApi(k);
    this.cases = new CasesApi(k);
  }

  /** The tree of one partnership, as far as the caller can read the partnership (RLS decides). */
  async results(tx: TenantTx, partnershipId: string): Promise<z.infer<typeof Results>> {
    const p = await q.findPartnership(tx, partnershipId);
    if (!p) throw notFound('partnership');
    const [results, indicators, actuals, evaluations] = await Promise.all([
      tx
        .select()
        .from(programmeResults)
        .where(eq(programmeResults.partnershipId, p.id))
        .orderBy(asc(programmeResults.createdAt)),
      tx
        .select()
        .from(programmeIndicators)
        .where(eq(programmeIndicators.partnershipId, p.id))
        .orderBy(asc(programmeIndicators.createdAt)),
      tx
        .select()
        .from(programmeActuals)
        .where(eq(programmeActuals.partnershipId, p.id))
        .orderBy(asc(programmeActuals.periodStart), asc(programmeActuals.periodEnd)),
      tx
        .select()
        .from(programmeEvaluations)
        .where(eq(programmeEvaluations.partnershipId, p.id))
        .orderBy(asc(programmeEvaluations.evaluatedOn), asc(programmeEvaluations.createdAt)),
    ]);
    const kpiCodes = [...new Set(indicators.flatMap((i) => (i.linkKpi ? [i.linkKpi] : [])))];
    const evidence = indicators.some((i) => i.link)
      ? await this.evidence(tx, p.administrationId, {
          rad: indicators.some((i) => i.link === 'rad_factor'),
          kpiCodes,
          surveys: indicators.some((i) => i.link === 'survey_index'),
          cases: indicators.some((i) => i.link === 'case_statistics'),
        })
      : null;
    /** A linked indicator's one row when no figure can be read, saying why. */
    const unread = (source: (typeof INDICATOR_LINKS)[number], status: LinkStatus): ActualT => ({
      id: null,
      version: null,
      periodLabel: '',
      periodStart: null,
      periodEnd: null,
      value: null,
      source,
      status,
      evidence: null,
    });
    const indicatorView = (i: (typeof indicators)[number]): IndicatorT => {
      let list: ActualT[];
      if (i.link === 'rad_factor') {
        const rad = evidence?.rad;
        const a = rad?.assessment;
        const score = a?.factors.get(i.linkFactor!) ?? null;
        list = [
          {
            id: null,
            version: null,
            periodLabel: a ? a.title : '',
            periodStart: null,
            periodEnd: a ? a.validatedAt.toISOString().slice(0, 10) : null,
            value: rad?.status === 'ok' && score !== null ? figure(String(score)) : null,
            source: 'rad_factor',
            status: rad?.status ?? 'no_consent',
            evidence:
              rad?.status === 'ok' && a
                ? {
                    kind: 'rad_factor',
                    assessmentId: a.id,
                    title: a.title,
                    validatedAt: a.validatedAt.toISOString(),
                  }
                : null,
          },
        ];
      } else if (i.link === 'kpi') {
        // One actual per period end of the KPI's series, read live: a value recorded later shows.
        const kpis = evidence?.kpis;
        const k = kpis?.status === 'ok' ? kpis.series.get(i.linkKpi!) : undefined;
        list = k?.values.length
          ? k.values.map((v) => ({
              id: null,
              version: null,
              periodLabel: v.periodEnd,
              periodStart: null,
              periodEnd: v.periodEnd,
              value: figure(v.value.toFixed(4)),
              source: 'kpi' as const,
              status: 'ok' as const,
              evidence: { kind: 'kpi' as const, kpiId: k.id, code: k.code, name: k.name, unit: k.unit },
            }))
          : [unread('kpi', kpis?.status === 'ok' ? 'no_kpi' : (kpis?.status ?? 'no_consent'))];
      } else if (i.link === 'survey_index') {
        // One actual per closed survey: the index, or one factor's score; a suppressed one says so.
        const sv = evidence?.surveys;
        const ok = sv?.status === 'ok';
        list =
          ok && sv.list.length
            ? sv.list.map((x) => {
                const score = i.linkFactor
                  ? (x.factors.find((f) => f.factor === i.linkFactor)?.score ?? null)
                  : x.index;
                return {
                  id: null,
                  version: null,
                  periodLabel: x.name,
                  periodStart: null,
                  periodEnd: x.closedOn,
                  value: score === null ? null : figure(score.toFixed(4)),
                  source: 'survey_index' as const,
                  status: score === null ? ('suppressed' as const) : ('ok' as const),
                  evidence: {
                    kind: 'survey_index' as const,
                    surveyId: x.surveyId,
                    name: x.name,
                    closedOn: x.closedOn,
                    respondents: x.total,
                  },
                };
              })
            : [unread('survey_index', ok ? 'no_survey' : (sv?.status ?? 'no_consent'))];
      } else if (i.link === 'case_statistics') {
        // One actual per calendar year of closure; a count under the cases module's threshold is hidden.
        const cs = evidence?.cases;
        const ok = cs?.status === 'ok';
        const measure = i.linkMeasure!;
        list =
          ok && cs.years.length
            ? cs.years.map((y) => {
                const n = y[measure];
                return {
                  id: null,
                  version: null,
                  periodLabel: String(y.year),
                  periodStart: `${y.year}-01-01`,
                  periodEnd: `${y.year}-12-31`,
                  value: n === null ? null : figure(String(n)),
                  source: 'case_statistics' as const,
                  status: n === null ? ('suppressed' as const) : ('ok' as const),
                  evidence: { kind: 'case_statistics' as const, year: y.year, measure },
                };
              })
            : [unread('case_statistics', ok ? 'no_cases' : (cs?.status ?? 'no_consent'))];
      } else {
        list = actuals
          .filter((x) => x.indicatorId === i.id)
          .map((x) => ({
            id: x.id,
            version: x.version,
            periodLabel: x.periodLabel,
            periodStart: x.periodStart,
            periodEnd: x.periodEnd,
            value: figure(x.value),
            source: 'entered' as const,
            status: 'ok' as const,
            evidence: null,
          }));
      }
      return {
        id: i.id,
        name: i.name,
        unit: i.unit,
        baseline: figure(i.baseline),
        target: figure(i.target),
        direction: i.direction,
        link:
          i.link === 'rad_factor'
            ? { kind: 'rad_factor', factor: i.linkFactor! }
            : i.link === 'kpi'
              ? { kind: 'kpi', code: i.linkKpi! }
              : i.link === 'survey_index'
                ? { kind: 'survey_index', factor: i.linkFactor }
                : i.link === 'case_statistics'
                  ? { kind: 'case_statistics', measure: i.linkMeasure! }
                  : null,
        actuals: list,
        latest: list.at(-1) ?? null,
        version: i.version,
      };
    };
    const of = (resultId: string) => indicators.filter((i) => i.resultId === resultId).map(indicatorView);
    return {
      partnershipId: p.id,
      organisation: p.organisation,
      outcomes: results
        .filter((r) => r.level === 'outcome')
        .map((o) => ({
          id: o.id,
          title: o.title,
          indicators: of(o.id),
          version: o.version,
          outputs: results
            .filter((r) => r.parentId === o.id)
            .map((r) => ({ id: r.id, title: r.title, indicators: of(r.id), version: r.version })),
        })),
      evaluations: evaluations.map((e) => ({
        id: e.id,
        title: e.title,
        evaluator: e.evaluator,
        evaluatedOn: e.evaluatedOn,
        // In the criteria's own order, whatever order they were sent in.
        criteria: DAC_CRITERIA.flatMap((c) => e.criteria.filter((x) => x.criterion === c)).map((x) => ({
          ...x,
          ratingName: DAC_RATINGS[x.rating - 1]!,
        })),
      })),
    };
  }

  /**
   * The partner's evidence, read in the partner's own tenant and only under its active consent
   * for that kind of evidence (checked there, in the same transaction as the read): a revoked
   * consent reads nothing.
   */
  private evidence(
    tx: TenantTx,
    administrationId: string,
    need: { rad: boolean; kpiCodes: string[]; surveys: boolean; cases: boolean },
  ): Promise<PartnerEvidence> {
    return asTenant(tx, administrationId, async () => {
      const all = await tx
        .select()
        .from(programmeConsents)
        .where(eq(programmeConsents.tenantId, administrationId));
      const consented = (scope: Scope): LinkStatus => consentStatus(all, scope).status;
      const out: PartnerEvidence = {
        rad: { status: consented('rad_scores'), assessment: null },
        kpis: { status: consented('kpis'), series: new Map() },
        surveys: { status: consented('survey_index'), list: [] },
        cases: { status: consented('case_statistics'), years: [] },
      };
      if (need.surveys && out.surveys.status === 'ok')
        out.surveys.list = await this.surveys.closedIndexes(tx);
      if (need.cases && out.cases.status === 'ok') out.cases.years = await this.cases.closedByYear(tx);
      if (need.rad && out.rad.status === 'ok') {
        const a = await this.assessments.latestValidated(tx);
        if (!a) out.rad.status = 'no_assessment';
        else
          out.rad.assessment = {
            id: a.id,
            title: a.title,
            validatedAt: a.validatedAt,
            factors: new Map(a.factors.map((f) => [f.factor, f.score])),
          };
      }
      if (need.kpiCodes.length && out.kpis.status === 'ok')
        for (const k of await this.actionPlans.kpiSeries(tx, need.kpiCodes)) out.kpis.series.set(k.code, k);
      return out;
    });
  }

  private async ownPartnership(tx: TenantTx, id: string) {
    const p = (await q.isSecretariat(tx)) ? await q.findPartnership(tx, id) : undefined;
    if (!p) throw notFound('partnership');
    return p;
  }

  /** An indicator the Secretariat edits (elsewhere: not found, as for a partnership). */
  private async ownIndicator(tx: TenantTx, id: string) {
    const [i] = (await q.isSecretariat(tx))
      ? await tx.select().from(programmeIndicators).where(eq(programmeIndicators.id, id))
      : [];
    if (!i) throw notFound('indicator');
    return i;
  }

  /** An outcome or output the Secretariat edits (elsewhere: not found, as for a partnership). */
  private async ownResult(tx: TenantTx, id: string) {
    const [r] = (await q.isSecretariat(tx))
      ? await tx.select().from(programmeResults).where(eq(programmeResults.id, id))
      : [];
    if (!r) throw notFound('outcome or output');
    return r;
  }

  /** An entered actual the Secretariat corrects, with its indicator. */
  private async ownActual(tx: TenantTx, id: string) {
    const [a] = (await q.isSecretariat(tx))
      ? await tx.select().from(programmeActuals).where(eq(programmeActuals.id, id))
      : [];
    if (!a) throw notFound('actual');
    return { a, i: await this.ownIndicator(tx, a.indicatorId) };
  }

  async addResult(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    partnershipId: string,
    input: z.infer<typeof ResultInput>,
  ) {
    const p = await this.ownPartnership(tx, partnershipId);
    const parentId = input.parentId ?? null;
    if (input.level === 'outcome' && parentId) throw unprocessable('An outcome has no parent');
    if (input.level === 'output') {
      if (!parentId) throw unprocessable('An output belongs to an outcome (parentId)');
      const [parent] = await tx.select().from(programmeResults).where(eq(programmeResults.id, parentId));
      if (!parent || parent.partnershipId !== p.id || parent.level !== 'outcome')
        throw unprocessable(`Unknown outcome: ${parentId}`);
    }
    const [r] = await tx
      .insert(programmeResults)
      .values({ tenantId, partnershipId: p.id, parentId, level: input.level, title: input.title })
      .returning();
    await this.audit(tx, tenantId, actor, 'programme.result.created', 'programme_result', r!.id, {
      partnershipId: p.id,
      level: input.level,
    });
    return { id: r!.id };
  }

  async updateResult(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    resultId: string,
    input: z.infer<typeof ResultUpdate>,
  ) {
    const r = await this.ownResult(tx, resultId);
    const updated = await updateVersioned(tx, programmeResults, r.id, input.version, { title: input.title });
    await this.audit(tx, tenantId, actor, 'programme.result.updated', 'programme_result', r.id, {
      partnershipId: r.partnershipId,
      level: r.level,
      title: { from: r.title, to: input.title },
    });
    return { id: r.id, version: updated.version };
  }

  /**
   * Deletes an outcome (with its outputs) or an output, and their indicators, only while none of
   * it holds data: no entered actual and no activity linked to an output. Otherwise 409, saying
   * what holds it. This is the rule of results-management tools such as the EU's OPSYS logframe
   * ("the current values should be deleted first … then the indicator can be deleted"): figures
   * already reported to donors (and published in the IATI file) never vanish as a side effect of
   * tidying the structure — each is deleted on its own, with its own audit record. An empty
   * structure goes in one step: structure without data loses nothing. Linked indicators hold no
   * stored figure (theirs are read live) and go with their result.
   */
  async deleteResult(tx: TenantTx, tenantId: string, actor: Actor, resultId: string, version: number) {
    const r = await this.ownResult(tx, resultId);
    const outputs =
      r.level === 'outcome'
        ? await tx
            .select({ id: programmeResults.id })
            .from(programmeResults)
            .where(eq(programmeResults.parentId, r.id))
        : [];
    const ids = [r.id, ...outputs.map((o) => o.id)];
    const indicators = await tx
      .select({ id: programmeIndicators.id })
      .from(programmeIndicators)
      .where(inArray(programmeIndicators.resultId, ids));
    const [actuals] = indicators.length
      ? await tx
          .select({ n: count() })
          .from(programmeActuals)
          .where(
            inArray(
              programmeActuals.indicatorId,
              indicators.map((i) => i.id),
            ),
          )
      : [{ n: 0 }];
    const [activities] = await tx
      .select({ n: count() })
      .from(programmeActivityOutputs)
      .where(inArray(programmeActivityOutputs.resultId, ids));
    if (actuals!.n > 0 || activities!.n > 0)
      throw new AppError(
        'CONFLICT',
        `This ${r.level} still holds ${actuals!.n} entered actual(s) and ${activities!.n} linked activity(ies): delete the actuals and unlink the activities first`,
      );
    // Its outputs and indicators go with it (foreign keys on delete cascade).
    await deleteVersioned(tx, programmeResults, r.id, version);
    await this.audit(tx, tenantId, actor, 'programme.result.deleted', 'programme_result', r.id, {
      partnershipId: r.partnershipId,
      level: r.level,
      title: r.title,
      outputs: outputs.length,
      indicators: indicators.length,
    });
  }

  async addIndicator(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    partnershipId: string,
    input: z.infer<typeof IndicatorInput>,
  ) {
    const p = await this.ownPartnership(tx, partnershipId);
    const [r] = await tx.select().from(programmeResults).where(eq(programmeResults.id, input.resultId));
    if (!r || r.partnershipId !== p.id) throw unprocessable(`Unknown outcome or output: ${input.resultId}`);
    const [i] = await tx
      .insert(programmeIndicators)
      .values({
        tenantId,
        partnershipId: p.id,
        resultId: r.id,
        name: input.name,
        unit: input.unit,
        baseline: input.baseline,
        target: input.target,
        direction: input.direction,
        ...linkColumns(input.link ?? null),
      })
      .returning();
    await this.audit(tx, tenantId, actor, 'programme.indicator.created', 'programme_indicator', i!.id, {
      partnershipId: p.id,
      link: input.link ?? null,
    });
    return { id: i!.id };
  }

  /**
   * Edits an indicator (the Secretariat), its link to the partner's RAD factor score included.
   * Linking one that already has entered actuals is refused: a linked indicator's figures are read
   * live, and entered ones would silently disappear from the reports. Unlinking stops the live
   * figure; actuals can then be entered.
   */
  async updateIndicator(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    indicatorId: string,
    input: z.infer<typeof IndicatorUpdate>,
  ) {
    const i = await this.ownIndicator(tx, indicatorId);
    const { version, link, ...fields } = input;
    const next = {
      baseline: fields.baseline ?? i.baseline,
      target: fields.target ?? i.target,
      direction: fields.direction ?? i.direction,
    };
    const sideGiven = [fields.baseline, fields.target, fields.direction].some((v) => v !== undefined);
    if (sideGiven && !targetSideOk(next))
      throw new AppError('VALIDATION_FAILED', TARGET_SIDE, [{ path: 'target', message: TARGET_SIDE }]);
    const changes: Partial<typeof programmeIndicators.$inferInsert> = { ...fields };
    if (link !== undefined) {
      if (link) {
        const entered = await tx
          .select({ id: programmeActuals.id })
          .from(programmeActuals)
          .where(eq(programmeActuals.indicatorId, i.id))
          .limit(1);
        if (entered.length)
          throw new AppError(
            'CONFLICT',
            'This indicator has entered actuals; it cannot also be read from linked evidence',
          );
      }
      Object.assign(changes, linkColumns(link));
    }
    const updated = await updateVersioned(tx, programmeIndicators, i.id, version, changes);
    await this.audit(tx, tenantId, actor, 'programme.indicator.updated', 'programme_indicator', i.id, {
      fields: Object.keys(changes),
      ...(link !== undefined ? { link } : {}),
    });
    return { id: i.id, version: updated.version };
  }

  async addActual(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    indicatorId: string,
    input: z.infer<typeof ActualInput>,
  ) {
    const i = await this.ownIndicator(tx, indicatorId);
    if (i.link)
      throw new AppError('CONFLICT', 'This indicator is read from linked evidence; no actual is entered');
    const dup = await tx
      .select({ id: programmeActuals.id })
      .from(programmeActuals)
      .where(
        and(
          eq(programmeActuals.indicatorId, i.id),
          eq(programmeActuals.periodStart, input.periodStart),
          eq(programmeActuals.periodEnd, input.periodEnd),
        ),
      );
    if (dup.length) throw new AppError('CONFLICT', 'An actual is already entered for this period');
    const [a] = await tx
      .insert(programmeActuals)
      .values({
        tenantId,
        partnershipId: i.partnershipId,
        indicatorId: i.id,
        ...input,
        enteredBy: actor.userId,
      })
      .returning();
    await this.audit(tx, tenantId, actor, 'programme.actual.entered', 'programme_indicator', i.id, {
      actualId: a!.id,
      period: input.periodLabel,
      value: input.value,
    });
    return { id: a!.id };
  }

  /**
   * Corrects an entered actual (the Secretariat): its period or value, at the version read. A
   * period already entered for the indicator is refused as when entering one. A linked indicator's
   * figure has no row: it is corrected by changing or removing the indicator's link.
   */
  async updateActual(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    actualId: string,
    input: z.infer<typeof ActualUpdate>,
  ) {
    const { a, i } = await this.ownActual(tx, actualId);
    if (i.link)
      throw new AppError(
        'CONFLICT',
        'This indicator is read from linked evidence; change or remove its link',
      );
    const { version, ...fields } = input;
    const next = { ...a, ...fields };
    if (next.periodStart > next.periodEnd)
      throw new AppError('UNPROCESSABLE', 'The period ends before it starts', [
        { path: 'periodEnd', message: 'ends before it starts' },
      ]);
    if (next.periodStart !== a.periodStart || next.periodEnd !== a.periodEnd) {
      const dup = await tx
        .select({ id: programmeActuals.id })
        .from(programmeActuals)
        .where(
          and(
            eq(programmeActuals.indicatorId, i.id),
            eq(programmeActuals.periodStart, next.periodStart),
            eq(programmeActuals.periodEnd, next.periodEnd),
            ne(programmeActuals.id, a.id),
          ),
        );
      if (dup.length) throw new AppError('CONFLICT', 'An actual is already entered for this period');
    }
    const updated = await updateVersioned(tx, programmeActuals, a.id, version, fields);
    // Both sides as the database holds them (a value 35 and 35.0 read alike).
    const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => a[k] !== updated[k]);
    await this.audit(tx, tenantId, actor, 'programme.actual.corrected', 'programme_actual', a.id, {
      indicatorId: i.id,
      from: Object.fromEntries(changed.map((k) => [k, a[k]])),
      to: Object.fromEntries(changed.map((k) => [k, updated[k]])),
    });
    return { id: a.id, version: updated.version };
  }

  async deleteActual(tx: TenantTx, tenantId: string, actor: Actor, actualId: string, version: number) {
    const { a, i } = await this.ownActual(tx, actualId);
    await deleteVersioned(tx, programmeActuals, a.id, version);
    await this.audit(tx, tenantId, actor, 'programme.actual.deleted', 'programme_actual', a.id, {
      indicatorId: i.id,
      period: a.periodLabel,
      periodStart: a.periodStart,
      periodEnd: a.periodEnd,
      value: a.value,
    });
  }

  async addEvaluation(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    partnershipId: string,
    input: z.infer<typeof EvaluationInput>,
  ) {
    const p = await this.ownPartnership(tx, partnershipId);
    const [e] = await tx
      .insert(programmeEvaluations)
      .values({ tenantId, partnershipId: p.id, ...input, createdBy: actor.userId })
      .returning();
    await this.audit(tx, tenantId, actor, 'programme.evaluation.recorded', 'programme_evaluation', e!.id, {
      partnershipId: p.id,
      ratings: Object.fromEntries(input.criteria.map((c) => [c.criterion, c.rating])),
    });
    return { id: e!.id };
  }

  // ---- the partner administration's consent ------------------------------------------------------

  async consent(
    tx: TenantTx,
    tenantId: string,
    scope: (typeof CONSENT_SCOPES)[number] = 'rad_scores',
  ): Promise<z.infer<typeof Consent>> {
    const rows = await tx
      .select()
      .from(programmeConsents)
      .where(and(eq(programmeConsents.tenantId, tenantId), eq(programmeConsents.scope, scope)))
      .orderBy(
        // The active grant first: a plan replaced within one transaction has two rows granted at once.
        sql`${programmeConsents.revokedAt} is null desc`,
        sql`${programmeConsents.grantedAt} desc`,
      );
    const last = rows[0];
    return {
      scope,
      active: !!last && last.revokedAt === null,
      grantedAt: last ? last.grantedAt.toISOString() : null,
      revokedAt: last?.revokedAt ? last.revokedAt.toISOString() : null,
      planId: last?.subjectId ?? null,
    };
  }

  async setConsent(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    share: boolean,
    scope: (typeof CONSENT_SCOPES)[number] = 'rad_scores',
    planId?: string,
  ) {
    const org = await directory.organisation(tx);
    if (org?.type !== 'administration')
      throw new AppError('FORBIDDEN', 'Only a Customs administration shares its evidence with the programme');
    if (planId !== undefined && (scope !== 'action_plan' || !share))
      throw unprocessable('A plan is named only when sharing an Integrity Action Plan (scope action_plan)');
    if (scope === 'action_plan' && share) {
      if (!planId) throw unprocessable('Name the Integrity Action Plan to share (planId)');
      if (!(await this.actionPlans.planProgress(tx, planId)))
        throw unprocessable(`Unknown Integrity Action Plan: ${planId}`);
    }
    let cur = await this.consent(tx, tenantId, scope);
    // Sharing another plan withdraws the one shared so far, then grants the new one.
    if (share && cur.active && scope === 'action_plan' && cur.planId !== planId) {
      await this.revoke(tx, tenantId, actor, scope);
      cur = await this.consent(tx, tenantId, scope);
    }
    if (share && !cur.active) {
      await tx
        .insert(programmeConsents)
        .values({ tenantId, scope, subjectId: planId ?? null, grantedBy: actor.userId });
      await this.audit(tx, tenantId, actor, 'programme.consent.granted', 'programme_consent', tenantId, {
        scope,
        ...(planId ? { planId } : {}),
      });
    } else if (!share && cur.active) await this.revoke(tx, tenantId, actor, scope);
    return this.consent(tx, tenantId, scope);
  }

  private async revoke(tx: TenantTx, tenantId: string, actor: Actor, scope: Scope) {
    await tx
      .update(programmeConsents)
      .set({ revokedAt: new Date(), revokedBy: actor.userId })
      .where(
        and(
          eq(programmeConsents.tenantId, tenantId),
          eq(programmeConsents.scope, scope),
          isNull(programmeConsents.revokedAt),
        ),
      );
    await this.audit(tx, tenantId, actor, 'programme.consent.revoked', 'programme_consent', tenantId, {
      scope,
    });
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId: actor.userId, action, entityType, entityId, data });
  }
}

// ---- routes ----------------------------------------------------------------------------------------

export function resultsRoutes(r: Router, svc: ResultsService) {
  // The multi-annual plan reads the same consents through the same asTenant.
  planRoutes(r, new PlanService(svc.k));
  const readers = [
    ['/api/programme/partnerships/:id/results', P.manage, 'The Secretariat'],
    ['/api/programme/mine/partnerships/:id/results', P.submit, 'The partner administration'],
    ['/api/programme/donor/partnerships/:id/results', P.donorRead, 'A donor funding the partnership'],
  ] as const;
  for (const [url, access, who] of readers)
    r.get({
      url,
      access,
      summary: `${who}: the partnership's results framework (outcomes, outputs, indicators, actuals; linked evidence read live under the partner's consent)`,
      params: IdParam,
      response: Results,
      handler: async ({ tx, params }) => svc.results(tx, params.id),
    });
  r.post({
    url: '/api/programme/partnerships/:id/results',
    access: P.manage,
    summary: 'Add an outcome, or an output under an outcome, to a partnership',
    params: IdParam,
    body: ResultInput,
    status: 201,
    response: Created,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addResult(tx, tenantId, actor, params.id, body),
  });
  r.patch({
    url: '/api/programme/results/:id',
    access: P.manage,
    summary: 'Rename an outcome or output (version-checked)',
    params: IdParam,
    body: ResultUpdate,
    response: Updated,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateResult(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/programme/results/:id',
    access: P.manage,
    summary:
      'Delete an outcome (with its outputs) or an output, and their indicators — refused (409) while any holds an entered actual or a linked activity (give the version you saw)',
    params: IdParam,
    query: VersionQuery,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      svc.deleteResult(tx, tenantId, actor, params.id, query.version),
  });
  r.post({
    url: '/api/programme/partnerships/:id/indicators',
    access: P.manage,
    summary:
      "Add an indicator (unit, baseline, target, direction) to an outcome or output; optionally linked to the partner's RAD factor score or KPI series",
    params: IdParam,
    body: IndicatorInput,
    status: 201,
    response: Created,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addIndicator(tx, tenantId, actor, params.id, body),
  });
  r.patch({
    url: '/api/programme/indicators/:id',
    access: P.manage,
    summary:
      "Edit an indicator — its name, unit, baseline, target, direction, or its link to the partner's RAD factor score or KPI series (version-checked)",
    params: IdParam,
    body: IndicatorUpdate,
    response: IndicatorUpdated,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateIndicator(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/programme/indicators/:id/actuals',
    access: P.manage,
    summary: 'Enter the actual of an indicator for a period (not for linked indicators)',
    params: IdParam,
    body: ActualInput,
    status: 201,
    response: Created,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addActual(tx, tenantId, actor, params.id, body),
  });
  r.patch({
    url: '/api/programme/actuals/:id',
    access: P.manage,
    summary:
      "Correct an entered actual: its period or value (version-checked; a linked indicator's figure is corrected through its link)",
    params: IdParam,
    body: ActualUpdate,
    response: Updated,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateActual(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/programme/actuals/:id',
    access: P.manage,
    summary: 'Delete an entered actual (give the version you saw)',
    params: IdParam,
    query: VersionQuery,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      svc.deleteActual(tx, tenantId, actor, params.id, query.version),
  });
  r.post({
    url: '/api/programme/partnerships/:id/evaluations',
    access: P.manage,
    summary:
      'Record an evaluation of a partnership: a rating (1–4) and findings on each OECD-DAC criterion (relevance, coherence, effectiveness, efficiency, impact, sustainability)',
    params: IdParam,
    body: EvaluationInput,
    bodyLimit: 256 * 1024,
    status: 201,
    response: Created,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addEvaluation(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/programme/consent',
    access: P.submit,
    summary:
      "My administration's consent to share evidence with the programme: its validated RAD scores (scope rad_scores, the default), its action-plan KPI series (kpis), one Integrity Action Plan's progress (action_plan, with the plan's id), its closed surveys' indexes (survey_index) or its case statistics (case_statistics)",
    query: ConsentQuery,
    response: Consent,
    handler: async ({ tx, tenantId, query }) => svc.consent(tx, tenantId, query.scope),
  });
  r.put({
    url: '/api/programme/consent',
    access: P.submit,
    summary:
      'Give or withdraw my administration’s consent to share with the programme its validated RAD scores (scope rad_scores, the default), its action-plan KPI series (kpis), one Integrity Action Plan (action_plan with planId; another plan replaces it), its closed surveys’ indexes (survey_index) or its case statistics (case_statistics)',
    body: ConsentInput,
    response: Consent,
    handler: async ({ tx, tenantId, actor, body }) =>
      svc.setConsent(tx, tenantId, actor, body.share, body.scope, body.planId),
  });
}
