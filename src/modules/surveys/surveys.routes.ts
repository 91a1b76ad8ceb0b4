import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { RTL } from '../../platform/i18n/i18n.ts';
import { TABLE_MEDIA_TYPES, writeTable } from '../../platform/tables/tables.ts';
import * as C from './surveys.contract.ts';
import { P } from './surveys.permissions.ts';
import { SurveysService } from './surveys.service.ts';

// Tokens travel in POST bodies only (never a URL), and the answering routes are `anonymous`:
// no IP, user agent or user is logged for them (docs/adr/0019-survey-anonymity.md).
const ANSWER_LIMIT = { max: 30, timeWindow: '1 minute' };

export function surveysRoutes(r: Router, svc: SurveysService) {
  r.get({
    url: '/api/surveys/templates',
    access: P.manage,
    summary: 'The shipped questionnaires (officials, private sector) to create a survey from',
    response: Items(C.TemplateItem),
    handler: async ({ locale }) => ({ items: svc.templates(locale) }),
  });
  r.get({
    url: '/api/surveys',
    access: P.results,
    summary: 'Surveys with their iteration, status and number of responses',
    response: Items(C.SurveyListItem),
    handler: async ({ tx }) => ({ items: await svc.list(tx) }),
  });
  r.post({
    url: '/api/surveys',
    access: P.manage,
    summary: 'Create a draft survey from a template (optionally the next iteration of a series)',
    body: C.CreateSurveyInput,
    status: 201,
    response: C.SurveyDetail,
    handler: async ({ tx, tenantId, actor, body }) => svc.create(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/surveys/:id',
    access: P.manage,
    summary: 'A survey: questionnaire, bands, participation and counts',
    params: C.IdParam,
    response: C.SurveyDetail,
    handler: async ({ tx, params }) => svc.detail(tx, params.id),
  });
  r.patch({
    url: '/api/surveys/:id',
    access: P.manage,
    summary:
      'Edit a survey: everything while draft; once live only the name and threshold (changing anonymity → 409)',
    params: C.IdParam,
    body: C.UpdateSurveyInput,
    response: C.SurveyDetail,
    handler: async ({ tx, tenantId, actor, params, body }) => svc.edit(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/surveys/:id/open',
    access: P.manage,
    summary: 'Open a draft survey for answers (creates the open link when participation allows one)',
    params: C.IdParam,
    body: C.VersionInput,
    response: C.SurveyDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.open(tx, tenantId, actor, params.id, body.version),
  });
  r.post({
    url: '/api/surveys/:id/close',
    access: P.manage,
    summary: 'Close a survey (its responses are shuffled once more)',
    params: C.IdParam,
    body: C.VersionInput,
    response: C.SurveyDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.close(tx, tenantId, actor, params.id, body.version),
  });
  r.post({
    url: '/api/surveys/:id/invitations',
    access: P.manage,
    summary:
      'Invite members of units, holders of roles or listed people: each gets a one-time link by e-mail',
    params: C.IdParam,
    body: C.InviteInput,
    response: C.InviteResult,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.invite(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/surveys/:id/reminders',
    access: P.manage,
    summary:
      'Remind invited people who have not answered: each gets a new one-time link by e-mail (the old one stops working)',
    params: C.IdParam,
    response: C.RemindResult,
    handler: async ({ tx, tenantId, actor, params }) => svc.remind(tx, tenantId, actor, params.id),
  });
  r.post({
    url: '/api/surveys/:id/tokens',
    access: P.manage,
    summary: 'Generate N printable one-time tokens (for traders); shown once, only their hashes are kept',
    params: C.IdParam,
    body: C.TokensInput,
    status: 201,
    response: C.TokensResult,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.printTokens(tx, tenantId, actor, params.id, body.count),
  });
  r.post({
    url: '/api/surveys/:id/paper',
    access: P.manage,
    summary: 'Enter a paper form (enumerator): bands and answers, nothing that identifies the respondent',
    params: C.IdParam,
    body: C.PaperInput,
    status: 201,
    response: C.Submitted,
    handler: async ({ tx, tenantId, actor, params, body }) => svc.paper(tx, tenantId, actor, params.id, body),
  });

  // ---- answering, no sign-in --------------------------------------------------------------------
  r.post({
    url: '/api/surveys/public/form',
    access: 'public',
    anonymous: true,
    rateLimit: ANSWER_LIMIT,
    summary: 'The questionnaire behind a token or open-link code (in the body, never the URL)',
    body: C.TokenInput,
    response: C.PublicForm,
    handler: async ({ body, locale }) => svc.publicForm(body.token, locale),
  });
  r.post({
    url: '/api/surveys/public/submit',
    access: 'public',
    anonymous: true,
    rateLimit: ANSWER_LIMIT,
    summary:
      'Submit answers with a one-time token or open-link code; answers to questions not in the survey → 422, nothing stored',
    body: C.SubmitInput,
    status: 201,
    response: C.Submitted,
    handler: async ({ body }) => svc.submit(body),
  });

  // ---- results ------------------------------------------------------------------------------------
  r.get({
    url: '/api/surveys/:id/results',
    access: P.results,
    summary: 'Results by RAD factor and respondent group; groups under the threshold carry no figure',
    params: C.IdParam,
    query: C.ResultsQuery,
    response: C.Results,
    handler: async ({ tx, params, query, locale }) => svc.results(tx, params.id, query.by, locale),
  });
  r.get({
    url: '/api/surveys/:id/results/export',
    access: P.results,
    summary: 'The results table as XLSX or CSV (the same suppression as the API)',
    params: C.IdParam,
    query: C.ExportQuery,
    handler: async ({ tx, params, query, locale }) => {
      const data = await writeTable({
        sheetName: 'Survey',
        columns: SurveysService.EXPORT_COLUMNS(locale),
        rows: await svc.exportRows(tx, params.id, query.by, locale),
        format: query.format,
        rtl: RTL.has(locale),
      });
      return download({
        filename: `survey-results-${query.by}.${query.format}`,
        mediaType: TABLE_MEDIA_TYPES[query.format],
        data,
      }) as never;
    },
  });
  r.get({
    url: '/api/surveys/:id/trend',
    access: P.results,
    summary: "The survey's series: factor scores iteration by iteration (suppressed under the threshold)",
    params: C.IdParam,
    response: C.Trend,
    handler: async ({ tx, params, locale }) => svc.trend(tx, params.id, locale),
  });
}
