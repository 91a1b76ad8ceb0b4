import { createHash, randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { isoDay } from '../../platform/dates.ts';
import { type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound, type ProblemDetail } from '../../platform/errors.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { TableColumn } from '../../platform/tables/tables.ts';
import { unitSubtree } from '../identity/index.ts';
import type * as C from './surveys.contract.ts';
import { SurveyQuestion } from './surveys.contract.ts';
import * as q from './surveys.queries.ts';
import { type By, buildResults, exportRows, NOT_STATED } from './surveys.results.ts';
import { surveyInvitations, surveyResponses, surveys } from './surveys.schema.ts';
import { pick, surveyLanguage, templates } from './surveys.templates.ts';
import { DEFAULT_MIN_CELL } from './surveys.vocab.ts';

export const SHUFFLE_JOB = 'surveys.shuffle';
/** Submissions are shuffled in batches: the job runs at the end of each window. */
export const SHUFFLE_WINDOW_MS = 10 * 60_000;
const NIL_TENANT = '00000000-0000-0000-0000-000000000000';
/** No 0/O, 1/I/L: readable on paper. 12 characters ≈ 59 bits. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const normalizeToken = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
export const hashToken = (s: string) => createHash('sha256').update(normalizeToken(s)).digest('hex');
export function newToken(length = 12): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.match(/.{1,4}/g)!.join('-');
}
export const answerPath = (token: string) => `/s#t=${token}`;

const questionsOf = (s: q.SurveyRow) => s.questions as C.SurveyQuestion[];
const bandsOf = (s: q.SurveyRow) => s.bands as z.infer<typeof C.BandsConfig>;
const invalid = (details: ProblemDetail[]) =>
  new AppError('UNPROCESSABLE', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);

export class SurveysService {
  constructor(
    private readonly k: Kernel,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now() {
    return this.clock();
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    action: string,
    id: string,
    data = {},
  ) {
    return this.k.audit.record(tx, tenantId, { actorId, action, entityType: 'survey', entityId: id, data });
  }

  private async load(tx: TenantTx, id: string) {
    const s = await q.findSurvey(tx, id);
    if (!s) throw notFound('survey');
    return s;
  }

  // ---- templates and surveys ----------------------------------------------------------------

  templates(locale: Locale): z.infer<typeof C.TemplateItem>[] {
    return templates().map((tp) => {
      const lang = surveyLanguage(locale, tp.languages);
      return {
        slug: tp.slug,
        version: tp.version,
        audience: tp.audience,
        title: pick(tp.title, lang, tp.languages),
        summary: pick(tp.summary, lang, tp.languages),
        languages: tp.languages,
        questionCount: tp.questions.length,
        factors: [...new Set(tp.questions.map((x) => x.factor))].sort((a, b) => a - b),
      };
    });
  }

  async list(tx: TenantTx): Promise<z.infer<typeof C.SurveyListItem>[]> {
    const counts = await q.responseCounts(tx);
    return (await q.listSurveys(tx)).map((s) => this.item(s, counts.get(s.id) ?? 0));
  }

  private item(s: q.SurveyRow, responses: number): z.infer<typeof C.SurveyListItem> {
    return {
      id: s.id,
      seriesId: s.seriesId,
      iteration: s.iteration,
      name: s.name,
      audience: s.audience,
      status: s.status,
      anonymous: s.anonymous,
      openedOn: s.openedOn,
      closedOn: s.closedOn,
      responses,
      version: s.version,
    };
  }

  async detail(tx: TenantTx, id: string): Promise<C.SurveyDetail> {
    const s = await this.load(tx, id);
    const counts = await q.invitationCounts(tx, id);
    const tp = templates().find((x) => x.slug === s.templateSlug);
    return {
      ...this.item(s, (await q.responseCounts(tx, id)).get(id) ?? 0),
      templateSlug: s.templateSlug,
      templateVersion: s.templateVersion,
      languages: s.languages,
      questions: questionsOf(s),
      templateQuestions: tp?.questions ?? [],
      bands: bandsOf(s),
      participation: s.participation,
      minCell: s.minCell,
      openPath: s.openCode && s.status === 'open' ? answerPath(s.openCode) : null,
      ...counts,
    };
  }

  async create(tx: TenantTx, tenantId: string, actor: Actor, input: z.infer<typeof C.CreateSurveyInput>) {
    const tp = templates().find((x) => x.slug === input.templateSlug);
    if (!tp) throw invalid([{ path: 'templateSlug', message: 'unknown template' }]);
    let seriesId: string | null = null;
    let iteration = 1;
    if (input.previousSurveyId) {
      const prev = await q.findSurvey(tx, input.previousSurveyId);
      if (!prev) throw invalid([{ path: 'previousSurveyId', message: 'unknown survey' }]);
      seriesId = prev.seriesId;
      iteration = Math.max(...(await q.seriesOf(tx, prev.seriesId)).map((x) => x.iteration)) + 1;
    }
    const [s] = await tx
      .insert(surveys)
      .values({
        tenantId,
        seriesId: seriesId ?? crypto.randomUUID(),
        iteration,
        name: input.name,
        audience: tp.audience,
        templateSlug: tp.slug,
        templateVersion: tp.version,
        languages: tp.languages,
        questions: tp.questions,
        bands: { gender: true, age: true, grade: tp.audience === 'officials', regions: [] },
        anonymous: true,
        minCell: DEFAULT_MIN_CELL,
        createdBy: actor.userId,
      })
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'surveys.survey.created', s!.id, {
      template: tp.slug,
      templateVersion: tp.version,
      iteration,
    });
    return this.detail(tx, s!.id);
  }

  async edit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.UpdateSurveyInput>,
  ) {
    const s = await this.load(tx, id);
    const { version, ...changes } = input;
    if (s.status !== 'draft') {
      // The LimeSurvey / EUSurvey trap: anonymity never changes once responses may exist.
      if (changes.anonymous !== undefined && changes.anonymous !== s.anonymous)
        throw new AppError('CONFLICT', 'Anonymity cannot be changed once the survey is live');
      const locked = (['questions', 'languages', 'bands', 'participation'] as const).filter(
        (k) => changes[k] !== undefined,
      );
      if (locked.length)
        throw new AppError(
          'CONFLICT',
          `Only the name and threshold change once the survey is live (${locked.join(', ')})`,
        );
    }
    if (changes.questions || changes.languages)
      this.checkQuestions(changes.questions ?? questionsOf(s), changes.languages ?? s.languages);
    const next = await updateVersioned(tx, surveys, id, version, changes);
    await this.audit(tx, tenantId, actor.userId, 'surveys.survey.updated', id, {
      fields: Object.keys(changes),
      ...(changes.anonymous !== undefined ? { anonymous: next.anonymous } : {}),
      ...(changes.minCell !== undefined ? { minCell: next.minCell } : {}),
    });
    return this.detail(tx, id);
  }

  private checkQuestions(questions: C.SurveyQuestion[], languages: string[]) {
    const problems: ProblemDetail[] = [];
    const seen = new Set<string>();
    questions.forEach((x, i) => {
      if (seen.has(x.id)) problems.push({ path: `questions.${i}.id`, message: 'appears twice' });
      seen.add(x.id);
      for (const l of languages) {
        if (!x.text[l]) problems.push({ path: `questions.${i}.text.${l}`, message: `no ${l} text` });
        for (const [j, o] of (x.options ?? []).entries())
          if (!o.text[l])
            problems.push({ path: `questions.${i}.options.${j}.text.${l}`, message: `no ${l} text` });
      }
      if (!SurveyQuestion.safeParse(x).success) problems.push({ path: `questions.${i}`, message: 'invalid' });
    });
    if (problems.length) throw invalid(problems);
  }

  async open(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const s = await this.load(tx, id);
    if (s.status !== 'draft') throw new AppError('CONFLICT', 'Only a draft survey can be opened');
    // Opening never touches the anonymity flag (the bug LimeSurvey had on activation).
    const openCode = s.participation === 'tokens' ? null : normalizeToken(newToken(16));
    await updateVersioned(tx, surveys, id, version, {
      status: 'open',
      openedOn: isoDay(this.now()),
      openCode,
    });
    await this.audit(tx, tenantId, actor.userId, 'surveys.survey.opened', id, {
      anonymous: s.anonymous,
      participation: s.participation,
    });
    return this.detail(tx, id);
  }

  async close(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const s = await this.load(tx, id);
    if (s.status !== 'open') throw new AppError('CONFLICT', 'Only an open survey can be closed');
    await updateVersioned(tx, surveys, id, version, {
      status: 'closed',
      closedOn: isoDay(this.now()),
      openCode: null,
    });
    const shuffled = await q.shuffle(tx, id);
    await this.audit(tx, tenantId, actor.userId, 'surveys.survey.closed', id, shuffled);
    return this.detail(tx, id);
  }

  // ---- participation --------------------------------------------------------------------------

  async invite(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.InviteInput>,
  ) {
    const s = await this.load(tx, id);
    if (s.status === 'closed') throw new AppError('CONFLICT', 'The survey is closed');
    if (s.participation === 'open')
      throw new AppError('CONFLICT', 'This survey takes answers by open link only');
    const people = await this.resolveTargets(tx, input.targetKind, input.targets);
    const already = new Set(
      await q.invitedUsers(
        tx,
        id,
        people.map((p) => p.userId),
      ),
    );
    const fresh = people
      .filter((p) => !already.has(p.userId))
      .map((p) => ({ userId: p.userId, token: newToken() }));
    await q.insertInvitations(
      tx,
      fresh.map((p) => ({ tenantId, surveyId: id, userId: p.userId, tokenHash: hashToken(p.token) })),
    );
    for (const p of fresh) {
      // The token travels in the link's fragment, which browsers never send to the server.
      await this.k.notify.send(tx, {
        tenantId,
        userId: p.userId,
        kind: 'survey.invitation',
        messageKey: 'surveys.invitation',
        vars: { survey: s.name },
        link: answerPath(p.token),
        dedupeKey: `surveys.invitation:${id}`,
        email: true,
      });
    }
    await this.audit(tx, tenantId, actor.userId, 'surveys.invitations.sent', id, {
      targetKind: input.targetKind,
      targets: input.targets,
      invited: fresh.length,
    });
    return { invited: fresh.length, alreadyInvited: people.length - fresh.length };
  }

  /**
   * Reminds the invited people who have not answered. Only token hashes are kept, so each gets a
   * new link and the previous one stops working (docs/adr/0019-survey-anonymity.md). At most one
   * reminder per person and day.
   */
  async remind(tx: TenantTx, tenantId: string, actor: Actor, id: string) {
    const s = await this.load(tx, id);
    if (s.status !== 'open') throw new AppError('CONFLICT', 'Only an open survey sends reminders');
    const day = isoDay(this.now());
    const reminded: { id: string; tokenHash: string }[] = [];
    for (const p of await q.pendingInvitations(tx, id)) {
      const token = newToken();
      // Only a notice actually sent (not one already sent today) replaces the person's link.
      const sent = await this.k.notify.send(tx, {
        tenantId,
        userId: p.userId,
        kind: 'survey.reminder',
        messageKey: 'surveys.reminder',
        vars: { survey: s.name },
        link: answerPath(token),
        dedupeKey: `surveys.reminder:${id}:${day}`,
        email: true,
      });
      if (sent) reminded.push({ id: p.id, tokenHash: hashToken(token) });
    }
    await q.replaceTokens(tx, reminded);
    await this.audit(tx, tenantId, actor.userId, 'surveys.reminders.sent', id, { reminded: reminded.length });
    return { reminded: reminded.length };
  }

  private async resolveTargets(tx: TenantTx, kind: 'units' | 'roles' | 'users', targets: string[]) {
    const people = await q.members(tx);
    if (kind === 'roles') {
      const bad = targets.filter((r) => !(BUILT_IN_ROLES as readonly string[]).includes(r));
      if (bad.length) throw invalid([{ path: 'targets', message: `unknown role(s): ${bad.join(', ')}` }]);
      return people.filter((p) => p.roles.some((r) => targets.includes(r)));
    }
    if (kind === 'users') {
      const ids = new Set(people.map((p) => p.userId));
      if (targets.some((x) => !ids.has(x)))
        throw invalid([{ path: 'targets', message: 'not members of the organisation' }]);
      const wanted = new Set(targets);
      return people.filter((p) => wanted.has(p.userId));
    }
    const all = await q.units(tx);
    const known = new Set(all.map((u) => u.id));
    if (targets.some((x) => !known.has(x))) throw invalid([{ path: 'targets', message: 'unknown unit(s)' }]);
    const within = unitSubtree(all, targets);
    return people.filter((p) => p.unitId && within.has(p.unitId));
  }

  async printTokens(tx: TenantTx, tenantId: string, actor: Actor, id: string, count: number) {
    const s = await this.load(tx, id);
    if (s.status === 'closed') throw new AppError('CONFLICT', 'The survey is closed');
    if (s.participation === 'open')
      throw new AppError('CONFLICT', 'This survey takes answers by open link only');
    const tokens = Array.from({ length: count }, () => newToken());
    await q.insertInvitations(
      tx,
      tokens.map((x) => ({ tenantId, surveyId: id, userId: null, tokenHash: hashToken(x) })),
    );
    await this.audit(tx, tenantId, actor.userId, 'surveys.tokens.printed', id, { count });
    return { tokens, path: '/s' };
  }

  // ---- answering (no sign-in) -----------------------------------------------------------------

  /** The tenant and survey of a token, or 404 (the same answer for an unknown or a foreign one). */
  private async resolve(token: string) {
    const code = normalizeToken(token);
    const found = await withTenant(
      this.k.db,
      { tenantId: NIL_TENANT, userId: null },
      (tx) => q.resolveToken(tx, hashToken(code), code),
      { readOnly: true },
    );
    if (!found) throw notFound('survey');
    return { tenantId: found.tenant_id, surveyId: found.survey_id, hash: hashToken(code) };
  }

  /** Checks the survey takes answers with this token; returns the invitation if it is one. */
  private async admit(tx: TenantTx, surveyId: string, hash: string, lock: boolean) {
    const s = await this.load(tx, surveyId);
    if (s.status === 'draft') throw new AppError('CONFLICT', 'This survey is not open yet');
    if (s.status === 'closed') throw new AppError('GONE', 'This survey is closed');
    const inv = await q.invitationOf(tx, surveyId, hash, lock);
    if (inv) {
      if (s.participation === 'open') throw notFound('survey');
      if (inv.completed) throw new AppError('CONFLICT', 'This token has already been used');
    } else if (s.participation === 'tokens') throw notFound('survey');
    return { s, inv };
  }

  async publicForm(token: string, locale: Locale): Promise<C.PublicForm> {
    const r = await this.resolve(token);
    return withTenant(
      this.k.db,
      { tenantId: r.tenantId, userId: null },
      async (tx) => {
        const { s } = await this.admit(tx, r.surveyId, r.hash, false);
        return this.form(s, locale);
      },
      { readOnly: true },
    );
  }

  form(s: q.SurveyRow, locale: Locale): C.PublicForm {
    const lang = surveyLanguage(locale, s.languages);
    return {
      name: s.name,
      audience: s.audience,
      language: lang,
      languages: s.languages,
      bands: bandsOf(s),
      questions: questionsOf(s).map((x) => ({
        id: x.id,
        factor: x.factor,
        kind: x.kind,
        text: pick(x.text, lang, s.languages),
        ...(x.options
          ? { options: x.options.map((o) => ({ id: o.id, text: pick(o.text, lang, s.languages) })) }
          : {}),
      })),
    };
  }

  async submit(input: z.infer<typeof C.SubmitInput>) {
    const r = await this.resolve(input.token);
    await withTenant(this.k.db, { tenantId: r.tenantId, userId: null }, async (tx) => {
      const { s, inv } = await this.admit(tx, r.surveyId, r.hash, true);
      this.checkAnswers(s, input.bands, input.answers);
      await this.store(
        tx,
        r.tenantId,
        s,
        'web',
        input.bands,
        input.answers,
        s.anonymous ? null : (inv?.id ?? null),
      );
      if (inv)
        await tx.update(surveyInvitations).set({ completed: true }).where(eq(surveyInvitations.id, inv.id));
    });
    return { received: true as const };
  }

  /** Paper-to-tablet: an enumerator types in a paper form; nothing identifies its respondent. */
  async paper(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: z.infer<typeof C.PaperInput>) {
    const s = await this.load(tx, id);
    if (s.status !== 'open')
      throw new AppError('CONFLICT', 'Paper forms are entered while the survey is open');
    this.checkAnswers(s, input.bands, input.answers);
    await this.store(tx, tenantId, s, 'paper', input.bands, input.answers, null);
    await this.audit(tx, tenantId, actor.userId, 'surveys.paper_form.entered', id);
    return { received: true as const };
  }

  private async store(
    tx: TenantTx,
    tenantId: string,
    s: q.SurveyRow,
    mode: 'web' | 'paper',
    bands: z.infer<typeof C.Bands>,
    answers: z.infer<typeof C.Answers>,
    invitationId: string | null,
  ) {
    const now = this.now();
    await tx.insert(surveyResponses).values({
      tenantId,
      surveyId: s.id,
      day: isoDay(now),
      mode,
      bands: bands as Record<string, string>,
      answers,
      invitationId,
    });
    // One shuffle per window for every submission in it (docs/adr/0019-survey-anonymity.md).
    const runAt = new Date(Math.ceil((now.getTime() + 1) / SHUFFLE_WINDOW_MS) * SHUFFLE_WINDOW_MS);
    await this.k.jobs.enqueue(
      tx,
      SHUFFLE_JOB,
      { surveyId: s.id },
      { tenantId, runAt, dedupeKey: `${SHUFFLE_JOB}:${s.id}:${runAt.toISOString()}` },
    );
  }

  /** Answers only to this survey's questions, of the right kind; bands as configured. 422 lists all. */
  checkAnswers(s: q.SurveyRow, bands: z.infer<typeof C.Bands>, answers: z.infer<typeof C.Answers>) {
    const problems: ProblemDetail[] = [];
    const cfg = bandsOf(s);
    for (const key of ['gender', 'age', 'grade'] as const)
      if (bands[key] !== undefined && !cfg[key])
        problems.push({ path: `bands.${key}`, message: 'not asked in this survey' });
    if (bands.region !== undefined && !cfg.regions.includes(bands.region))
      problems.push({ path: 'bands.region', message: 'not one of the regions of this survey' });
    const byId = new Map(questionsOf(s).map((x) => [x.id, x]));
    for (const [id, v] of Object.entries(answers)) {
      const x = byId.get(id);
      const path = `answers.${id}`;
      if (!x) {
        problems.push({ path, message: 'not a question of this survey' });
        continue;
      }
      const options = new Set((x.options ?? []).map((o) => o.id));
      const ok =
        (x.kind === 'likert5' && typeof v === 'number' && v >= 1 && v <= 5) ||
        (x.kind === 'frequency' && typeof v === 'number' && v >= 0 && v <= 4) ||
        (x.kind === 'yesno' && typeof v === 'boolean') ||
        (x.kind === 'single' && typeof v === 'string' && options.has(v)) ||
        (x.kind === 'multiple' &&
          Array.isArray(v) &&
          new Set(v).size === v.length &&
          v.every((o) => options.has(o))) ||
        (x.kind === 'text' && typeof v === 'string');
      if (!ok) problems.push({ path, message: `not a valid ${x.kind} answer` });
    }
    if (problems.length) throw invalid(problems);
  }

  /** The shuffle job's work (also run when a survey closes). */
  async shuffle(tx: TenantTx, tenantId: string, surveyId: string) {
    const s = await q.findSurvey(tx, surveyId);
    if (!s) return { responses: 0, invitations: 0 };
    const n = await q.shuffle(tx, surveyId);
    await this.audit(tx, tenantId, null, 'surveys.responses.shuffled', surveyId, n);
    return n;
  }

  // ---- results ----------------------------------------------------------------------------------

  async results(tx: TenantTx, id: string, by: By, locale: Locale): Promise<C.Results> {
    return this.resultsOf(tx, await this.load(tx, id), by, locale);
  }

  private async resultsOf(tx: TenantTx, s: q.SurveyRow, by: By, locale: Locale): Promise<C.Results> {
    const lang = surveyLanguage(locale, s.languages);
    const responses = await q.responsesOf(tx, s.id);
    return buildResults({
      surveyId: s.id,
      name: s.name,
      status: s.status,
      minCell: s.minCell,
      bands: bandsOf(s),
      questions: questionsOf(s),
      responses,
      by,
      label: (x, optionId) =>
        optionId
          ? pick(x.options?.find((o) => o.id === optionId)?.text ?? {}, lang, s.languages)
          : pick(x.text, lang, s.languages),
    });
  }

  static EXPORT_COLUMNS = (locale: Locale): TableColumn[] =>
    ['factor', 'group', 'respondents', 'score', 'favourable', 'suppressed'].map((key) => ({
      key,
      header: t(locale, `surveys.export.${key}`),
    }));

  async exportRows(tx: TenantTx, id: string, by: By, locale: Locale) {
    const r = await this.results(tx, id, by, locale);
    return exportRows(
      r,
      (f) => t(locale, `surveys.factor.${f}`),
      (key) =>
        key === '_all'
          ? t(locale, 'surveys.export.all')
          : key === NOT_STATED
            ? t(locale, 'surveys.export.not_stated')
            : by === 'region'
              ? key
              : t(locale, `surveys.band.${by}.${key}`),
    );
  }

  async trend(tx: TenantTx, id: string, locale: Locale): Promise<C.Trend> {
    const s = await this.load(tx, id);
    const series = await q.seriesOf(tx, s.seriesId);
    const iterations = [];
    for (const it of series) {
      const r = await this.resultsOf(tx, it, 'none', locale);
      iterations.push({
        surveyId: it.id,
        iteration: it.iteration,
        name: it.name,
        status: it.status,
        total: r.total,
        factors: r.factors.map((f) => ({ factor: f.factor, score: f.overall.score })),
      });
    }
    return { seriesId: s.seriesId, iterations };
  }
}
