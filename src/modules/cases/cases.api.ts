import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import { isUuid } from '../../platform/ids.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { publishedTotal } from '../../platform/statistics.ts';
import { MIN_CELL } from './cases.contract.ts';
import * as q from './cases.queries.ts';
import { CasesService, type OpenCase } from './cases.service.ts';
import type { CaseStatus } from './cases.vocab.ts';

export const OVERDUE_JOB = 'cases.overdue';

/** A case's stage and decision as other modules may read them (CasesApi.standing). */
export interface CaseStanding {
  id: string;
  reference: string;
  status: CaseStatus;
  /** A code of the administration's decisions list; the shipped ones are substantiated / not_substantiated. */
  decision: string | null;
  outcome: string | null;
  closedAt: string | null;
}

/** What other modules may do with cases (through index.ts). */
export class CasesApi {
  constructor(private readonly k: Kernel) {}

  /**
   * Opens a case from another module's object (a report, an alert, a declaration flag), in the
   * caller's transaction, once per source: the same source again returns the case already open.
   * Returns its id and reference number (CASE-2026-0001).
   */
  async openFromSource(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: OpenCase & { sourceRef: string },
  ): Promise<{ id: string; reference: string; created: boolean }> {
    const svc = new CasesService(this.k);
    const existing = await svc.bySource(tx, input.sourceKind, input.sourceRef);
    if (existing) return { id: existing.id, reference: existing.reference, created: false };
    const c = await svc.create(tx, tenantId, actor, input);
    return { id: c.id, reference: c.reference, created: true };
  }

  /**
   * Where these cases stand, for another module's statistics (the share of analytics alerts
   * later substantiated): reference, stage, the decision (`substantiated`, `not_substantiated` or
   * an administration's own code), the outcome and when it was closed — no title, subject or
   * note. Ids of another tenant, or not ids at all, are left out.
   */
  async standing(tx: TenantTx, ids: string[]): Promise<CaseStanding[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    if (!valid.length) return [];
    return (await q.standing(tx, valid)).map((c) => ({
      id: c.id,
      reference: c.reference,
      status: c.status,
      decision: c.decision,
      outcome: c.outcome,
      closedAt: c.closedAt?.toISOString() ?? null,
    }));
  }

  /**
   * Cases closed, and closed as substantiated, per calendar year of closure, for another
   * organisation's results framework (the A-CIP programme, under the administration's consent).
   * Counts under MIN_CELL are null, as in the statistics; a year's substantiated count is also
   * null when the closed cases not substantiated are under MIN_CELL (it would give them by
   * difference). Zero identifies nobody and stays 0. Workflow metadata only.
   */
  async closedByYear(
    tx: TenantTx,
  ): Promise<{ year: number; closed: number | null; substantiated: number | null }[]> {
    const byYear = new Map<number, { closed: number; substantiated: number }>();
    for (const c of await q.listCases(tx)) {
      if (!c.closedAt) continue;
      const y = c.closedAt.getUTCFullYear();
      const n = byYear.get(y) ?? { closed: 0, substantiated: 0 };
      n.closed++;
      if (c.decision === 'substantiated') n.substantiated++;
      byYear.set(y, n);
    }
    return [...byYear]
      .sort(([a], [b]) => a - b)
      .map(([year, n]) => {
        // Under MIN_CELL but not zero: a count that would single people out.
        const small = (x: number) => x > 0 && x < MIN_CELL;
        const hidden = n.closed < MIN_CELL || small(n.substantiated) || small(n.closed - n.substantiated);
        return {
          year,
          closed: publishedTotal(n.closed, MIN_CELL),
          substantiated: hidden ? null : n.substantiated,
        };
      });
  }

  /**
   * A declaration red flag referred by a reviewer: a case concerning the declarant (a staff
   * subject), their unit as the unit concerned, the flag's id as the source reference.
   */
  openFromDeclarationFlag(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    flag: { id: string; rule: string; userId: string; name: string; unitId: string | null },
    locale: Locale = 'en',
  ) {
    return this.openFromSource(tx, tenantId, actor, {
      title: t(locale, 'cases.fromDeclarationFlag', { rule: flag.rule }),
      sourceKind: 'declaration_flag',
      sourceRef: flag.id,
      ...(flag.unitId ? { orgUnitId: flag.unitId } : {}),
      subjects: [{ kind: 'staff', userId: flag.userId, name: flag.name }],
    });
  }
}
