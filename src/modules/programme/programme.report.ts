import type { z } from 'zod';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError } from '../../platform/errors.ts';
import { download, type FileResponse } from '../../platform/http/download.ts';
import { type HtmlResponse, html } from '../../platform/http/route.ts';
import { type Locale, RTL, t } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { TableRow, TableSheet } from '../../platform/tables/tables.ts';
import { escapeHtml as esc } from '../../platform/pdf/pdf.ts';
import { decimalCell, fromMinor, toMinor } from './programme.money.ts';
import type { DonorKey } from './programme.queries.ts';
import { type Results, ResultsService } from './programme.results.ts';
import type { ProgrammeService } from './programme.service.ts';
import type { Currency } from './programme.vocab.ts';

// The donor's report for a period as a printed document (issue 6, "a donor report per period, PDF
// and XLSX, in the user's language"): the same rows as the XLSX report (agreements in force,
// disbursements received, activities started with their participants and the cost lines charged
// to the donor's agreements) plus the results of the partnerships that name the donor, on one
// self-contained HTML page (no script, no network) that Chromium prints (kernel.pdf, ADR 0013).
// The donor's own data only: everything is read through ProgrammeService.donorPeriod (the same
// selection as the XLSX rows), under row-level security (ADR 0028). Without Chromium, the same page
// is answered for the browser to print.

export interface Period {
  from: string;
  to: string;
}

type Money = { amount: string; currency: Currency };

interface FundingRow {
  reference: string;
  donor: string;
  startsOn: string;
  endsOn: string;
  earmark: string | null;
  amount: Money;
  /** Received during the period. */
  disbursed: Money;
  /** Cost lines of activities started during the period charged to it, per currency. */
  spent: Money[];
}

interface IndicatorRow {
  result: string;
  name: string;
  unit: string;
  baseline: string;
  target: string;
  actual: string | null;
  /** Where the figure comes from (an entered period, a RAD factor of an assessment) or why there is none. */
  source: string;
}

export interface DonorReportData {
  donors: string[];
  period: Period;
  funding: FundingRow[];
  disbursements: { receivedOn: string; reference: string; amount: Money }[];
  activities: {
    type: string;
    title: string;
    startsOn: string;
    endsOn: string;
    partners: string[];
    women: number;
    men: number;
    costs: { label: string; reference: string; amount: Money }[];
  }[];
  results: { organisation: string; indicators: IndicatorRow[] }[];
  /** Per currency: committed (agreements in force), received and spent during the period. */
  totals: { currency: Currency; committed: string; disbursed: string; spent: string }[];
}

const sumMinor = (items: Money[], currency: Currency) =>
  items.filter((m) => m.currency === currency).reduce((s, m) => s + toMinor(m.amount, currency), 0n);

/** Does [start, end] (either may be open) meet the period? */
const meets = (p: Period, start: string | null, end: string | null) =>
  (start ?? end ?? '') <= p.to && (end ?? start ?? '') >= p.from;

type Indicator = z.infer<typeof Results>['outcomes'][number]['indicators'][number];

/**
 * An indicator's actuals in a report: a RAD factor's live figure (or why there is none); the
 * values of a linked KPI or the entered actuals meeting the period.
 */
const periodActuals = (i: Indicator, period: Period) =>
  i.link?.kind === 'rad_factor' || (i.link && i.actuals[0]?.status !== 'ok')
    ? i.actuals
    : i.actuals.filter((a) => meets(period, a.periodStart, a.periodEnd));

/** A linked actual's source: the RAD factor, or the KPI's code. */
const linkedSource = (i: Indicator, L: (k: string, vars?: Record<string, string | number>) => string) =>
  i.link?.kind === 'kpi'
    ? L('linkedKpi', { code: i.link.code })
    : i.link?.kind === 'survey_index'
      ? i.link.factor === null
        ? L('linkedSurvey')
        : L('linkedSurveyFactor', { factor: i.link.factor })
      : i.link?.kind === 'case_statistics'
        ? L(`linkedCases.${i.link.measure}`)
        : L('linked', { factor: i.link?.kind === 'rad_factor' ? i.link.factor : '' });

/**
 * A linked actual's evidence (RAD factor, validated assessment and date; or the KPI and the
 * period end of its value), or why there is none.
 */
const linkedEvidence = (
  i: Indicator,
  a: Indicator['actuals'][number],
  P: (k: string, vars?: Record<string, string | number>) => string,
) =>
  a.status !== 'ok' || !a.evidence
    ? P(`link.${a.status}`)
    : a.evidence.kind === 'kpi'
      ? P('linkedKpiSource', { code: a.evidence.code, name: a.evidence.name, date: a.periodEnd ?? '' })
      : a.evidence.kind === 'survey_index'
        ? P('linkedSurveySource', { name: a.evidence.name, date: a.evidence.closedOn })
        : a.evidence.kind === 'case_statistics'
          ? P(`linkedCasesSource.${a.evidence.measure}`, { year: a.evidence.year })
          : P('linkedSource', {
              factor: i.link?.kind === 'rad_factor' ? i.link.factor : '',
              title: a.evidence.title,
              date: a.evidence.validatedAt.slice(0, 10),
            });

/** What a donor's report for a period shows, from what the donor may read. */
export async function donorReportData(
  svc: ProgrammeService,
  results: ResultsService,
  tx: TenantTx,
  donor: DonorKey,
  period: Period,
  locale: Locale,
): Promise<DonorReportData> {
  const d = await svc.donorPeriod(tx, donor, period);
  const L = (k: string, vars: Record<string, string | number> = {}) => t(locale, `programme.pdf.${k}`, vars);
  const costs = d.activities.flatMap((a) => a.costs);
  const funding = d.agreements.map((a): FundingRow => {
    const cur = a.amount.currency;
    const received = a.disbursements.map((x) => x.amount as Money);
    const mine = costs.filter((c) => c.agreementId === a.id).map((c) => c.amount as Money);
    const currencies = [...new Set(mine.map((m) => m.currency))];
    return {
      reference: a.reference,
      donor: a.donorName,
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      earmark: a.earmarkRegion,
      amount: a.amount as Money,
      disbursed: { amount: fromMinor(sumMinor(received, cur), cur), currency: cur },
      spent: (currencies.length ? currencies : [cur]).map((c) => ({
        amount: fromMinor(sumMinor(mine, c), c),
        currency: c,
      })),
    };
  });
  const disbursements = d.agreements.flatMap((a) =>
    a.disbursements.map((x) => ({
      receivedOn: x.receivedOn,
      reference: a.reference,
      amount: x.amount as Money,
    })),
  );
  disbursements.sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));

  const allCurrencies = [
    ...new Set([
      ...funding.map((f) => f.amount.currency),
      ...costs.map((c) => c.amount.currency as Currency),
    ]),
  ].sort();
  const totals = allCurrencies.map((c) => ({
    currency: c,
    committed: fromMinor(
      sumMinor(
        funding.map((f) => f.amount),
        c,
      ),
      c,
    ),
    disbursed: fromMinor(
      sumMinor(
        funding.map((f) => f.disbursed),
        c,
      ),
      c,
    ),
    spent: fromMinor(
      sumMinor(
        costs.map((x) => x.amount as Money),
        c,
      ),
      c,
    ),
  }));

  const frameworks = [];
  for (const p of d.partnerships) {
    const r = await results.results(tx, p.id);
    const indicators: IndicatorRow[] = [];
    const push = (result: string, list: Indicator[]) => {
      for (const i of list) {
        const last = periodActuals(i, period).at(-1) ?? null;
        indicators.push({
          result,
          name: i.name,
          unit: i.unit,
          baseline: i.baseline,
          target: i.target,
          actual: last?.value ?? null,
          source: !last
            ? L('noActual')
            : last.source === 'entered'
              ? last.periodLabel
              : linkedEvidence(i, last, L),
        });
      }
    };
    for (const o of r.outcomes) {
      push(o.title, o.indicators);
      for (const out of o.outputs) push(`${o.title} › ${out.title}`, out.indicators);
    }
    frameworks.push({ organisation: p.organisation, indicators });
  }

  return {
    donors: d.donors.map((x) => x.name),
    period,
    funding,
    disbursements,
    activities: d.activities.map((a) => ({
      type: a.type,
      title: a.title,
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      partners: a.partners,
      women: a.women,
      men: a.men,
      costs: a.costs.map((c) => ({
        label: c.label,
        reference: d.reference.get(c.agreementId) ?? '',
        amount: c.amount as Money,
      })),
    })),
    results: frameworks,
    totals,
  };
}

// ---- the page ----------------------------------------------------------------------------------------

const BAR_COLORS = ['#1971c2', '#2f9e44', '#e8590c'] as const;

/**
 * Funding vs spent as an inline SVG, one chart per currency: for each agreement in force, three
 * bars — committed, received and spent during the period — with their figures. Drawn here (no
 * chart library: a few rectangles), mirrored for a right-to-left page; the legend is HTML.
 */
export function fundingSvg(
  rows: FundingRow[],
  currency: Currency,
  rtl: boolean,
  num: (s: string) => string,
  label: string,
): string {
  const mine = rows.filter((r) => r.amount.currency === currency);
  const pick = (m: Money[]) => m.find((x) => x.currency === currency)?.amount ?? '0';
  const bars = mine.map((r) => [r.amount.amount, r.disbursed.amount, pick(r.spent)] as const);
  const max = Math.max(1, ...bars.flat().map(Number));
  const W = 640;
  const labelW = 130;
  const valueW = 110;
  const plot = W - labelW - valueW;
  const barH = 11;
  const groupH = barH * 3 + 14;
  const H = mine.length * groupH + 6;
  // x of a point `d` from the start edge (left in ltr, right in rtl); the SVG itself is laid out
  // left to right, so anchors are physical.
  const x = (d: number, w = 0) => (rtl ? W - d - w : d);
  const anchor = (start: boolean) => (start !== rtl ? 'start' : 'end');
  const parts: string[] = [];
  mine.forEach((r, gi) => {
    const top = gi * groupH + 4;
    parts.push(
      `<text x="${x(labelW - 8)}" y="${top + barH * 1.5 + 4}" text-anchor="${anchor(false)}" font-size="10" fill="#343a40">${esc(r.reference)}</text>`,
    );
    bars[gi]!.forEach((v, bi) => {
      const w = Math.max(0.5, (Number(v) / max) * plot);
      const y = top + bi * barH;
      parts.push(
        `<rect x="${x(labelW, w)}" y="${y}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${BAR_COLORS[bi]}"/>`,
        `<text x="${x(labelW + w + 4)}" y="${y + barH - 3}" text-anchor="${anchor(true)}" font-size="8.5" fill="#495057">${esc(num(v))}</text>`,
      );
    });
  });
  parts.push(`<line x1="${x(labelW)}" y1="0" x2="${x(labelW)}" y2="${H}" stroke="#adb5bd"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(label)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" direction="ltr" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
}

export function donorReportHtml(
  data: DonorReportData,
  locale: Locale,
  generatedAt: Date,
  notice?: string,
): string {
  const L = (k: string, vars: Record<string, string | number> = {}) => t(locale, `programme.pdf.${k}`, vars);
  const rtl = RTL.has(locale);
  const date = (d: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${d}T00:00:00Z`),
    );
  const int = new Intl.NumberFormat(locale);
  /** An exact decimal string in the locale's digits and separators (never through a float). */
  const num = (s: string) => {
    const decimals = s.split('.')[1]?.length ?? 0;
    return new Intl.NumberFormat(locale, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(s as Intl.StringNumericLiteral);
  };
  const money = (m: Money) => `<bdi dir="ltr" class="money">${esc(num(m.amount))} ${esc(m.currency)}</bdi>`;
  const period = `${date(data.period.from)} – ${date(data.period.to)}`;
  const empty = (cols: number) => `<tr><td colspan="${cols}" class="muted">${esc(L('none'))}</td></tr>`;

  const fundingRows = data.funding
    .map(
      (f) => `<tr><td class="ref">${esc(f.reference)}</td><td>${esc(f.donor)}</td>
      <td>${esc(date(f.startsOn))} – ${esc(date(f.endsOn))}</td><td>${esc(f.earmark ?? L('notEarmarked'))}</td>
      <td class="num">${money(f.amount)}</td><td class="num">${money(f.disbursed)}</td>
      <td class="num">${f.spent.map(money).join('<br>')}</td></tr>`,
    )
    .join('');
  const totalRows = data.totals
    .map(
      (x) => `<div class="kpi"><div class="l">${esc(x.currency)}</div>
      <div><span class="l">${esc(L('committed'))}</span> ${money({ amount: x.committed, currency: x.currency })}</div>
      <div><span class="l">${esc(L('disbursed'))}</span> ${money({ amount: x.disbursed, currency: x.currency })}</div>
      <div><span class="l">${esc(L('spent'))}</span> ${money({ amount: x.spent, currency: x.currency })}</div></div>`,
    )
    .join('');
  const legend = `<div class="legend">${['committed', 'disbursed', 'spent']
    .map((k, i) => `<span><i style="background:${BAR_COLORS[i]}"></i>${esc(L(k))}</span>`)
    .join('')}</div>`;
  const charts = data.totals
    .filter((x) => data.funding.some((f) => f.amount.currency === x.currency))
    .map(
      (x) => `<figure class="chart"><figcaption>${esc(L('chartTitle'))} (${esc(x.currency)})</figcaption>
      ${fundingSvg(data.funding, x.currency, rtl, num, `${L('chartTitle')} (${x.currency})`)}${legend}</figure>`,
    )
    .join('');
  const disbursementRows = data.disbursements
    .map(
      (x) =>
        `<tr><td>${esc(date(x.receivedOn))}</td><td class="ref">${esc(x.reference)}</td><td class="num">${money(x.amount)}</td></tr>`,
    )
    .join('');
  const type = (k: string) => t(locale, `programme.report.type.${k}`);
  const activityRows = data.activities
    .map(
      (a) => `<tr><td>${esc(type(a.type))}</td><td>${esc(a.title)}</td>
      <td>${esc(date(a.startsOn))} – ${esc(date(a.endsOn))}</td><td>${esc(a.partners.join(', ') || '—')}</td>
      <td class="num">${esc(int.format(a.women))}</td><td class="num">${esc(int.format(a.men))}</td>
      <td class="num">${esc(int.format(a.women + a.men))}</td></tr>`,
    )
    .join('');
  const women = data.activities.reduce((n, a) => n + a.women, 0);
  const men = data.activities.reduce((n, a) => n + a.men, 0);
  const expenditureRows = data.activities
    .flatMap((a) =>
      a.costs.map(
        (c) => `<tr><td>${esc(a.title)}</td><td>${esc(c.label)}</td><td class="ref">${esc(c.reference)}</td>
        <td class="num">${money(c.amount)}</td></tr>`,
      ),
    )
    .join('');
  const resultSections = data.results
    .map(
      (r) => `<section><h3>${esc(r.organisation)}</h3>
      <table><thead><tr><th>${esc(L('result'))}</th><th>${esc(L('indicator'))}</th><th>${esc(L('baseline'))}</th>
      <th>${esc(L('target'))}</th><th>${esc(L('actual'))}</th><th>${esc(L('source'))}</th></tr></thead>
      <tbody>${
        r.indicators
          .map(
            (i) => `<tr><td>${esc(i.result)}</td><td>${esc(i.name)}${i.unit ? ` (${esc(i.unit)})` : ''}</td>
            <td class="num">${esc(num(i.baseline))}</td><td class="num">${esc(num(i.target))}</td>
            <td class="num">${i.actual === null ? '—' : esc(num(i.actual))}</td><td>${esc(i.source)}</td></tr>`,
          )
          .join('') || empty(6)
      }</tbody></table></section>`,
    )
    .join('');

  return `<!doctype html>
<html lang="${locale}" dir="${rtl ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<title>${esc(L('title'))} — ${esc(data.donors.join(', '))}</title>
<style>
  @page { size: A4; margin: 16mm 14mm; }
  body { font-family: 'DejaVu Sans', 'Noto Sans', 'Noto Sans Arabic', sans-serif; font-size: 9.5pt; color: #212529; margin: 0; }
  h1 { font-size: 20pt; margin: 0 0 2mm; color: #1864ab; }
  h2 { font-size: 13pt; color: #1864ab; border-bottom: 2px solid #d0ebff; padding-bottom: 1.5mm; margin: 7mm 0 2mm; }
  h3 { font-size: 11pt; margin: 4mm 0 1mm; }
  .sub { color: #495057; font-size: 11pt; }
  .notice { border: 1px solid #f08c00; background: #fff9db; padding: 3mm; margin-bottom: 4mm; }
  @media print { .notice { display: none; } }
  table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; }
  th, td { border: 1px solid #dee2e6; padding: 1.2mm 1.8mm; text-align: start; vertical-align: top; }
  thead th { background: #f1f3f5; }
  tfoot td { font-weight: bold; background: #f8f9fa; }
  td.num { text-align: end; white-space: nowrap; }
  .ref { color: #495057; white-space: nowrap; }
  .muted { color: #868e96; }
  .kpis { display: flex; flex-wrap: wrap; gap: 4mm; margin: 3mm 0; }
  .kpi { flex: 1; min-width: 50mm; border: 1px solid #dee2e6; border-radius: 2mm; padding: 2.5mm; }
  .kpi .l { color: #868e96; font-size: 8.5pt; }
  .kpi > .l:first-child { font-weight: bold; color: #1864ab; font-size: 11pt; }
  .chart { margin: 2mm 0 4mm; break-inside: avoid; }
  .chart figcaption { font-weight: bold; margin-bottom: 1.5mm; }
  .legend { display: flex; gap: 6mm; font-size: 8.5pt; color: #495057; margin-top: 1mm; }
  .legend i { display: inline-block; width: 3mm; height: 3mm; margin-inline-end: 1.5mm; vertical-align: middle; }
  h2, h3 { break-after: avoid; }
  section, tr { break-inside: avoid; }
</style></head><body>
${notice ? `<div class="notice" role="note">${esc(notice)}</div>` : ''}
<header>
  <div class="sub">${esc(L('programme'))}</div>
  <h1>${esc(L('title'))}</h1>
  <div class="sub">${esc(data.donors.join(', '))} · ${esc(L('period'))}: ${esc(period)}</div>
  <div class="muted">${esc(L('generated', { date: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(generatedAt) }))}</div>
</header>

<h2>${esc(L('funding'))}</h2>
<div class="kpis">${totalRows || `<p class="muted">${esc(L('none'))}</p>`}</div>
${charts}
<table><thead><tr><th>${esc(L('agreement'))}</th><th>${esc(L('donor'))}</th><th>${esc(L('agreementPeriod'))}</th>
<th>${esc(L('earmark'))}</th><th>${esc(L('committed'))}</th><th>${esc(L('disbursed'))}</th><th>${esc(L('spent'))}</th></tr></thead>
<tbody>${fundingRows || empty(7)}</tbody></table>

<h2>${esc(L('disbursements'))}</h2>
<table><thead><tr><th>${esc(L('receivedOn'))}</th><th>${esc(L('agreement'))}</th><th>${esc(L('amount'))}</th></tr></thead>
<tbody>${disbursementRows || empty(3)}</tbody></table>

<h2>${esc(L('activities'))}</h2>
<table><thead><tr><th>${esc(L('type'))}</th><th>${esc(L('activity'))}</th><th>${esc(L('dates'))}</th><th>${esc(L('partners'))}</th>
<th>${esc(L('women'))}</th><th>${esc(L('men'))}</th><th>${esc(L('total'))}</th></tr></thead>
<tbody>${activityRows || empty(7)}</tbody>
${data.activities.length ? `<tfoot><tr><td colspan="4">${esc(L('participantsTotal'))}</td><td class="num">${esc(int.format(women))}</td><td class="num">${esc(int.format(men))}</td><td class="num">${esc(int.format(women + men))}</td></tr></tfoot>` : ''}</table>

<h2>${esc(L('expenditure'))}</h2>
<table><thead><tr><th>${esc(L('activity'))}</th><th>${esc(L('costLine'))}</th><th>${esc(L('agreement'))}</th><th>${esc(L('amount'))}</th></tr></thead>
<tbody>${expenditureRows || empty(4)}</tbody></table>

<h2>${esc(L('results'))}</h2>
${resultSections || `<p class="muted">${esc(L('none'))}</p>`}
</body></html>`;
}

/**
 * The donor's report as PDF; its print-ready HTML page when asked (`format=html`), or when the
 * server has no Chromium (with a notice saying so, hidden when printed).
 */
export class DonorReports {
  private readonly results: ResultsService;
  constructor(
    private readonly k: Kernel,
    private readonly svc: ProgrammeService,
  ) {
    this.results = new ResultsService(k);
  }

  /**
   * The XLSX report's results-framework sheet (what the PDF shows, one row per actual): for each
   * partnership the donor funds, outcomes → outputs → indicators with baseline, target and each
   * actual of the period — an entered one with its period, or the live figure of a linked indicator
   * with its evidence (the RAD factor, the validated assessment and its date) or why there is none.
   * An indicator without a figure for the period still has its row.
   */
  async resultsSheet(tx: TenantTx, donor: DonorKey, period: Period, locale: Locale): Promise<TableSheet> {
    const L = (k: string, vars: Record<string, string | number> = {}) =>
      t(locale, `programme.report.results.${k}`, vars);
    const P = (k: string, vars: Record<string, string | number> = {}) =>
      t(locale, `programme.pdf.${k}`, vars);
    const d = await this.svc.donorPeriod(tx, donor, period);
    const rows: TableRow[] = [];
    const num = decimalCell;
    for (const p of d.partnerships) {
      const r = await this.results.results(tx, p.id);
      type Ind = (typeof r.outcomes)[number]['indicators'][number];
      const push = (level: string, outcome: string, output: string | null, list: Ind[]) => {
        for (const i of list) {
          const base = {
            partnership: p.organisation,
            level,
            outcome,
            output,
            indicator: i.name,
            unit: i.unit,
            baseline: num(i.baseline),
            target: num(i.target),
          };
          const actuals = periodActuals(i, period);
          if (actuals.length === 0)
            rows.push({ ...base, period: null, actual: null, source: P('noActual'), evidence: null });
          for (const a of actuals)
            rows.push({
              ...base,
              period:
                a.source === 'entered'
                  ? `${a.periodLabel} (${a.periodStart ?? ''} – ${a.periodEnd ?? ''})`
                  : a.periodLabel,
              actual: num(a.value),
              source: a.source === 'entered' ? L('entered') : linkedSource(i, L),
              evidence: a.source === 'entered' ? null : linkedEvidence(i, a, P),
            });
        }
      };
      for (const o of r.outcomes) {
        push(L('outcome'), o.title, null, o.indicators);
        for (const x of o.outputs) push(L('output'), o.title, x.title, x.indicators);
      }
    }
    const columns = [
      'partnership',
      'level',
      'outcome',
      'output',
      'indicator',
      'unit',
      'baseline',
      'target',
      'period',
      'actual',
      'source',
      'evidence',
    ].map((key) => ({ key, header: L(`column.${key}`) }));
    return { sheetName: L('sheet'), columns, rows };
  }

  async document(
    tx: TenantTx,
    donor: DonorKey,
    query: Period & { format: 'pdf' | 'html' },
    locale: Locale,
    /** Without its extension. */
    filename: string,
  ): Promise<FileResponse | HtmlResponse> {
    const data = await donorReportData(this.svc, this.results, tx, donor, query, locale);
    const now = new Date();
    if (query.format === 'html') return html(donorReportHtml(data, locale, now));
    const footer = `<div style="font-size:8px;width:100%;text-align:center;color:#868e96"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`;
    try {
      const pdf = await this.k.pdf.render(donorReportHtml(data, locale, now), {
        headerTemplate: '<span></span>',
        footerTemplate: footer,
      });
      return download({
        filename: `${filename}.pdf`,
        mediaType: 'application/pdf',
        data: pdf,
      });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'UNAVAILABLE') throw e;
      return html(donorReportHtml(data, locale, now, t(locale, 'programme.pdf.noChromium')));
    }
  }
}
