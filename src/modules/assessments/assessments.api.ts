import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { RAD_URN } from '../standards/index.ts';
import type { AssessmentReport } from './assessments.contract.ts';
import { AssessmentsService } from './assessments.service.ts';
import { delta, type Scores } from './assessments.scoring.ts';

export interface IterationScores {
  id: string;
  title: string;
  validatedAt: Date;
  overall: number | null;
  factors: { factor: number; score: number | null }[];
}

export interface LowRatedItem {
  itemUrn: string;
  refId: string;
  factor: number;
  rating: number;
  scaleMax: number;
  text: string;
  weaknesses: string | null;
}

/**
 * The assessments module for other modules (dashboard, PDF report, action plans). Every
 * method takes the caller's tenant transaction; unknown ids are NOT_FOUND (AppError).
 */
export class AssessmentsApi {
  private readonly svc: AssessmentsService;
  constructor(k: Kernel) {
    this.svc = new AssessmentsService(k);
  }

  /** The latest validated iteration of the RAD self-assessment (its latest revision), or null. */
  async latestValidated(tx: TenantTx): Promise<IterationScores | null> {
    const t = await this.trend(tx);
    return t.at(-1) ?? null;
  }

  /** Every validated iteration of the RAD self-assessment, oldest first. */
  async trend(tx: TenantTx): Promise<IterationScores[]> {
    const t = await this.svc.trend(tx, 'en', RAD_URN);
    return t.items.map((i) => ({ ...i, validatedAt: new Date(i.validatedAt) }));
  }

  /** Rated items (N/A and unrated left out), lowest rating first, then framework order. */
  async lowestRatedItems(
    tx: TenantTx,
    assessmentId: string,
    limit: number,
    locale: Locale,
  ): Promise<LowRatedItem[]> {
    const a = await this.svc.find(tx, assessmentId);
    const fw = (await this.svc.framework(tx, a.frameworkLibraryId, locale))!;
    const scale = await this.svc.scale(tx, a, locale);
    const byUrn = new Map((await this.svc.responses(tx, assessmentId)).map((r) => [r.itemUrn, r]));
    return fw.items
      .map((i, pos) => ({ i, pos, r: byUrn.get(i.urn) }))
      .filter((x) => x.r && !x.r.notApplicable && x.r.rating !== null)
      .sort((x, y) => x.r!.rating! - y.r!.rating! || x.pos - y.pos)
      .slice(0, Math.max(0, limit))
      .map(({ i, r }) => ({
        itemUrn: i.urn,
        refId: i.refId,
        factor: i.factor,
        rating: r!.rating!,
        scaleMax: scale.max,
        text: i.name,
        weaknesses: r!.weaknesses,
      }));
  }

  /** Everything a PDF or XLSX report needs, in the given language. */
  async report(tx: TenantTx, assessmentId: string, locale: Locale): Promise<AssessmentReport> {
    const a = await this.svc.find(tx, assessmentId);
    const fw = (await this.svc.framework(tx, a.frameworkLibraryId, locale))!;
    const scale = await this.svc.scale(tx, a, locale);
    const responses = await this.svc.responses(tx, assessmentId);
    const evidence = await this.svc.evidenceRows(tx, assessmentId);
    const team = await this.svc.teamRows(tx, assessmentId);
    const names = await this.svc.peopleById(tx, [...team.map((t) => t.userId), a.validatedBy]);
    const units = await this.svc.unitNames(tx);
    const scores = (a.scores as Scores | null) ?? this.svc.compute(fw, scale, responses);
    const prev = await this.svc.previousOf(tx, a);
    const ps = prev?.scores as Scores | null | undefined;
    const byUrn = new Map(responses.map((r) => [r.itemUrn, r]));
    const rows = fw.items.flatMap((i) => {
      const r = byUrn.get(i.urn);
      if (!r) return [];
      const f = fw.factors.find((x) => x.factor === i.factor);
      return [
        {
          factor: i.factor,
          factorName: f?.name ?? '',
          refId: i.refId,
          itemUrn: i.urn,
          text: i.name,
          rating: r.rating,
          ratingLabel:
            r.rating === null ? null : (scale.levels.find((l) => l.value === r.rating)?.label ?? null),
          notApplicable: r.notApplicable,
          naReason: r.naReason,
          narrative: r.narrative,
          strengths: r.strengths,
          weaknesses: r.weaknesses,
          sources: r.sources,
          confidence: r.confidence,
          evidenceCount: evidence.filter((e) => e.itemUrn === i.urn).length,
          updatedAt: r.updatedAt,
        },
      ];
    });
    return {
      id: a.id,
      title: a.title,
      type: a.type,
      status: a.status,
      framework: { urn: fw.urn, version: fw.version, name: fw.name },
      scale: {
        urn: scale.urn,
        name: scale.name,
        min: scale.min,
        max: scale.max,
        levels: scale.levels.map((l) => ({ value: l.value, label: l.label })),
      },
      startDate: a.startDate,
      endDate: a.endDate,
      revision: a.revision,
      createdAt: a.createdAt,
      scopeUnits: a.scopeUnitIds.map((u) => units.get(u) ?? '—'),
      team: team.map((t) => ({
        name: names.get(t.userId)?.name ?? '—',
        email: names.get(t.userId)?.email ?? '',
        role: t.role,
      })),
      validation: a.validatedAt
        ? {
            validatedAt: a.validatedAt,
            validatedBy: a.validatedBy ? (names.get(a.validatedBy)?.name ?? null) : null,
            note: a.validationNote,
          }
        : null,
      closedAt: a.closedAt,
      overall: scores.overall,
      previous: prev
        ? { id: prev.id, title: prev.title, validatedAt: prev.validatedAt!, overall: ps?.overall ?? null }
        : null,
      overallDelta: delta(scores.overall, ps?.overall),
      progress: scores.progress,
      factors: fw.factors.map((f) => {
        const cur = scores.factors.find((x) => x.factor === f.factor);
        const p = ps?.factors.find((x) => x.factor === f.factor)?.score ?? null;
        const mine = rows.filter((r) => r.factor === f.factor);
        return {
          factor: f.factor,
          name: f.name,
          score: cur?.score ?? null,
          previous: p,
          delta: delta(cur?.score ?? null, p),
          scored: cur?.scored ?? 0,
          notApplicable: cur?.notApplicable ?? 0,
          items: cur?.items ?? 0,
          strengths: mine.filter((r) => r.strengths).map((r) => ({ refId: r.refId, text: r.strengths! })),
          weaknesses: mine.filter((r) => r.weaknesses).map((r) => ({ refId: r.refId, text: r.weaknesses! })),
        };
      }),
      responses: rows,
    };
  }
}
