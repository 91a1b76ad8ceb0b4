import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel, Module } from '../../platform/kernel.ts';
import type { HeatmapResult } from './risks.contract.ts';
import { risksPermissions } from './risks.permissions.ts';
import * as q from './risks.queries.ts';
import { risksRoutes } from './risks.routes.ts';
import { seedDemo } from './risks.seed.ts';
import { RisksService } from './risks.service.ts';

export type { HeatmapResult } from './risks.contract.ts';

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
