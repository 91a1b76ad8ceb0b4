import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { DeclarationsService } from './declarations.service.ts';

export const REMINDERS_JOB = 'declarations.reminders';

/** What other modules may read of declarations (through index.ts). */
export class DeclarationsApi {
  constructor(private readonly k: Kernel) {}

  /**
   * The submission rate of a declaration cycle: expected (people targeted now), submitted,
   * rate 0–1 (null when nobody is targeted). For the KPIs of RAD factors 7 and 8; action plans'
   * KPI feeds do not take declarations yet (learning, conduct and surveys only).
   */
  submissionRate(tx: TenantTx, cycleId: string) {
    return new DeclarationsService(this.k).submissionRate(tx, cycleId);
  }
}
