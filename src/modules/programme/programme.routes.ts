import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError } from '../../platform/errors.ts';
import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { type Locale, RTL } from '../../platform/i18n/i18n.ts';
import { TABLE_MEDIA_TYPES, writeTable } from '../../platform/tables/tables.ts';
import * as C from './programme.contract.ts';
import { P } from './programme.permissions.ts';
import * as q from './programme.queries.ts';
import type { DonorKey } from './programme.queries.ts';
import type { DonorReports } from './programme.report.ts';
import type { ProgrammeService } from './programme.service.ts';
import type { ValueService } from './programme.value.ts';

const iatiDownload = (xml: string) =>
  download({
    filename: `a-cip-iati-activities-${new Date().toISOString().slice(0, 10)}.xml`,
    mediaType: 'application/xml; charset=utf-8',
    data: Buffer.from(xml, 'utf8'),
  });

/**
 * A donor's name as part of a file name: its words in any script, lower-case, each followed by '-'
 * ("Agence française" → "agence-française-"; download() sends a UTF-8 name with an ASCII fallback).
 */
const fileWords = (name: string) =>
  name
    .normalize('NFC')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => `${w.toLowerCase()}-`)
    .join('');

export function programmeRoutes(
  r: Router,
  svc: ProgrammeService,
  reports: DonorReports,
  value: ValueService,
) {
  // ---- an administration ---------------------------------------------------------------------
  r.post({
    url: '/api/programme/eois',
    access: P.submit,
    summary:
      'Submit an expression of interest in the A-CIP programme (endorsement by the head, priorities by RAD factor, initiatives, contact)',
    body: C.EoiInput,
    bodyLimit: 128 * 1024,
    status: 201,
    response: C.Eoi,
    handler: async ({ tx, tenantId, actor, body }) => svc.submitEoi(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/programme/mine',
    access: P.submit,
    summary:
      "My administration's expressions of interest (with the Secretariat's decisions), partnership and activities",
    response: C.Mine,
    handler: async ({ tx, tenantId }) => svc.mine(tx, tenantId),
  });

  // ---- a donor ------------------------------------------------------------------------------------
  r.get({
    url: '/api/programme/donor/dashboard',
    access: P.donorRead,
    summary: 'What my donor organisation funds: its agreements, disbursements, partners and activities',
    response: C.DonorDashboard,
    handler: async ({ tx, tenantId }) => svc.donorDashboard(tx, { organisationId: tenantId }),
  });

  /**
   * A donor's report for a period (PDF/HTML, XLSX with its value-for-money and results sheets, or
   * one CSV part): for the donor organisation itself, and for the Secretariat about any donor.
   */
  const donorReport = async (
    tx: TenantTx,
    tenantId: string,
    donor: DonorKey,
    query: C.DonorReportQueryT,
    locale: Locale,
    /** The donor's name in the file name (fileWords), or '' for the donor's own. */
    name: string,
  ) => {
    const filename = `a-cip-donor-report-${name}${query.from}-${query.to}`;
    if (query.format === 'pdf' || query.format === 'html')
      return reports.document(tx, donor, { ...query, format: query.format }, locale, filename);
    // XLSX: the report, then the value-for-money sheet; CSV: one of them (part).
    const vfm = query.format === 'xlsx' || query.part === 'value_for_money';
    const sheet = vfm ? await value.donorSheet(tx, tenantId, donor, query, locale) : undefined;
    const report = query.format === 'csv' && sheet ? sheet : await svc.donorReport(tx, donor, query, locale);
    // XLSX also holds the results framework (the PDF's results section, one row per actual).
    const more =
      query.format === 'xlsx' && sheet ? [sheet, await reports.resultsSheet(tx, donor, query, locale)] : [];
    const data = await writeTable({ ...report, format: query.format, rtl: RTL.has(locale), more });
    return download({
      filename: `${filename}${query.format === 'csv' && sheet ? '-value-for-money' : ''}.${query.format}`,
      mediaType: TABLE_MEDIA_TYPES[query.format],
      data,
    });
  };

  r.get({
    url: '/api/programme/donor/report',
    access: P.donorRead,
    summary:
      "My donor organisation's report for a period, in my language: XLSX or CSV (agreements, disbursements, activities and their costs; XLSX adds the value-for-money and results-framework sheets), or PDF (the same with a funding chart and the results; format=html: its print-ready page)",
    query: C.DonorReportQuery,
    handler: async ({ tx, tenantId, query, locale }) =>
      donorReport(tx, tenantId, { organisationId: tenantId }, query, locale, ''),
  });

  r.get({
    url: '/api/programme/donors/:id/report',
    access: P.manage,
    summary:
      "The Secretariat's copy of a donor's report for a period: exactly what that donor's own report shows (its agreements, disbursements, the activities and cost lines charged to them, value for money on its own cost lines, results), in the same formats",
    params: C.IdParam,
    query: C.DonorReportQuery,
    handler: async ({ tx, tenantId, params, query, locale }) => {
      // Row-level security shows donors to the Secretariat only: elsewhere this is a 404.
      const [donor] = await q.donors(tx, { donorId: params.id });
      if (!donor || !(await q.isSecretariat(tx))) throw new AppError('NOT_FOUND', 'donor not found');
      return donorReport(tx, tenantId, { donorId: donor.id }, query, locale, fileWords(donor.name));
    },
  });

  r.get({
    url: '/api/programme/donor/iati.xml',
    access: P.donorRead,
    summary:
      'What my donor organisation funds as an IATI 2.03 activity file (its partnerships, agreements, disbursements and the costs charged to them)',
    handler: async ({ tx, tenantId }) => iatiDownload(await svc.iati(tx, { donorOrganisationId: tenantId })),
  });

  // ---- the Secretariat: IATI ------------------------------------------------------------------------
  r.get({
    url: '/api/programme/iati.xml',
    access: P.manage,
    summary:
      'The programme as an IATI 2.03 activity file: one activity per partnership (budgets, commitments, funds received, expenditure)',
    handler: async ({ tx }) => iatiDownload(await svc.iati(tx, { secretariat: true })),
  });

  // ---- the Secretariat: pipeline ------------------------------------------------------------------
  r.get({
    url: '/api/programme/pipeline',
    access: P.manage,
    summary: 'Expressions of interest by pipeline status (empty outside the Secretariat)',
    response: C.Pipeline,
    handler: async ({ tx }) => svc.pipeline(tx),
  });
  r.get({
    url: '/api/programme/results-by-factor',
    access: P.manage,
    summary:
      "Results by RAD key factor: requests naming each factor (declined ones left out) and the partners' indicators read from its score — how many, how many with a figure, how many on track (zeros outside the Secretariat)",
    response: C.FactorResults,
    handler: async ({ tx }) => svc.resultsByFactor(tx),
  });
  r.get({
    url: '/api/programme/eois/:id',
    access: P.manage,
    summary: 'An expression of interest with its transitions',
    params: C.IdParam,
    response: C.Eoi,
    handler: async ({ tx, params }) => svc.eoi(tx, params.id),
  });
  r.post({
    url: '/api/programme/eois/:id/transition',
    access: P.manage,
    summary:
      'Move an expression of interest along the pipeline, with reason and date (eligible: with its estimated cost; partner: with the partnership)',
    params: C.IdParam,
    body: C.TransitionInput,
    response: C.Eoi,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.transition(tx, tenantId, actor, params.id, body),
  });

  // ---- donors, agreements, rates, funding gap -------------------------------------------------------
  r.get({
    url: '/api/programme/donor-organisations',
    access: P.manage,
    summary: 'Donor organisations a donor can be linked to (so that their users see what it funds)',
    response: Items(C.DonorOrganisation),
    handler: async ({ tx }) => ({ items: await svc.donorOrganisations(tx) }),
  });
  r.get({
    url: '/api/programme/donors',
    access: P.manage,
    summary: 'Donors of the programme',
    response: Items(C.Donor),
    handler: async ({ tx }) => ({ items: await svc.donors(tx) }),
  });
  r.post({
    url: '/api/programme/donors',
    access: P.manage,
    summary: 'A new donor, optionally linked to its donor organisation',
    body: C.DonorInput,
    status: 201,
    response: C.Donor,
    handler: async ({ tx, tenantId, actor, body }) => svc.createDonor(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/programme/donors/:id',
    access: P.manage,
    summary:
      "Correct a donor's name or donor organisation at the version read (409 when stale; an organisation already linked to another donor: 409)",
    params: C.IdParam,
    body: C.DonorUpdate,
    response: C.Donor,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateDonor(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/programme/agreements',
    access: P.manage,
    summary: 'Funding agreements, with disbursements and expenditure',
    response: Items(C.Agreement),
    handler: async ({ tx }) => ({ items: await svc.agreements(tx) }),
  });
  r.post({
    url: '/api/programme/agreements',
    access: P.manage,
    summary: 'A funding agreement (donor, amount and currency, period, earmark by region or partner)',
    body: C.AgreementInput,
    status: 201,
    response: C.Agreement,
    handler: async ({ tx, tenantId, actor, body }) => svc.createAgreement(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/programme/agreements/:id',
    access: P.manage,
    summary:
      'Correct a funding agreement at the version read (409 when stale): any of its fields, checked as a new agreement; its currency stays once disbursements are recorded',
    params: C.IdParam,
    body: C.AgreementUpdate,
    response: C.Agreement,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateAgreement(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/programme/agreements/:id/disbursements',
    access: P.manage,
    summary: "Record money received under an agreement (in the agreement's currency)",
    params: C.IdParam,
    body: C.DisbursementInput,
    status: 201,
    response: C.Agreement,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addDisbursement(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/programme/rates',
    access: P.manage,
    summary: 'Exchange rates entered by the Secretariat, newest first',
    response: Items(C.Rate),
    handler: async ({ tx }) => ({ items: await svc.rates(tx) }),
  });
  r.post({
    url: '/api/programme/rates',
    access: P.manage,
    summary: 'An exchange rate: units of `to` for one unit of `from`, as of a date',
    body: C.RateInput,
    status: 201,
    response: C.Rate,
    handler: async ({ tx, tenantId, actor, body }) => svc.addRate(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/programme/rates/:id',
    access: P.manage,
    summary:
      'Correct a mistyped exchange rate at the version read (409 when stale): its currencies, value or date (another rate of that pair and day: 409)',
    params: C.IdParam,
    body: C.RateUpdate,
    response: C.Rate,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateRate(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/programme/funding-gap',
    access: P.manage,
    summary:
      'Funding gap by WCO region (eligible demand − available funds) in a chosen currency, with the rates used',
    query: C.GapQuery,
    response: C.FundingGap,
    handler: async ({ tx, query }) => svc.fundingGap(tx, query),
  });

  // ---- partnerships and activities -------------------------------------------------------------------
  r.get({
    url: '/api/programme/partnerships',
    access: P.manage,
    summary: 'Partner administrations: period, donors, coordinator (benchmarks: the multi-annual plan)',
    response: Items(C.Partnership),
    handler: async ({ tx }) => ({ items: await svc.partnerships(tx) }),
  });
  r.patch({
    url: '/api/programme/partnerships/:id',
    access: P.manage,
    summary:
      'Edit a partnership: period, donors, coordinator (`benchmarks` is refused with a 400: they are saved with the multi-annual plan, PUT …/plan)',
    params: C.IdParam,
    body: C.PartnershipUpdate,
    response: C.Partnership,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updatePartnership(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/programme/activities',
    access: P.manage,
    summary: 'Activities: missions, workshops, trainings, regional events, remote assistance',
    response: Items(C.Activity),
    handler: async ({ tx }) => ({ items: await svc.activities(tx) }),
  });
  r.post({
    url: '/api/programme/activities',
    access: P.manage,
    summary: 'Record an activity with its partners, experts, participants, costs and outputs',
    body: C.ActivityInput,
    bodyLimit: 256 * 1024,
    status: 201,
    response: C.Activity,
    handler: async ({ tx, tenantId, actor, body }) => svc.createActivity(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/programme/activities/:id',
    access: P.manage,
    summary:
      'Edit an activity at the version read (409 when stale): any of its fields, `costs` replacing its cost lines; checked as a new activity (period, partners, agreements, cost shares)',
    params: C.IdParam,
    body: C.ActivityUpdate,
    bodyLimit: 256 * 1024,
    response: C.Activity,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateActivity(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/programme/activities/:id',
    access: P.manage,
    summary: 'One activity',
    params: C.IdParam,
    response: C.Activity,
    handler: async ({ tx, params }) => svc.activity(tx, params.id),
  });
}
