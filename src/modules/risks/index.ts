import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel, Module } from '../../platform/kernel.ts';
import type { HeatmapResult } from './risks.contract.ts';
import { P, risksPermissions } from './risks.permissions.ts';
import * as q from './risks.queries.ts';
import { risksRoutes } from './risks.routes.ts';
import { seedDemo } from './risks.seed.ts';
import { type RiskFromSource, RisksService } from './risks.service.ts';

export type { HeatmapResult } from './risks.contract.ts';
export type { RiskFromSource } from './risks.service.ts';
export type { RiskScheme, RiskStatus } from './risks.vocab.ts';
/** The permission that adds a risk to the register (by hand or from another module's object). */
export const RISK_CREATE_PERMISSION = P.manage;

export interface TopRisk {
  id: string;
  ref: string;
  title: string;
  process: string;
  factors: number[];
  residualScore: number;
  residualLevel: { id: string; label: string; color: string };
  inherentScore: number;
  ownerUserId: string | null;
  nextReviewOn: string | null;
  overdue: boolean;
}

/** The register for other modules (dashboard, PDF report, action plans). */
export class RisksApi {
  private readonly svc: RisksService;
  constructor(k: Kernel, clock?: () => Date) {
    this.svc = new RisksService(k, clock);
  }
  /** Open risks with the highest residual score first (then inherent score, then ref). */
  async topResidual(tx: TenantTx, limit: number, locale: Locale): Promise<TopRisk[]> {
    return this.svc.topResidual(tx, await q.currentTenant(tx), limit, locale);
  }
  /** Inherent and residual heat maps of the open register (same shape as GET /api/risks/heatmap). */
  async heatmap(tx: TenantTx, locale: Locale): Promise<HeatmapResult> {
    return this.svc.heatmap(tx, await q.currentTenant(tx), locale);
  }
  /** Which of these risk ids exist for this tenant. */
  exists(tx: TenantTx, ids: string[]): Promise<string[]> {
    return this.svc.exists(tx, ids);
  }
  /**
   * Adds a draft risk identified by another module's object (an analytics alert), in the
   * caller's transaction, once per source: the same source again returns the same risk. The
   * actor needs the register's create permission (403 otherwise), whatever the caller's own
   * permission. Returns its id and reference.
   */
  async createFromSource(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: RiskFromSource,
  ): Promise<{ id: string; ref: string; created: boolean }> {
    if (!actor.permissions.has(RISK_CREATE_PERMISSION))
      throw new AppError('FORBIDDEN', `Adding a risk to the register needs ${RISK_CREATE_PERMISSION}`);
    return this.svc.createFromSource(tx, tenantId, actor, input);
  }
  /** The status (draft, open, closed) and reference of these risks; another tenant's are left out. */
  statuses(tx: TenantTx, ids: string[]) {
    return this.svc.statuses(tx, ids);
  }
  /** The register as export rows (the columns of GET /api/risks/export), ordered by ref. */
  async register(tx: TenantTx, locale: Locale): Promise<Record<string, string | number | null>[]> {
    return this.svc.registerRows(tx, await q.currentTenant(tx), locale);
  }
}

export const risksModule: Module = {
  name: 'risks',
  permissions: risksPermissions,
  routes: (r, k) => risksRoutes(r, new RisksService(k)),
  seedDemo,
};
