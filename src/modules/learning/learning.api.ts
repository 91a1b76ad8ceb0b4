import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { LearningService } from './learning.service.ts';

export const REMINDERS_JOB = 'learning.reminders';

/** What other modules may read of learning (through index.ts). */
export class LearningApi {
  constructor(private readonly k: Kernel) {}

  /**
   * The completion rate of a course, optionally among the learners of a unit and its
   * sub-units (their unit when enrolled): enrolled, completed, rate 0–1. For the KPIs of RAD
   * factors 7 (code of conduct) and 9 (culture); a KPI fed by a course
   * (action-plans, `feed: { source: 'learning' }`) records it daily or on refresh.
   */
  completionRate(tx: TenantTx, courseId: string, unitId?: string) {
    return new LearningService(this.k).completionRate(tx, courseId, unitId);
  }
}
