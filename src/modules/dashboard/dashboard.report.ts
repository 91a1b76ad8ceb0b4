import * as echarts from 'echarts';
import { type Locale, RTL, t } from '../../platform/i18n/i18n.ts';
import { escapeHtml } from '../../platform/pdf/pdf.ts';
import type { PlanSummary } from '../action-plans/index.ts';
import type { AssessmentReport } from '../assessments/index.ts';
import type { HeatmapResult, TopRisk } from '../risks/index.ts';

// The assessment report: one self-contained HTML page (no script, no network) that
// Chromium prints to PDF. Charts are SVG rendered here with ECharts' server-side renderer.

export interface ReportInput {
  report: AssessmentReport;
  heatmap: HeatmapResult;
  topRisks: TopRisk[];
  plan: PlanSummary | null;
  locale: Locale;
  orgName: string;
  generatedAt: Date;
}

const esc = escapeHtml;

function radarSvg(r: AssessmentReport, L: (k: string) => string, rtl: boolean): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 480, height: 300 });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
    legend: { bottom: 0, data: [L('current'), ...(r.previous ? [L('previous')] : [])] },
    radar: {
      radius: '62%',
      indicator: r.factors.map((f) => ({ name: `${f.factor}`, max: 100 })),
      axisName: { color: '#343a40', fontSize: 13 },
      ...(rtl ? { startAngle: 90, clockwise: false } : {}),
    },
    series: [
      {
        type: 'radar',
        data: [
          { name: L('current'), value: r.factors.map((f) => f.score ?? 0), areaStyle: { opacity: 0.2 } },
          ...(r.previous
            ? [
                {
                  name: L('previous'),
                  value: r.factors.map((f) => f.previous ?? 0),
                  lineStyle: { type: 'dashed' },
                },
              ]
            : []),
        ],
      },
    ],
    color: ['#1971c2', '#e8590c'],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

function heatGrid(h: HeatmapResult, which: 'inherent' | 'residual', L: (k: string) => string): string {
  const cell = (li: number, im: number) => h.cells.find((c) => c.likelihood === li && c.impact === im);
  const rows = [...h.likelihood]
    .sort((a, b) => b.value - a.value)
    .map((l) => {
      const tds = h.impact
        .map((i) => {
          const c = cell(l.value, i.value);
          const n = c ? (which === 'inherent' ? c.inherentCount : c.residualCount) : 0;
          return `<td style="background:${esc(c?.color ?? '#eee')}">${n ? `<b>${n}</b>` : ''}</td>`;
        })
        .join('');
      return `<tr><th class="axis">${esc(l.label)}</th>${tds}</tr>`;
    })
    .join('');
  const foot = h.impact.map((i) => `<th class="axis">${esc(i.label)}</th>`).join('');
  return `<figure class="heat"><figcaption>${esc(L(which))}</figcaption>
    <table class="grid"><tbody>${rows}<tr><th class="axis"></th>${foot}</tr></tbody></table>
    <div class="axes">↑ ${esc(L('likelihood'))} · → ${esc(L('impact'))}</div></figure>`;
}

/** Signed, and kept left-to-right so a right-to-left page does not print "50+". */
const fmtDelta = (locale: Locale, n: number | null) =>
  n === null
    ? '—'
    : `<bdi dir="ltr">${new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(n)}</bdi>`;

export function reportHtml(input: ReportInput): string {
  const { report: r, heatmap, topRisks, plan, locale, orgName } = input;
  const L = (k: string, vars: Record<string, string | number> = {}) =>
    t(locale, `dashboard.report.${k}`, vars);
  const rtl = RTL.has(locale);
  const date = (d: Date | string | null) =>
    d ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(d)) : '—';
  const pct = (n: number | null) =>
    n === null
      ? '—'
      : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n / 100);
  const scored = r.factors.filter((f) => f.score !== null);
  const best = [...scored].sort((a, b) => b.score! - a.score!)[0];
  const worst = [...scored].sort((a, b) => a.score! - b.score!)[0];
  const byLevel = new Map<string, { label: string; color: string; n: number }>();
  for (const x of topRisks) {
    const e = byLevel.get(x.residualLevel.id) ?? {
      label: x.residualLevel.label,
      color: x.residualLevel.color,
      n: 0,
    };
    e.n++;
    byLevel.set(x.residualLevel.id, e);
  }

  const factorRows = r.factors
    .map(
      (f) => `<tr><td>${f.factor}</td><td>${esc(f.name)}</td><td class="num">${pct(f.score)}</td>
      <td class="num">${pct(f.previous)}</td><td class="num">${fmtDelta(locale, f.delta)}</td>
      <td class="num">${f.scored} / ${f.items}${f.notApplicable ? ` (${esc(L('na'))} ${f.notApplicable})` : ''}</td></tr>`,
    )
    .join('');

  const swSections = r.factors
    .filter((f) => f.strengths.length || f.weaknesses.length)
    .map(
      (f) => `<section class="sw"><h3>${f.factor}. ${esc(f.name)}</h3>
      <div class="cols"><div><h4>${esc(L('strengths'))}</h4><ul>${f.strengths.map((s) => `<li><span class="ref">${esc(s.refId)}</span> ${esc(s.text)}</li>`).join('') || `<li class="muted">—</li>`}</ul></div>
      <div><h4>${esc(L('weaknesses'))}</h4><ul>${f.weaknesses.map((s) => `<li><span class="ref">${esc(s.refId)}</span> ${esc(s.text)}</li>`).join('') || `<li class="muted">—</li>`}</ul></div></div></section>`,
    )
    .join('');

  const riskRows = topRisks
    .map(
      (x) => `<tr><td class="ref">${esc(x.ref)}</td><td>${esc(x.title)}</td><td>${esc(x.process)}</td>
      <td><span class="chip" style="background:${esc(x.residualLevel.color)}">${esc(x.residualLevel.label)}</span> ${x.residualScore}</td></tr>`,
    )
    .join('');

  // Three counts, each with its noun or participle in the language's plural form.
  const planTotals = (n: { actions: number; done: number; overdue: number }) =>
    L('planTotals', {
      actions: L('planActions', { count: n.actions }),
      done: L('planDone', { count: n.done }),
      overdue: L('planOverdue', { count: n.overdue }),
    });
  const planSection = plan
    ? `<p>${esc(plan.title)} — ${date(plan.horizonStart)} → ${date(plan.horizonEnd)}.
       ${plan.approvedAt ? esc(L('approvedOn', { date: date(plan.approvedAt), by: plan.approvedBy ?? '—' })) : esc(L('notApproved'))}</p>
       <p>${esc(planTotals(plan.totals))}</p>
       <table><thead><tr><th>${esc(L('ref'))}</th><th>${esc(L('objective'))}</th><th>${esc(L('factor'))}</th><th>${esc(L('owner'))}</th><th>${esc(L('due'))}</th><th>${esc(L('status'))}</th><th>${esc(L('progress'))}</th></tr></thead>
       <tbody>${plan.actions
         .map(
           (
             a,
           ) => `<tr${a.overdue ? ' class="overdue"' : ''}><td class="ref">${esc(a.ref)}</td><td>${esc(a.objective)}</td><td>${a.factor ?? '—'}</td>
           <td>${esc(a.ownerUnit ?? a.ownerUser ?? '—')}</td><td>${a.dueDate ? date(a.dueDate) : '—'}</td>
           <td>${esc(t(locale, `dashboard.status.${a.status}`))}${a.overdue ? ` · ${esc(L('overdue'))}` : ''}</td><td class="num">${a.progress} %</td></tr>`,
         )
         .join('')}</tbody></table>`
    : `<p class="muted">${esc(L('noPlan'))}</p>`;

  return `<!doctype html>
<html lang="${locale}" dir="${rtl ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<title>${esc(r.title)}</title>
<style>
  @page { size: A4; margin: 18mm 16mm; }
  body { font-family: 'DejaVu Sans', 'Noto Sans', sans-serif; font-size: 10.5pt; color: #212529; }
  h1 { font-size: 24pt; margin: 0 0 8mm; color: #1864ab; }
  h2 { font-size: 15pt; color: #1864ab; border-bottom: 2px solid #d0ebff; padding-bottom: 2mm; margin-top: 8mm; }
  h3 { font-size: 11.5pt; margin: 4mm 0 1mm; }
  h4 { font-size: 10pt; margin: 1mm 0; color: #495057; }
  .cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; page-break-after: always; }
  .cover .org { font-size: 14pt; color: #495057; }
  .cover .kind { font-size: 12pt; text-transform: uppercase; letter-spacing: .08em; color: #1971c2; }
  .cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 2mm 6mm; margin-top: 10mm; }
  .cover dt { color: #868e96; }
  table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
  th, td { border: 1px solid #dee2e6; padding: 1.5mm 2mm; text-align: start; vertical-align: top; }
  thead th { background: #f1f3f5; }
  td.num, td.ref { text-align: end; white-space: nowrap; }
  td.ref { text-align: start; }
  .kpis { display: flex; gap: 4mm; margin: 4mm 0; }
  .kpi { flex: 1; border: 1px solid #dee2e6; border-radius: 2mm; padding: 3mm; }
  .kpi .v { font-size: 18pt; font-weight: bold; color: #1864ab; }
  .kpi .l { color: #868e96; font-size: 9pt; }
  .chart { text-align: center; }
  .cols { display: flex; gap: 6mm; } .cols > div { flex: 1; }
  ul { margin: 0; padding-inline-start: 5mm; }
  .ref { color: #868e96; font-size: 8.5pt; }
  .muted { color: #868e96; }
  .heats { display: flex; gap: 8mm; }
  .heat { margin: 0; flex: 1; } .heat figcaption { font-weight: bold; margin-bottom: 2mm; }
  table.grid td { width: 11mm; height: 9mm; text-align: center; color: #111; }
  table.grid th.axis { font-weight: normal; font-size: 7.5pt; color: #495057; border: none; }
  .axes { font-size: 8pt; color: #868e96; }
  .chip { display: inline-block; padding: 0 2mm; border-radius: 2mm; color: #111; }
  tr.overdue td { background: #fff5f5; }
  section { break-inside: avoid; }
  .page { page-break-before: always; }
</style></head><body>
<div class="cover">
  <div class="org">${esc(orgName)}</div>
  <div class="kind">${esc(L('kind'))}</div>
  <h1>${esc(r.title)}</h1>
  <dl>
    <dt>${esc(L('framework'))}</dt><dd>${esc(r.framework.name)} (v${r.framework.version})</dd>
    <dt>${esc(L('type'))}</dt><dd>${esc(t(locale, `dashboard.assessmentType.${r.type}`))}</dd>
    <dt>${esc(L('period'))}</dt><dd>${r.startDate || r.endDate ? `${date(r.startDate)} → ${date(r.endDate)}` : '—'}</dd>
    <dt>${esc(L('statusLabel'))}</dt><dd>${esc(t(locale, `dashboard.assessmentStatus.${r.status}`))}${r.validation ? ` — ${esc(L('validatedOn', { date: date(r.validation.validatedAt), by: r.validation.validatedBy ?? '—' }))}` : ''}</dd>
    <dt>${esc(L('team'))}</dt><dd>${r.team.map((m) => `${esc(m.name)} (${esc(t(locale, `dashboard.teamRole.${m.role}`))})`).join(', ') || '—'}</dd>
    <dt>${esc(L('generated'))}</dt><dd>${date(input.generatedAt)}</dd>
  </dl>
</div>

<h2>${esc(L('summary'))}</h2>
<div class="kpis">
  <div class="kpi"><div class="v">${pct(r.overall)}</div><div class="l">${esc(L('overall'))}${r.previous ? ` · ${fmtDelta(locale, r.overallDelta)} ${esc(L('vsPrevious'))}` : ''}</div></div>
  <div class="kpi"><div class="v">${r.progress.done} / ${r.progress.total}</div><div class="l">${esc(L('itemsDone'))}</div></div>
  <div class="kpi"><div class="v">${plan ? plan.totals.overdue : 0}</div><div class="l">${esc(L('overdueActions'))}</div></div>
</div>
<p>${esc(
    L('summaryText', {
      overall: pct(r.overall),
      best: best ? `${best.factor}. ${best.name} (${pct(best.score)})` : '—',
      worst: worst ? `${worst.factor}. ${worst.name} (${pct(worst.score)})` : '—',
    }),
  )}</p>
${r.previous ? `<p>${esc(L('previousText', { title: r.previous.title, date: date(r.previous.validatedAt), overall: pct(r.previous.overall) }))}</p>` : ''}
${byLevel.size ? `<p>${esc(L('topRisksText'))} ${[...byLevel.values()].map((l) => `<span class="chip" style="background:${esc(l.color)}">${esc(l.label)}: ${l.n}</span>`).join(' ')}</p>` : ''}

<h2>${esc(L('scores'))}</h2>
<div class="chart">${radarSvg(r, L, rtl)}</div>
<table><thead><tr><th>#</th><th>${esc(L('factor'))}</th><th>${esc(L('score'))}</th><th>${esc(L('previousShort'))}</th><th>${esc(L('delta'))}</th><th>${esc(L('items'))}</th></tr></thead>
<tbody>${factorRows}</tbody></table>

<h2>${esc(L('strengthsWeaknesses'))}</h2>
${swSections || `<p class="muted">—</p>`}

<div class="page"></div>
<h2>${esc(L('riskMap'))}</h2>
<div class="heats">${heatGrid(heatmap, 'inherent', L)}${heatGrid(heatmap, 'residual', L)}</div>
<p class="muted">${esc(L('riskCount', { count: heatmap.total }))}</p>
${riskRows ? `<h3>${esc(L('topRisks'))}</h3><table><thead><tr><th>${esc(L('ref'))}</th><th>${esc(L('risk'))}</th><th>${esc(L('process'))}</th><th>${esc(L('residualShort'))}</th></tr></thead><tbody>${riskRows}</tbody></table>` : ''}

<h2>${esc(L('actionPlan'))}</h2>
${planSection}
</body></html>`;
}
