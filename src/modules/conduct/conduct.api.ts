import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { ConductService } from './conduct.service.ts';

export const REMINDERS_JOB = 'conduct.reminders';

/** What other modules may read of conduct (through index.ts). */
export class ConductApi {
  constructor(private readonly k: Kernel) {}

  /**
   * The staff code acknowledgement rate for the RAD factor 7 KPI: among the people whom campaigns
   * of the code in force (the latest published staff version) due between `from` and `to` asked to
   * acknowledge — optionally only in a unit and its sub-units — the share who acknowledged it by
   * the end of `to` (docs/adr/0022). `rate` is null when nobody was asked. A KPI fed by `conduct`
   * (action-plans' KPI feeds) records it daily or on refresh.
   */
  acknowledgementRate(tx: TenantTx, period: { from?: string; to?: string; unitId?: string } = {}) {
    return new ConductService(this.k).rate(tx, period);
  }

  /** Licensed brokers who acknowledged the current private-sector code (RAD factor 10). */
  async brokerRate(tx: TenantTx) {
    return (await new ConductService(this.k).parties(tx)).brokers;
  }
}
