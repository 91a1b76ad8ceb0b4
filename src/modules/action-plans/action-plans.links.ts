// What the action-plans module needs from other modules and the platform, in one place:
// checklist items (standards), risks (risks), the latest validated assessment's weakest items
// (assessments) and notifications (kernel.notify). Each goes through the other module's
// index.ts only.
import { and, eq } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { notifications } from '../../platform/notify/notify.schema.ts';
import { checklistItems } from '../standards/index.ts';

export interface WeakItem {
  itemUrn: string;
  refId: string;
  factor: number;
  rating: number;
  scaleMax: number;
  text: string;
  weaknesses: string | string[] | null;
}

export interface TopRisk {
  id: string;
  ref: string;
  title: string;
  process?: string | null;
  factors: number[];
  residualScore: number;
  residualLevel: { id: string; label: string; color: string } | null;
}

export interface Notification {
  tenantId: string;
  userId: string;
  kind: string;
  messageKey: string;
  vars: Record<string, string | number>;
  link: string | null;
  dedupeKey: string;
  email: { to: string; subject: string; body: string } | null;
}

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
  readonly risksAvailable = false;

  /** The ids among `ids` that are not risks of this tenant. */
  async unknownRiskIds(_tx: TenantTx, ids: string[]): Promise<string[]> {
    // Until the risks module exports RisksApi.exists, no risk can be confirmed.
    return [...ids];
  }

  async topRisks(_tx: TenantTx, _limit: number, _locale: Locale): Promise<TopRisk[] | null> {
    return null;
  }

  // ---- assessments --------------------------------------------------------------------
  readonly assessmentsAvailable = false;

  /** The given or latest validated assessment's lowest-rated items; null when unavailable. */
  async weakestItems(
    _tx: TenantTx,
    _assessmentId: string | undefined,
    _limit: number,
    _locale: Locale,
  ): Promise<{ assessmentId: string; items: WeakItem[] } | null> {
    return null;
  }

  // ---- notifications ------------------------------------------------------------------
  /**
   * One in-app notification per dedupe key and recipient; the e-mail is queued only when the
   * notification was inserted, so nothing is sent twice. Returns whether it was new.
   */
  async notify(tx: TenantTx, n: Notification): Promise<boolean> {
    const inserted = await tx
      .insert(notifications)
      .values({
        tenantId: n.tenantId,
        userId: n.userId,
        kind: n.kind,
        messageKey: n.messageKey,
        vars: n.vars,
        link: n.link,
        dedupeKey: n.dedupeKey,
      })
      .onConflictDoNothing({
        target: [notifications.tenantId, notifications.userId, notifications.dedupeKey],
      })
      .returning({ id: notifications.id });
    if (inserted.length === 0) return false;
    if (n.email) await this.k.mail.queue(tx, n.email);
    return true;
  }

  /** For tests: notifications of one dedupe key. */
  async notificationsOf(tx: TenantTx, dedupeKey: string) {
    return tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.dedupeKey, dedupeKey)));
  }
}
