import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import * as q from './surveys.queries.ts';
import { SurveysService } from './surveys.service.ts';

/**
 * What other modules may read: a survey's factor scores (0–100, null when suppressed under
 * the threshold), e.g. as a KPI value or as evidence for an action-plan item. A KPI fed by a
 * survey factor (action-plans' KPI feeds) records it daily or on refresh.
 */
export class SurveysApi {
  private readonly svc: SurveysService;
  constructor(k: Kernel) {
    this.svc = new SurveysService(k);
  }

  /**
   * Every closed survey's index, oldest closure first, for another organisation's results
   * framework (the A-CIP programme, under the administration's consent): each factor's score as the
   * results publish it (null when suppressed under the survey's threshold) and the index = the mean
   * of the factor scores, to one decimal — null as soon as one of them is suppressed, so nothing
   * hidden is worked back from it. No group, question or comment comes out.
   */
  async closedIndexes(tx: TenantTx) {
    const closed = (await q.listSurveys(tx))
      .filter((s) => s.status === 'closed' && s.closedOn)
      .sort((a, b) =>
        a.closedOn! < b.closedOn! ? -1 : a.closedOn! > b.closedOn! ? 1 : a.iteration - b.iteration,
      );
    const out = [];
    for (const s of closed) {
      const r = await this.factorScores(tx, s.id);
      const scores = r.factors.map((f) => f.score);
      const index =
        scores.length && scores.every((x) => x !== null)
          ? Math.round((scores.reduce((a, b) => a + b!, 0) / scores.length) * 10) / 10
          : null;
      out.push({
        surveyId: s.id,
        name: s.name,
        closedOn: s.closedOn!,
        total: r.total,
        index,
        factors: r.factors.map((f) => ({ factor: f.factor, score: f.score })),
      });
    }
    return out;
  }

  async factorScores(tx: TenantTx, surveyId: string) {
    const r = await this.svc.results(tx, surveyId, 'none', 'en');
    return {
      surveyId,
      total: r.total,
      factors: r.factors.map((f) => ({
        factor: f.factor,
        score: f.overall.score,
        favourable: f.overall.favourable,
      })),
    };
  }
}
