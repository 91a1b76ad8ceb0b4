import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError } from '../../platform/errors.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { ConductApi } from '../conduct/index.ts';
import { LearningApi } from '../learning/index.ts';
import { SurveysApi } from '../surveys/index.ts';
import type { KpiFeed } from './action-plans.vocab.ts';

/** Why a feed has no figure: a key under `actionPlans.kpiFeed` (server.action-plans.json). */
export type NoFigure = 'noEnrolment' | 'noAssignment' | 'noFactor' | 'suppressed' | 'notFound';

/** The current figure of a feed, or null with the reason nothing can be recorded. */
export type FeedFigure =
  | { value: number; note: string; reason: null }
  | { value: null; note: null; reason: NoFigure };

const none = (reason: NoFigure): FeedFigure => ({ value: null, note: null, reason });
/** Rates come as 0–1: a KPI counted in % gets 0–100. */
const scaled = (rate: number, unit: string) =>
  Math.round((unit.trim() === '%' ? rate * 100 : rate) * 1e4) / 1e4;

/**
 * Reads a fed KPI's figure from the module that holds it, through that module's index.ts:
 * a course's completion rate (learning), the code of conduct acknowledgement rate (conduct),
 * a survey's factor score 0–100 (surveys; none when suppressed under the anonymity threshold).
 */
export class KpiFeeds {
  constructor(private readonly k: Kernel) {}

  async current(tx: TenantTx, feed: KpiFeed, unit: string): Promise<FeedFigure> {
    try {
      switch (feed.source) {
        case 'learning': {
          const r = await new LearningApi(this.k).completionRate(tx, feed.courseId);
          if (!r.enrolled) return none('noEnrolment');
          return {
            value: scaled(r.rate, unit),
            note: `${r.completed}/${r.enrolled} completed`,
            reason: null,
          };
        }
        case 'conduct': {
          const r = await new ConductApi(this.k).acknowledgementRate(tx, { unitId: feed.unitId });
          if (r.rate === null) return none('noAssignment');
          return {
            value: scaled(r.rate, unit),
            note: `${r.acknowledged}/${r.assigned} acknowledged`,
            reason: null,
          };
        }
        case 'surveys': {
          const r = await new SurveysApi(this.k).factorScores(tx, feed.surveyId);
          const f = r.factors.find((x) => x.factor === feed.factor);
          if (!f) return none('noFactor');
          if (f.score === null) return none('suppressed');
          return { value: f.score, note: `factor ${feed.factor}, ${r.total} responses`, reason: null };
        }
      }
    } catch (e) {
      // A course, survey or unit since deleted: say so rather than fail the other KPIs.
      if (e instanceof AppError && e.code === 'NOT_FOUND') return none('notFound');
      throw e;
    }
  }
}
