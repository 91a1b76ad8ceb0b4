import type { TenantTx } from '../../platform/db/tenant.ts';
import { download, type FileResponse } from '../../platform/http/download.ts';
import { type Locale, RTL } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import {
  TABLE_MEDIA_TYPES,
  type TableColumn,
  type TableRow,
  writeTable,
} from '../../platform/tables/tables.ts';
import { ActionPlansApi } from '../action-plans/index.ts';
import { AssessmentsApi, delta } from '../assessments/index.ts';
import { Directory } from '../identity/index.ts';
import { RisksApi } from '../risks/index.ts';
import type { Dashboard } from './dashboard.contract.ts';
import { reportHtml } from './dashboard.report.ts';

const iso = (d: Date) => d.toISOString();

const directory = new Directory();

/**
 * The integrity cycle seen from the top: it reads the three modules through their public
 * interfaces and owns nothing but the composition (the page, the PDF report, the exports).
 */
export class DashboardService {
  private readonly assessments: AssessmentsApi;
  private readonly risks: RisksApi;
  private readonly actions: ActionPlansApi;
  constructor(
    private readonly k: Kernel,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.assessments = new AssessmentsApi(k);
    this.risks = new RisksApi(k, clock);
    this.actions = new ActionPlansApi(k);
  }

  async overview(tx: TenantTx, locale: Locale): Promise<Dashboard> {
    const today = this.clock();
    const trend = await this.assessments.trend(tx);
    const latest = trend.at(-1) ?? null;
    const previous = trend.at(-2) ?? null;
    const prevScore = (f: number) => previous?.factors.find((x) => x.factor === f)?.score ?? null;
    const summary = await this.actions.summary(tx, today);
    const overdueList = await this.actions.overdueActions(tx, 5, today);
    const risks = await this.risks.topResidual(tx, 5, locale);
    const kpis = await this.actions.kpiProgress(tx);
    return {
      assessment: latest && {
        id: latest.id,
        title: latest.title,
        validatedAt: iso(latest.validatedAt),
        overall: latest.overall,
        factors: latest.factors.map((f) => {
          const p = prevScore(f.factor);
          return { ...f, previous: p, delta: delta(f.score, p) };
        }),
      },
      trend: trend.map((t) => ({ ...t, validatedAt: iso(t.validatedAt) })),
      actions: {
        open: summary.open,
        overdue: summary.overdue,
        done: summary.done,
        byStatus: summary.byStatus,
        overdueList: overdueList.map(({ ownerUserId: _, ...a }) => a),
      },
      risks: risks.map((r) => ({
        id: r.id,
        ref: r.ref,
        title: r.title,
        process: r.process,
        residualScore: r.residualScore,
        level: r.residualLevel,
        overdue: r.overdue,
      })),
      kpis,
    };
  }

  /** The assessment report as PDF, in the reader's language. */
  async reportPdf(tx: TenantTx, assessmentId: string, locale: Locale): Promise<FileResponse> {
    const orgName = (await directory.organisation(tx))?.name ?? '';
    const report = await this.assessments.report(tx, assessmentId, locale);
    const heatmap = await this.risks.heatmap(tx, locale);
    const topRisks = await this.risks.topResidual(tx, 10, locale);
    const plan = await this.actions.planSummary(tx, undefined, this.clock());
    const html = reportHtml({ report, heatmap, topRisks, plan, locale, orgName, generatedAt: this.clock() });
    const pdf = await this.k.pdf.render(html);
    return download({ filename: `${fileSafe(report.title)}.pdf`, mediaType: 'application/pdf', data: pdf });
  }

  /** Checklist responses, risks, actions or KPIs as XLSX or CSV. */
  async export(
    tx: TenantTx,
    dataset: 'responses' | 'risks' | 'actions' | 'kpis',
    format: 'xlsx' | 'csv',
    locale: Locale,
    assessmentId?: string,
  ): Promise<FileResponse> {
    let rows: TableRow[];
    let name: string = dataset;
    if (dataset === 'responses') {
      const id = assessmentId ?? (await this.assessments.latestValidated(tx))?.id;
      if (!id) rows = [];
      else {
        const r = await this.assessments.report(tx, id, locale);
        name = `${fileSafe(r.title)}-responses`;
        rows = r.responses.map((x) => ({
          factor: x.factor,
          factor_name: x.factorName,
          ref_id: x.refId,
          item_urn: x.itemUrn,
          item: x.text,
          rating: x.rating,
          rating_label: x.ratingLabel,
          not_applicable: x.notApplicable,
          na_reason: x.naReason,
          narrative: x.narrative,
          strengths: x.strengths,
          weaknesses: x.weaknesses,
          sources: x.sources.join(', '),
          confidence: x.confidence,
          evidence_files: x.evidenceCount,
          updated_at: x.updatedAt,
        }));
      }
    } else if (dataset === 'risks') rows = await this.risks.register(tx, locale);
    else rows = await this.actions.rows(tx, dataset);
    const columns: TableColumn[] = Object.keys(rows[0] ?? { empty: null }).map((key) => ({
      key,
      header: key,
    }));
    const data = await writeTable({ sheetName: dataset, columns, rows, format, rtl: RTL.has(locale) });
    return download({
      filename: `${name}.${format}`,
      mediaType: TABLE_MEDIA_TYPES[format],
      data,
    });
  }
}

/** A file name from a title: letters of any script, digits, dashes. */
function fileSafe(s: string): string {
  return (
    s
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'report'
  );
}
