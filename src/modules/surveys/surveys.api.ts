import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
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
