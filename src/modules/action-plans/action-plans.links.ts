// What the action-plans module needs from other modules and the platform, in one place:
// checklist items (standards), risks (risks), the latest validated assessment's weakest items
// (assessments) and notifications (kernel.notify). Each goes through the other module's
// index.ts only.
import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { NotificationInput } from '../../platform/notify/notify.ts';
import { AssessmentsApi, type LowRatedItem } from '../assessments/index.ts';
import { RisksApi, type TopRisk } from '../risks/index.ts';
import { checklistItems } from '../standards/index.ts';

export class Links {
  constructor(private readonly k: Kernel) {}

  // ---- standards ----------------------------------------------------------------------
  /** The URNs among `urns` that are not checklist items the tenant can read. */
  async unknownItemUrns(tx: TenantTx, urns: string[]): Promise<string[]> {
    if (urns.length === 0) return [];
    const known = new Set((await checklistItems(tx, 'en', urns)).map((i) => i.urn));
    return urns.filter((u) => !known.has(u));
  }

  itemOptions(tx: TenantTx, locale: Locale) {
    return checklistItems(tx, locale);
  }

  // ---- risks --------------------------------------------------------------------------
  /** The ids among `ids` that are not risks of this tenant. */
  async unknownRiskIds(tx: TenantTx, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const known = new Set(await new RisksApi(this.k).exists(tx, ids));
    return ids.filter((i) => !known.has(i));
  }

  /** Open risks, highest residual score first. */
  topRisks(tx: TenantTx, limit: number, locale: Locale): Promise<TopRisk[]> {
    return new RisksApi(this.k).topResidual(tx, limit, locale);
  }

  // ---- assessments --------------------------------------------------------------------
  /**
   * The lowest-rated items of the given assessment (NOT_FOUND if it is not the tenant's), else
   * of the latest validated one; null when there is none.
   */
  async weakestItems(
    tx: TenantTx,
    assessmentId: string | undefined,
    limit: number,
    locale: Locale,
  ): Promise<{ assessmentId: string; items: LowRatedItem[] } | null> {
    const api = new AssessmentsApi(this.k);
    const id = assessmentId ?? (await api.latestValidated(tx))?.id;
    if (!id) return null;
    return { assessmentId: id, items: await api.lowestRatedItems(tx, id, limit, locale) };
  }

  // ---- notifications ------------------------------------------------------------------
  /**
   * One in-app notification per dedupe key and recipient (kernel.notify); its e-mail goes
   * through the outbox only when the notification is new, so nothing is sent twice.
   */
  notify(tx: TenantTx, n: NotificationInput): Promise<boolean> {
    return this.k.notify.send(tx, n);
  }
}
