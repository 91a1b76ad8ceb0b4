import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isLocale, type Locale, t } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { CasesApi } from '../cases/index.ts';
import { AuthService, unitSubtree } from '../identity/index.ts';
import type * as C from './reports.contract.ts';
import { pickText } from './reports.contract.ts';
import * as K from './reports.crypto.ts';
import {
  type AttachedFile,
  type FileLimits,
  hourIso,
  type IncomingFile,
  ReportFilesService,
} from './reports.files.ts';
import { KeyRing } from './reports.keyring.ts';
import { P } from './reports.permissions.ts';
import * as q from './reports.queries.ts';
import { DEFAULT_CHANNEL, DEFAULT_QUESTIONNAIRE } from './reports.questionnaire.ts';
import {
  reportChannels,
  reportHandlerKeys,
  reportSeals,
  reports,
  reportsEscrow,
  reportsEscrowCustodians,
  reportsEscrowSeals,
} from './reports.schema.ts';
import {
  type CloseReason,
  DEFAULT_ACK_DAYS,
  DEFAULT_FEEDBACK_DAYS,
  DEFAULT_RETENTION_DAYS,
  type FieldType,
} from './reports.vocab.ts';

type Field = C.Field;
const DAY = 86_400_000;
const TEXT_DEFAULT: Partial<Record<FieldType, number>> = { short_text: 500, long_text: 10_000 };

/** Limits of the public routes; in memory, keyed by organisation and channel, never by address. */
export interface ReportsOptions {
  /** Submissions per channel per hour, and for the whole server. */
  perChannelPerHour: number;
  globalPerHour: number;
  /** Delay of the first wrong receipt (ms); doubles per failure in the window, up to maxDelayMs. */
  failureDelayMs: number;
  maxDelayMs: number;
  /** Wrong receipts per organisation per 10 minutes before refusing (429). */
  maxFailures: number;
  handlerKdf: K.KdfParams;
  receiptKdf: K.KdfParams;
  /** Attachment limits (reports.files.ts DEFAULT_FILE_LIMITS). */
  files?: Partial<FileLimits>;
}
export const DEFAULT_OPTIONS: ReportsOptions = {
  perChannelPerHour: 100,
  globalPerHour: 1_000,
  failureDelayMs: 500,
  maxDelayMs: 16_000,
  maxFailures: 50,
  handlerKdf: K.HANDLER_KDF,
  receiptKdf: K.RECEIPT_KDF,
};

class Window {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly ms: number) {}
  count(key: string, now = Date.now()) {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.ms);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list.length;
  }
  add(key: string, now = Date.now()) {
    this.count(key, now);
    this.hits.set(key, [...(this.hits.get(key) ?? []), now]);
  }
}

const rings = new WeakMap<Kernel, KeyRing>();

interface Sealed {
  fields: Field[];
  answers: Record<string, unknown>;
}

export class ReportsService {
  readonly keyring: KeyRing;
  readonly opts: ReportsOptions;
  private readonly pepper: Buffer;
  private readonly submissions = new Window(3_600_000);
  private readonly failures = new Window(600_000);
  /** Attachments: metadata removal, encryption, storage (reports.files.ts). */
  readonly files: ReportFilesService;

  constructor(
    private readonly k: Kernel,
    opts: Partial<ReportsOptions> = {},
  ) {
    this.opts = { ...DEFAULT_OPTIONS, ...opts };
    this.files = new ReportFilesService(k, this.opts.files);
    this.pepper = K.receiptPepper(k.config.SECRET_KEY);
    const ring = rings.get(k) ?? new KeyRing();
    rings.set(k, ring);
    this.keyring = ring;
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    action: string,
    id: string,
    data = {},
    entityType = 'report',
  ) {
    return this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: `reports.${action}`,
      entityType,
      entityId: id,
      data,
    });
  }

  // ---- channels ---------------------------------------------------------------------------------

  private channelView(c: q.ChannelRow): z.infer<typeof C.Channel> {
    return {
      id: c.id,
      slug: c.slug,
      name: c.name,
      intro: c.intro,
      questionnaire: c.questionnaire as unknown[],
      steps: c.steps,
      recipients: c.recipients,
      escalationRecipients: c.escalationRecipients,
      languages: c.languages,
      retentionDays: c.retentionDays,
      ackDays: c.ackDays,
      feedbackDays: c.feedbackDays,
      active: c.active,
      path: `/report/${c.tenantId}/${c.slug}`,
      version: c.version,
    };
  }

  async listChannels(tx: TenantTx) {
    return (await q.channels(tx)).map((c) => this.channelView(c));
  }

  /** Members who may be a channel's recipients (hold reports.handle), and whether they have keys. */
  async recipients(tx: TenantTx): Promise<z.infer<typeof C.Recipient>[]> {
    const handlers = (await q.directory.members(tx)).filter((m) =>
      this.k.permissions.permissionsOf(m.roles).has(P.handle),
    );
    if (handlers.length === 0) return [];
    const keyed = new Set(
      (
        await q.handlerKeys(
          tx,
          handlers.map((m) => m.userId),
        )
      ).map((k) => k.userId),
    );
    return handlers.map((m) => ({ userId: m.userId, name: m.name, hasKey: keyed.has(m.userId) }));
  }

  /** With step titles, every field sits on a titled step. */
  private checkSteps(fields: readonly Field[], steps: readonly unknown[]) {
    if (steps.length === 0) return;
    const i = fields.findIndex((f) => (f.step ?? 1) > steps.length);
    if (i >= 0)
      throw new AppError('UNPROCESSABLE', `Field ${fields[i]!.id} is on a step that does not exist`, [
        { path: `questionnaire.${i}.step`, message: `at most ${steps.length} (the number of steps)` },
      ]);
  }

  private async checkRecipients(tx: TenantTx, ids: readonly string[], path = 'recipients') {
    const members = await q.directory.members(tx);
    for (const id of ids) {
      const m = members.find((x) => x.userId === id);
      if (!m || !this.k.permissions.permissionsOf(m.roles).has(P.handle))
        throw new AppError('UNPROCESSABLE', `Recipient ${id} is not a member holding ${P.handle}`, [
          { path, message: 'not a handler' },
        ]);
    }
  }

  async createChannel(tx: TenantTx, tenantId: string, actor: Actor, input: z.infer<typeof C.ChannelCreate>) {
    if (input.recipients) await this.checkRecipients(tx, input.recipients);
    if (input.escalationRecipients)
      await this.checkRecipients(tx, input.escalationRecipients, 'escalationRecipients');
    if (await q.findChannelBySlug(tx, input.slug))
      throw new AppError('ALREADY_EXISTS', `A channel with the address ${input.slug} exists`);
    this.checkSteps(input.questionnaire ?? DEFAULT_QUESTIONNAIRE, input.steps ?? []);
    const [c] = await tx
      .insert(reportChannels)
      .values({
        tenantId,
        slug: input.slug,
        name: input.name,
        intro: input.intro ?? {},
        questionnaire: input.questionnaire ?? DEFAULT_QUESTIONNAIRE,
        steps: input.steps ?? [],
        recipients: input.recipients ?? [],
        escalationRecipients: input.escalationRecipients ?? [],
        languages: input.languages ?? DEFAULT_CHANNEL.languages,
        ...(input.retentionDays ? { retentionDays: input.retentionDays } : {}),
        ...(input.ackDays ? { ackDays: input.ackDays } : {}),
        ...(input.feedbackDays ? { feedbackDays: input.feedbackDays } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .returning();
    await this.audit(tx, tenantId, actor, 'channel.created', c!.id, { slug: input.slug }, 'report_channel');
    return this.channelView(c!);
  }

  async updateChannel(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.ChannelUpdate>,
  ) {
    const current = await q.findChannel(tx, id);
    if (!current) throw notFound('channel');
    if (input.recipients) await this.checkRecipients(tx, input.recipients);
    if (input.escalationRecipients)
      await this.checkRecipients(tx, input.escalationRecipients, 'escalationRecipients');
    if (input.slug && input.slug !== current.slug && (await q.findChannelBySlug(tx, input.slug)))
      throw new AppError('ALREADY_EXISTS', `A channel with the address ${input.slug} exists`, [
        { path: 'slug', message: 'taken by another channel' },
      ]);
    this.checkSteps(input.questionnaire ?? (current.questionnaire as Field[]), input.steps ?? current.steps);
    const { version, ...changes } = input;
    const c = await updateVersioned(tx, reportChannels, id, version, changes);
    await this.audit(
      tx,
      tenantId,
      actor,
      'channel.updated',
      id,
      { fields: Object.keys(changes) },
      'report_channel',
    );
    return this.channelView(c);
  }

  // ---- public: questionnaire and submission ------------------------------------------------------

  private inOrg<T>(org: string, fn: (tx: TenantTx) => Promise<T>, readOnly = false) {
    return withTenant(this.k.db, { tenantId: org, userId: null }, fn, { readOnly });
  }

  private async activeChannel(tx: TenantTx, slug: string) {
    const c = await q.findChannelBySlug(tx, slug);
    if (!c?.active) throw notFound('channel');
    return c;
  }

  async publicChannel(org: string, slug: string, lang: string | undefined, locale: Locale) {
    return this.inOrg(
      org,
      async (tx): Promise<z.infer<typeof C.PublicChannel>> => {
        const c = await this.activeChannel(tx, slug);
        const language = [lang, locale].find((l) => l && c.languages.includes(l)) ?? c.languages[0] ?? 'en';
        const fields = c.questionnaire as Field[];
        const hasOffice = fields.some((f) => f.type === 'office');
        const orgRow = await q.directory.organisation(tx);
        const escrow = Boolean(await q.findEscrow(tx));
        return {
          organisation: orgRow?.name ?? '',
          steps: c.steps.map((s) => pickText(s, language, c.languages)),
          name: pickText(c.name, language, c.languages),
          intro: pickText(c.intro, language, c.languages),
          language,
          languages: c.languages,
          fields: fields.map((f) => ({
            id: f.id,
            type: f.type,
            step: f.step ?? 1,
            required: f.required ?? false,
            label: pickText(f.label, language, c.languages),
            help: f.help ? pickText(f.help, language, c.languages) : null,
            options:
              f.options?.map((o) => ({ id: o.id, label: pickText(o.label, language, c.languages) })) ?? null,
            maxLength: f.maxLength ?? TEXT_DEFAULT[f.type] ?? 100,
          })),
          offices: hasOffice ? (await q.directory.units(tx)).map((u) => ({ id: u.id, name: u.name })) : [],
          receiptDigits: K.RECEIPT_DIGITS,
          escrow,
          escrowNotice: escrow ? t(isLocale(language) ? language : 'en', 'reports.page.escrow_notice') : null,
        };
      },
      true,
    );
  }

  /** Checks answers against the questionnaire: required, types, sizes, no unknown field. */
  private async checkAnswers(tx: TenantTx, fields: Field[], answers: Record<string, unknown>, files = 0) {
    const problems: { path: string; message: string }[] = [];
    const byId = new Map(fields.map((f) => [f.id, f]));
    for (const id of Object.keys(answers))
      if (!byId.has(id))
        problems.push({ path: `answers.${id}`, message: 'not a field of this questionnaire' });
    let units: Set<string> | undefined;
    for (const f of fields) {
      const v = answers[f.id];
      const path = `answers.${f.id}`;
      const empty = v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
      if (empty) {
        if (f.required && !(f.type === 'attachment' && files > 0))
          problems.push({ path, message: f.type === 'attachment' ? 'attach a file' : 'required' });
        continue;
      }
      if (f.type === 'attachment') {
        problems.push({ path, message: 'files are sent as multipart file parts, not as an answer' });
        continue;
      }
      const options = new Set(f.options?.map((o) => o.id) ?? []);
      switch (f.type) {
        case 'short_text':
        case 'long_text': {
          const max = f.maxLength ?? TEXT_DEFAULT[f.type]!;
          if (typeof v !== 'string') problems.push({ path, message: 'text expected' });
          else if (v.length > max) problems.push({ path, message: `at most ${max} characters` });
          break;
        }
        case 'single':
          if (typeof v !== 'string' || !options.has(v))
            problems.push({ path, message: 'not one of the options' });
          break;
        case 'multiple':
          if (!Array.isArray(v) || v.some((x) => !options.has(x)) || new Set(v).size !== v.length)
            problems.push({ path, message: 'a list of distinct options expected' });
          break;
        case 'date': {
          const ok = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
          if (!ok) problems.push({ path, message: 'a date YYYY-MM-DD expected' });
          else if (Date.parse(v as string) > Date.now() + DAY)
            problems.push({ path, message: 'in the future' });
          break;
        }
        case 'office':
          units ??= new Set((await q.directory.units(tx)).map((u) => u.id));
          if (typeof v !== 'string' || !units.has(v))
            problems.push({ path, message: 'not an office of this administration' });
          break;
        case 'amount':
          if (typeof v !== 'number' || v < 0 || v > 1e12)
            problems.push({ path, message: 'an amount from 0 expected' });
          break;
      }
    }
    if (problems.length)
      throw new AppError(
        'VALIDATION_FAILED',
        `The answers are not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        problems,
      );
  }

  /** Clear copies of the statistical answers only: option ids, office ids, dates to the month. */
  private statistical(fields: Field[], answers: Record<string, unknown>) {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = answers[f.id];
      if (!f.statistical || v === undefined || v === '') continue;
      out[f.id] = f.type === 'date' ? String(v).slice(0, 7) : v;
    }
    return out;
  }

  async submit(
    org: string,
    slug: string,
    input: z.infer<typeof C.SubmitInput>,
    files: readonly IncomingFile[] = [],
  ): Promise<{ receipt: string; files: AttachedFile[]; escrow: boolean }> {
    const channelKey = `${org}:${slug}`;
    if (
      this.submissions.count('*') >= this.opts.globalPerHour ||
      this.submissions.count(channelKey) >= this.opts.perChannelPerHour
    )
      throw new AppError(
        'RATE_LIMITED',
        'Too many reports were sent in the last hour; try again later',
        undefined,
        {
          'retry-after': '600',
        },
      );
    // Limits, types and metadata removal before the slow KDF and the transaction.
    if (files.length) await this.files.prepare(files);
    const receipt = K.newReceipt();
    // Argon2id runs outside the transaction: it is the slow part.
    const rk = await K.receiptKeys(receipt, this.pepper, org, this.opts.receiptKdf);
    let attached: AttachedFile[] = [];
    let escrowed = false;
    await this.inOrg(org, async (tx) => {
      const c = await this.activeChannel(tx, slug);
      if (!c.languages.includes(input.language))
        throw new AppError('VALIDATION_FAILED', 'This channel is not offered in that language', [
          { path: 'language', message: 'not offered' },
        ]);
      const fields = c.questionnaire as Field[];
      await this.checkAnswers(tx, fields, input.answers, files.length);
      // An option marked `escalates` (a senior manager named) routes the report to the second
      // tier instead of the usual recipients, who may work under that manager.
      const escalated = fields.some((f) =>
        (f.options ?? []).some(
          (o) =>
            o.escalates &&
            (input.answers[f.id] === o.id ||
              (Array.isArray(input.answers[f.id]) && (input.answers[f.id] as unknown[]).includes(o.id))),
        ),
      );
      const to = escalated && c.escalationRecipients.length ? c.escalationRecipients : c.recipients;
      const keys = to.length ? await q.handlerKeys(tx, to) : [];
      if (keys.length === 0)
        throw new AppError('UNAVAILABLE', 'This channel has no recipient able to receive reports yet');
      // Escrow on: the report key is also sealed to the escrow key. Read FOR SHARE, so switching
      // off waits for this transaction and then shreds this seal with the others.
      const escrow = await q.findEscrow(tx, 'share');
      if (escrow && input.escrow === false)
        throw new AppError(
          'VALIDATION_FAILED',
          'Key escrow was switched on in this administration after the form was shown: read the notice and send again',
          [{ path: 'escrow', message: 'escrow is now on' }],
        );
      const id = randomUUID();
      const reportKey = K.newReportKey();
      const answered = fields.filter((f) => input.answers[f.id] !== undefined);
      const sealed: Sealed = { fields: answered, answers: input.answers };
      await tx.insert(reports).values({
        id,
        tenantId: org,
        channelId: c.id,
        receiptLookup: rk.lookup,
        reporterSeal: K.sealForReporter(rk.key, reportKey, org, id),
        answers: K.encryptJson(reportKey, sealed, { tenantId: org, reportId: id, purpose: 'answers' }),
        statistical: this.statistical(fields, input.answers),
        language: input.language,
        escalated,
      });
      await tx.insert(reportSeals).values(
        keys.map((hk) => ({
          tenantId: org,
          reportId: id,
          userId: hk.userId,
          sealed: K.sealTo(hk.publicKey, reportKey, org, id),
        })),
      );
      if (escrow) {
        await tx.insert(reportsEscrowSeals).values({
          tenantId: org,
          reportId: id,
          escrowId: escrow.id,
          sealed: K.sealToEscrow(escrow.publicKey, reportKey, org, id),
        });
        escrowed = true;
      }
      if (files.length)
        attached = await this.files.attachFiles(tx, org, { id, tenantId: org }, files, reportKey);
    });
    this.submissions.add('*');
    this.submissions.add(channelKey);
    return { receipt: K.formatReceipt(receipt), files: attached, escrow: escrowed };
  }

  // ---- public: follow-up with the receipt --------------------------------------------------------

  /** The report of a receipt and its key; a wrong receipt is slowed down, then refused. */
  private async withReceipt<T>(
    org: string,
    receiptText: string,
    fn: (tx: TenantTx, r: q.ReportRow, key: Buffer) => Promise<T>,
    readOnly = false,
  ): Promise<T> {
    const failures = this.failures.count(org);
    if (failures >= this.opts.maxFailures)
      throw new AppError('RATE_LIMITED', 'Too many wrong receipts; try again later', undefined, {
        'retry-after': '600',
      });
    const receipt = K.normaliseReceipt(receiptText);
    const rk = receipt ? await K.receiptKeys(receipt, this.pepper, org, this.opts.receiptKdf) : undefined;
    // One transaction finds the report by the receipt's lookup hash (locked for writes) and works on it.
    const done = rk
      ? await this.inOrg(
          org,
          async (tx) => {
            const r = await q.findByReceipt(tx, rk.lookup, !readOnly);
            if (!r || r.purgedAt) return undefined;
            return { value: await fn(tx, r, K.openForReporter(rk.key, r.reporterSeal, org, r.id)) };
          },
          readOnly,
        )
      : undefined;
    if (!done) {
      this.failures.add(org);
      await sleep(Math.min(this.opts.failureDelayMs * 2 ** failures, this.opts.maxDelayMs));
      throw new AppError('NOT_FOUND', 'No report has this receipt');
    }
    return done.value;
  }

  async reporterView(org: string, receipt: string, locale: Locale): Promise<z.infer<typeof C.ReporterView>> {
    return this.withReceipt(org, receipt, (tx, r, key) => this.viewFor(tx, r, key, locale), true);
  }

  /** The reporter's view and the report's files with one receipt check (one Argon2id run, not two). */
  async reporterThread(org: string, receipt: string, locale: Locale) {
    return this.withReceipt(org, receipt, (tx, r, key) => this.threadOf(tx, r, key, locale), true);
  }

  private async threadOf(tx: TenantTx, r: q.ReportRow, key: Buffer, locale: Locale) {
    return { view: await this.viewFor(tx, r, key, locale), files: await this.files.list(tx, r, key) };
  }

  private async viewFor(
    tx: TenantTx,
    r: q.ReportRow,
    key: Buffer,
    locale: Locale,
  ): Promise<z.infer<typeof C.ReporterView>> {
    const { c, lang, langs, fields, answers, messages } = await this.content(tx, r, key, locale);
    return {
      channel: c ? pickText(c.name, lang, langs) : '',
      status: r.status,
      receivedAt: hourIso(r.receivedAt),
      answers: fields.map((f) => ({
        label: pickText(f.label, lang, langs),
        value: this.display(f, answers[f.id], lang, langs),
      })),
      // The reporter is not told which handler wrote.
      messages: messages.map(({ authorId: _, ...m }) => m),
      escrow: Boolean(await q.escrowSealFor(tx, r.id)),
    };
  }

  /**
   * A report's answers and messages, decrypted with its key; labels in the reader's language
   * when the channel offers it, else in the language the reporter used.
   */
  private async content(tx: TenantTx, r: q.ReportRow, key: Buffer, locale: Locale) {
    const c = await q.findChannel(tx, r.channelId);
    const langs = c?.languages ?? [r.language];
    const lang = langs.includes(locale) ? locale : r.language;
    const ctx = (purpose: string) => ({ tenantId: r.tenantId, reportId: r.id, purpose });
    const { fields, answers } = K.decryptJson<Sealed>(key, r.answers, ctx('answers'));
    const messages = (await q.messagesOf(tx, r.id)).map((m) => ({
      direction: m.direction,
      authorId: m.authorId,
      body: K.decrypt(key, m.body, ctx(`message:${m.id}`)).toString('utf8'),
      at: hourIso(m.createdAt),
    }));
    return { c, lang, langs, fields, answers, messages };
  }

  private display(f: Field, v: unknown, lang: string, langs: readonly string[]): string {
    const label = (id: unknown) =>
      pickText(f.options?.find((o) => o.id === id)?.label, lang, langs) || String(id);
    if (f.type === 'single') return label(v);
    if (f.type === 'multiple' && Array.isArray(v)) return v.map(label).join(', ');
    return String(v ?? '');
  }

  async reporterMessage(org: string, receipt: string, body: string) {
    await this.withReceipt(org, receipt, async (tx, r, key) => {
      if (r.status === 'closed') throw new AppError('CONFLICT', 'This report is closed');
      await this.addReporterMessage(tx, org, r, key, body);
      await q.touchByReporter(tx, r.id);
    });
  }

  private async addReporterMessage(tx: TenantTx, org: string, r: q.ReportRow, key: Buffer, body: string) {
    const id = randomUUID();
    await q.addMessage(tx, {
      tenantId: org,
      reportId: r.id,
      id,
      direction: 'reporter',
      authorId: null,
      body: K.encrypt(key, body, { tenantId: org, reportId: r.id, purpose: `message:${id}` }),
    });
    return id;
  }

  /**
   * The reporter's reply from the no-JavaScript page: a message, files, or both, and the thread
   * to show next — one receipt derivation (one Argon2id run) and one transaction, so a refused
   * file leaves no message behind (and a failure after storing a file removes its ciphertext).
   * A closed report takes nothing: `closed` says so and the thread is shown as it is.
   */
  async reporterReply(
    org: string,
    receipt: string,
    input: { body: string; files: readonly IncomingFile[] },
    locale: Locale,
  ) {
    if (input.files.length) await this.files.prepare(input.files);
    return this.withReceipt(org, receipt, async (tx, r, key) => {
      const closed = r.status === 'closed';
      let attached: AttachedFile[] = [];
      try {
        if (!closed) {
          const messageId = input.body ? await this.addReporterMessage(tx, org, r, key, input.body) : null;
          if (input.files.length)
            attached = await this.files.attachFiles(tx, org, r, input.files, key, {
              direction: 'reporter',
              messageId,
            });
          await q.touchByReporter(tx, r.id);
        }
        return { closed, ...(await this.threadOf(tx, r, key, locale)) };
      } catch (e) {
        await this.files.discard(org, r.id, attached);
        throw e;
      }
    });
  }

  // ---- handler keys ------------------------------------------------------------------------------

  private slot(actor: Actor) {
    return KeyRing.slot({ tenantId: actor.tenantId!, userId: actor.userId, sessionId: actor.sessionId });
  }

  async keyStatus(tx: TenantTx, actor: Actor) {
    return {
      hasKey: Boolean(await q.findHandlerKey(tx, actor.userId)),
      unlocked: Boolean(this.keyring.get(this.slot(actor))),
    };
  }

  async setupKey(tx: TenantTx, tenantId: string, actor: Actor, passphrase: string) {
    if (await q.findHandlerKey(tx, actor.userId))
      throw new AppError(
        'ALREADY_EXISTS',
        'You already have reporting keys; use your recovery key if you lost the passphrase',
      );
    const created = await K.createHandlerKey(passphrase, this.opts.handlerKdf);
    await tx.insert(reportHandlerKeys).values({
      tenantId,
      userId: actor.userId,
      publicKey: created.stored.publicKey,
      kdf: created.stored.kdf,
      wrappedByPassphrase: created.stored.wrappedByPassphrase,
      wrappedByRecovery: created.stored.wrappedByRecovery,
    });
    await this.audit(tx, tenantId, actor, 'keys.created', actor.userId, {}, 'report_handler_key');
    this.keyring.put(this.slot(actor), created.privateKey);
    return { recoveryKey: created.recoveryKey };
  }

  private stored(row: q.HandlerKeyRow): K.StoredHandlerKey {
    return {
      publicKey: row.publicKey,
      kdf: row.kdf as K.StoredHandlerKey['kdf'],
      wrappedByPassphrase: row.wrappedByPassphrase,
      wrappedByRecovery: row.wrappedByRecovery,
    };
  }

  /** The actor's stored key; 409 before they set one up. */
  private async myKey(tx: TenantTx, actor: Actor) {
    const row = await q.findHandlerKey(tx, actor.userId);
    if (!row)
      throw new AppError('CONFLICT', 'Set up your reporting keys first', [
        { path: 'keys', message: 'missing' },
      ]);
    return row;
  }

  async unlock(tx: TenantTx, actor: Actor, passphrase: string) {
    const row = await this.myKey(tx, actor);
    const key = await K.unlockWithPassphrase(this.stored(row), passphrase).catch(async () => {
      await sleep(this.opts.failureDelayMs);
      throw new AppError('UNPROCESSABLE', 'Wrong passphrase', [{ path: 'passphrase', message: 'wrong' }]);
    });
    this.keyring.put(this.slot(actor), key);
  }

  async recover(tx: TenantTx, tenantId: string, actor: Actor, recoveryKey: string, passphrase: string) {
    const row = await this.myKey(tx, actor);
    let key: K.PrivateKey;
    try {
      key = K.unlockWithRecovery(this.stored(row), recoveryKey);
    } catch {
      await sleep(this.opts.failureDelayMs);
      throw new AppError('UNPROCESSABLE', 'Wrong recovery key', [{ path: 'recoveryKey', message: 'wrong' }]);
    }
    const next = await K.rewrapPassphrase(this.stored(row), key, passphrase, this.opts.handlerKdf);
    await updateVersioned(tx, reportHandlerKeys, row.id, row.version, {
      kdf: next.kdf,
      wrappedByPassphrase: next.wrappedByPassphrase,
    });
    await this.audit(tx, tenantId, actor, 'keys.recovered', actor.userId, {}, 'report_handler_key');
    this.keyring.dropUser(tenantId, actor.userId);
    this.keyring.put(this.slot(actor), key);
  }

  lock(actor: Actor) {
    this.keyring.drop(this.slot(actor));
  }

  // ---- handler work ------------------------------------------------------------------------------

  private unlocked(actor: Actor): K.PrivateKey {
    const key = this.keyring.get(this.slot(actor));
    if (!key)
      throw new AppError('CONFLICT', 'Unlock your reporting keys first', [
        { path: 'keys', message: 'locked' },
      ]);
    return key;
  }

  /** The report if the actor is assigned (its key is sealed to them); 404 otherwise, even for managers. */
  private async assigned(tx: TenantTx, actor: Actor, id: string, lock = false) {
    const r = await q.findReport(tx, id, lock);
    const seal = r && !r.purgedAt ? await q.sealFor(tx, id, actor.userId) : undefined;
    if (!r || !seal) throw notFound('report');
    return { r, seal };
  }

  private reportKey(actor: Actor, r: q.ReportRow, seal: { sealed: Buffer }) {
    return K.openSeal(this.unlocked(actor), seal.sealed, r.tenantId, r.id);
  }

  private item(
    r: q.ReportMeta,
    c: q.ChannelRow | undefined,
    assigned: boolean,
    lang: string,
    escrowed: boolean,
  ) {
    const ackDue = new Date(r.receivedAt.getTime() + (c?.ackDays ?? DEFAULT_ACK_DAYS) * DAY);
    const feedbackDue = new Date(r.receivedAt.getTime() + (c?.feedbackDays ?? DEFAULT_FEEDBACK_DAYS) * DAY);
    const now = Date.now();
    return {
      id: r.id,
      channelId: r.channelId,
      channel: c ? pickText(c.name, lang, c.languages) : '',
      status: r.status,
      closeReason: r.closeReason,
      receivedAt: hourIso(r.receivedAt),
      ackDue: ackDue.toISOString(),
      feedbackDue: feedbackDue.toISOString(),
      overdue:
        (r.status === 'new' && now > ackDue.getTime()) ||
        (r.status !== 'closed' && now > feedbackDue.getTime()),
      assigned,
      legalHold: r.legalHold,
      escalated: r.escalated,
      caseId: r.caseId,
      statistical: r.statistical,
      escrowed,
      version: r.version,
    };
  }

  /**
   * Handlers see the reports assigned to them; channel managers also see the others' metadata;
   * escrow custodians also see the escrowed reports (which they may open via escrow).
   */
  async list(tx: TenantTx, actor: Actor, locale: Locale) {
    const mine = await q.assignedIds(tx, actor.userId);
    const manager = actor.permissions.has(P.manage);
    const escrowed = await q.escrowedIds(tx);
    const custodian = escrowed.size > 0 && Boolean(await q.custodianSeal(tx, actor.userId));
    const channels = new Map((await q.channels(tx)).map((c) => [c.id, c]));
    const ids = manager ? undefined : custodian ? new Set([...mine, ...escrowed]) : mine;
    return (await q.liveReports(tx, ids)).map((r) =>
      this.item(r, channels.get(r.channelId), mine.has(r.id), locale, escrowed.has(r.id)),
    );
  }

  /** Decrypts a report for an assigned handler with unlocked keys; every read is audited. */
  async open(tx: TenantTx, tenantId: string, actor: Actor, id: string, locale: Locale) {
    const { r, seal } = await this.assigned(tx, actor, id);
    const key = this.reportKey(actor, r, seal);
    await this.audit(tx, tenantId, actor, 'report.read', id);
    return this.detail(tx, r, key, locale, { assigned: true, viaEscrow: false });
  }

  private async detail(
    tx: TenantTx,
    r: q.ReportRow,
    key: Buffer,
    locale: Locale,
    how: { assigned: boolean; viaEscrow: boolean },
  ) {
    const { c, lang, langs, fields, answers, messages } = await this.content(tx, r, key, locale);
    const history = await q.accessHistory(tx, r.id);
    const seals = await q.sealsOf(tx, r.id);
    const people = await q.directory.people(tx, [
      ...new Set([
        ...seals.map((s) => s.userId),
        ...messages.flatMap((m) => (m.authorId ? [m.authorId] : [])),
        ...history.flatMap((a) => (a.actorId ? [a.actorId] : [])),
      ]),
    ]);
    // Opened via escrow: the seal was just read on the way to the key.
    const escrowed = how.viaEscrow || Boolean(await q.escrowSealFor(tx, r.id));
    return {
      ...this.item(r, c, how.assigned, lang, escrowed),
      language: r.language,
      answers: fields.map((f) => ({
        id: f.id,
        label: pickText(f.label, lang, langs),
        type: f.type,
        value:
          f.type === 'single' || f.type === 'multiple'
            ? this.display(f, answers[f.id], lang, langs)
            : answers[f.id],
      })),
      messages: messages.map(({ authorId, ...m }) => ({
        ...m,
        author: authorId ? (people.get(authorId)?.name ?? null) : null,
      })),
      assignees: seals.map((s) => ({ userId: s.userId, name: people.get(s.userId)?.name ?? '' })),
      viaEscrow: how.viaEscrow,
      access: history.map((a) => ({
        action: a.action.slice('reports.report.'.length) as (typeof C.ACCESS_KINDS)[number],
        by: a.actorId ? (people.get(a.actorId)?.name ?? null) : null,
        at: a.at.toISOString(),
        viaEscrow: a.action === 'reports.report.escrow_opened' || a.viaEscrow,
      })),
    };
  }

  async acknowledge(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const { r } = await this.assigned(tx, actor, id);
    if (r.status !== 'new') throw new AppError('CONFLICT', 'Only a new report can be acknowledged');
    await updateVersioned(tx, reports, id, version, { status: 'acknowledged', acknowledgedAt: new Date() });
    await this.audit(tx, tenantId, actor, 'report.acknowledged', id);
  }

  async sendMessage(tx: TenantTx, tenantId: string, actor: Actor, id: string, body: string) {
    const { r, seal } = await this.assigned(tx, actor, id, true);
    if (r.status === 'closed') throw new AppError('CONFLICT', 'This report is closed');
    const key = this.reportKey(actor, r, seal);
    const mid = randomUUID();
    await q.addMessage(tx, {
      tenantId,
      reportId: id,
      id: mid,
      direction: 'handler',
      authorId: actor.userId,
      body: K.encrypt(key, body, { tenantId, reportId: id, purpose: `message:${mid}` }),
    });
    await this.audit(tx, tenantId, actor, 'report.message_sent', id);
  }

  /** Seals the report key to another handler: the actor must be assigned and unlocked. */
  /**
   * Shares the report with another handler. A handler who works in (or under) an office the
   * report names has a conflict of interest: the assigner must confirm it (409 until then), and
   * the confirmation is audited. The office answer is read from the decrypted answers, as it may
   * not be a statistical field.
   */
  async assign(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.AssignInput>,
  ) {
    const { userId } = input;
    const { r, seal } = await this.assigned(tx, actor, id, true);
    await this.checkRecipients(tx, [userId]);
    const hk = await q.findHandlerKey(tx, userId);
    if (!hk)
      throw new AppError('UNPROCESSABLE', 'This handler has no reporting keys yet', [
        { path: 'userId', message: 'no keys' },
      ]);
    if (await q.sealFor(tx, id, userId)) throw new AppError('ALREADY_EXISTS', 'Already assigned');
    const key = this.reportKey(actor, r, seal);
    const conflict = await this.inOfficeNamed(tx, r, key, userId);
    if (conflict && !input.acknowledgeConflict)
      throw new AppError(
        'CONFLICT',
        'This handler works in the office the report names. Confirm to assign anyway.',
        [{ path: 'acknowledgeConflict', message: 'conflict of interest: handler in the office named' }],
      );
    await tx
      .insert(reportSeals)
      .values({ tenantId, reportId: id, userId, sealed: K.sealTo(hk.publicKey, key, tenantId, id) });
    await this.audit(tx, tenantId, actor, 'report.assigned', id, { userId, conflict });
  }

  /** Whether the member's unit is an office the report names, or a unit under one. */
  private async inOfficeNamed(tx: TenantTx, r: q.ReportRow, key: Buffer, userId: string) {
    const { fields, answers } = K.decryptJson<Sealed>(key, r.answers, {
      tenantId: r.tenantId,
      reportId: r.id,
      purpose: 'answers',
    });
    const offices = fields.flatMap((f) =>
      f.type === 'office' && typeof answers[f.id] === 'string' ? [answers[f.id] as string] : [],
    );
    if (!offices.length) return false;
    const unit = await q.directory.unitOf(tx, userId);
    return !!unit && unitSubtree(await q.directory.units(tx), offices).has(unit);
  }

  /** Removes a handler's seal (revocation). An assigned handler or a manager may; never the last one. */
  async unassign(tx: TenantTx, tenantId: string, actor: Actor, id: string, userId: string) {
    const r = await q.findReport(tx, id, true);
    if (!r || r.purgedAt) throw notFound('report');
    const seals = await q.sealsOf(tx, id);
    const mine = seals.some((s) => s.userId === actor.userId);
    if (!mine && !actor.permissions.has(P.manage)) throw notFound('report');
    if (!seals.some((s) => s.userId === userId)) throw notFound('assignment');
    if (seals.length === 1)
      throw new AppError('CONFLICT', 'A report keeps at least one handler; assign another first');
    await tx
      .delete(reportSeals)
      .where(sql`${reportSeals.reportId} = ${id} and ${reportSeals.userId} = ${userId}`);
    await this.audit(tx, tenantId, actor, 'report.unassigned', id, { userId });
  }

  /**
   * Triage into a case (the cases module's API, in this transaction): titled with the channel and
   * the first statistical choice (the procedure), in the office answered if that answer is
   * statistical. Once per report: again, it answers the same case.
   */
  async openCase(tx: TenantTx, tenantId: string, actor: Actor, id: string, locale: Locale) {
    const { r } = await this.assigned(tx, actor, id, true);
    const cases = new CasesApi(this.k);
    if (!r.caseId && r.status === 'closed') throw new AppError('CONFLICT', 'This report is closed');
    const c = await q.findChannel(tx, r.channelId);
    const langs = c?.languages ?? [r.language];
    const fields = (c?.questionnaire ?? []) as Field[];
    const stat = (f: Field) => (f.statistical ? r.statistical[f.id] : undefined);
    const category = fields.find((f) => f.type === 'single' && typeof stat(f) === 'string');
    const option = category?.options?.find((o) => o.id === stat(category));
    const office = fields.map(stat).find((v, i) => fields[i]!.type === 'office' && typeof v === 'string');
    const units = new Set((await q.directory.units(tx)).map((u) => u.id));
    const title = [
      c ? pickText(c.name, locale, langs) : '',
      option ? pickText(option.label, locale, langs) : '',
    ]
      .filter(Boolean)
      .join(' — ');
    const opened = await cases.openFromSource(tx, tenantId, actor, {
      title: title || 'Report',
      sourceKind: 'report',
      sourceRef: id,
      ...(typeof office === 'string' && units.has(office) ? { orgUnitId: office } : {}),
      // A report routed to the second tier opens an escalated case (cases.escalated holders only).
      ...(r.escalated ? { escalated: true } : {}),
    });
    if (r.caseId !== opened.id) {
      await updateVersioned(tx, reports, id, r.version, {
        status: 'triage',
        caseId: opened.id,
        acknowledgedAt: r.acknowledgedAt ?? new Date(),
      });
      await this.audit(tx, tenantId, actor, 'report.triaged', id, { caseId: opened.id });
    }
    return { caseId: opened.id, reference: opened.reference };
  }

  async close(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    version: number,
    reason: CloseReason,
  ) {
    const { r } = await this.assigned(tx, actor, id);
    if (r.status === 'closed') throw new AppError('CONFLICT', 'Already closed');
    await updateVersioned(tx, reports, id, version, {
      status: 'closed',
      closeReason: reason,
      closedAt: new Date(),
    });
    await this.audit(tx, tenantId, actor, 'report.closed', id, { reason });
  }

  async legalHold(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number, hold: boolean) {
    const r = await q.findReport(tx, id);
    if (!r || r.purgedAt) throw notFound('report');
    await updateVersioned(tx, reports, id, version, { legalHold: hold });
    await this.audit(tx, tenantId, actor, hold ? 'report.legal_hold_set' : 'report.legal_hold_lifted', id);
  }

  // ---- attachments (reports.files.ts, routes in reports.files.routes.ts) -------------------------

  /** The reporter adds files with the receipt (the report row is locked: limits hold under concurrency). */
  async reporterAddFiles(org: string, receipt: string, files: readonly IncomingFile[]) {
    await this.files.prepare(files);
    return this.withReceipt(org, receipt, async (tx, r, key) => {
      if (r.status === 'closed') throw new AppError('CONFLICT', 'This report is closed');
      const out = await this.files.attachFiles(tx, org, r, files, key);
      await q.touchByReporter(tx, r.id);
      return out;
    });
  }

  async reporterFiles(org: string, receipt: string) {
    return this.withReceipt(org, receipt, (tx, r, key) => this.files.list(tx, r, key), true);
  }

  async reporterFile(org: string, receipt: string, fileId: string) {
    const f = await this.withReceipt(org, receipt, (tx, r, key) => this.files.read(tx, r, fileId, key), true);
    return { filename: f.name, mediaType: f.mediaType, data: f.data };
  }

  /** The files of a report assigned to the actor (names decrypted); audited like opening it. */
  async handlerFiles(tx: TenantTx, tenantId: string, actor: Actor, id: string) {
    const { r, seal } = await this.assigned(tx, actor, id);
    const items = await this.files.list(tx, r, this.reportKey(actor, r, seal));
    await this.audit(tx, tenantId, actor, 'report.files_listed', id, { files: items.length });
    return items;
  }

  /** One file, decrypted in memory for an assigned handler; every download is audited. */
  async handlerFile(tx: TenantTx, tenantId: string, actor: Actor, id: string, fileId: string) {
    const { r, seal } = await this.assigned(tx, actor, id);
    const f = await this.files.read(tx, r, fileId, this.reportKey(actor, r, seal));
    await this.audit(tx, tenantId, actor, 'report.file_read', id, { fileId });
    return { filename: f.name, mediaType: f.mediaType, data: f.data };
  }

  /** A handler sends files to the reporter (direction `handler`). */
  async handlerAddFiles(tx: TenantTx, tenantId: string, actor: Actor, id: string, files: IncomingFile[]) {
    this.files.checkBatch(files);
    const { r, seal } = await this.assigned(tx, actor, id, true);
    if (r.status === 'closed') throw new AppError('CONFLICT', 'This report is closed');
    const out = await this.files.attachFiles(tx, tenantId, r, files, this.reportKey(actor, r, seal), {
      direction: 'handler',
      authorId: actor.userId,
    });
    await this.audit(tx, tenantId, actor, 'report.files_sent', id, { files: out.length });
    return out;
  }

  // ---- key escrow (docs/adr/0023-reporting-encryption.md, "Escrow") -----------------------------

  /** The administration's escrow as handlers, managers and the escrow switch see it. */
  async escrowState(tx: TenantTx, actor: Actor): Promise<z.infer<typeof C.EscrowState>> {
    const e = await q.findEscrow(tx);
    if (!e)
      return {
        enabled: K.ESCROW_DEFAULT,
        since: null,
        enabledBy: null,
        custodians: [],
        custodian: false,
        escrowedReports: 0,
      };
    const cs = await q.escrowCustodians(tx);
    const people = await q.directory.people(tx, [...new Set([e.enabledBy, ...cs.map((c) => c.userId)])]);
    return {
      enabled: true,
      since: e.createdAt.toISOString(),
      enabledBy: people.get(e.enabledBy)?.name ?? null,
      custodians: cs.map((c) => ({ userId: c.userId, name: people.get(c.userId)?.name ?? '' })),
      custodian: cs.some((c) => c.userId === actor.userId),
      escrowedReports: await q.countEscrowSeals(tx),
    };
  }

  /** Re-authentication before the switch: the acting user's sign-in password, before any transaction. */
  async confirmPassword(actor: Actor, password: string) {
    if (!(await AuthService.for(this.k).confirmPassword(actor.userId, password)))
      throw new AppError('UNPROCESSABLE', 'The password is not correct', [
        { path: 'password', message: 'wrong' },
      ]);
  }

  /**
   * Switches escrow on (a new X25519 key pair; its private key sealed to each custodian's handler
   * key and kept nowhere else) or off (crypto-shredding: every escrow seal, every custodian's copy
   * and the key are deleted). Audited in the same transaction. Not retroactive: only reports
   * submitted while it is on are sealed to it. The password was checked by `confirmPassword`.
   */
  async switchEscrow(tx: TenantTx, tenantId: string, actor: Actor, input: z.infer<typeof C.EscrowSwitch>) {
    const current = await q.findEscrow(tx, 'update');
    if (!input.enabled) {
      if (!current) throw new AppError('CONFLICT', 'Key escrow is already off');
      const custodians = (await q.escrowCustodians(tx)).map((c) => c.userId);
      const seals = await q.countEscrowSeals(tx);
      await q.destroyEscrow(tx, tenantId);
      await this.audit(
        tx,
        tenantId,
        actor,
        'escrow.disabled',
        current.id,
        { custodians, sealsDestroyed: seals },
        'report_escrow',
      );
      return this.escrowState(tx, actor);
    }
    if (current)
      throw new AppError(
        'CONFLICT',
        'Key escrow is already on; switch it off first to name other custodians',
      );
    const ids = [...new Set(input.custodians)];
    await this.checkRecipients(tx, ids, 'custodians');
    const keys = await q.handlerKeys(tx, ids);
    const missing = ids.filter((u) => !keys.some((k) => k.userId === u));
    if (missing.length)
      throw new AppError('UNPROCESSABLE', 'A custodian must have reporting keys', [
        { path: 'custodians', message: `no keys: ${missing.join(', ')}` },
      ]);
    const pair = K.createEscrowKey();
    const [e] = await tx
      .insert(reportsEscrow)
      .values({ tenantId, publicKey: pair.publicKey, enabledBy: actor.userId })
      .returning();
    await tx.insert(reportsEscrowCustodians).values(
      keys.map((k) => ({
        tenantId,
        escrowId: e!.id,
        userId: k.userId,
        sealed: K.sealEscrowKey(k.publicKey, pair.privateKey, tenantId, e!.id),
      })),
    );
    await this.audit(tx, tenantId, actor, 'escrow.enabled', e!.id, { custodians: ids }, 'report_escrow');
    return this.escrowState(tx, actor);
  }

  /**
   * A custodian opens a report through the escrow key (their unlocked handler key → the escrow
   * private key → the report key): an explicit act, audited with the report id, shown in the
   * report's access history. 404 for anyone who is not a custodian and for reports without an
   * escrow seal (sent while escrow was off); 409 while the custodian's keys are locked.
   */
  async openViaEscrow(tx: TenantTx, tenantId: string, actor: Actor, id: string, locale: Locale) {
    const { r, key, escrowId } = await this.escrowKey(tx, tenantId, actor, id);
    await this.audit(tx, tenantId, actor, 'report.escrow_opened', id, { escrowId });
    const assigned = Boolean(await q.sealFor(tx, id, actor.userId));
    return this.detail(tx, r, key, locale, { assigned, viaEscrow: true });
  }

  /** The files of an escrowed report, for a custodian (names decrypted); audited as escrow access. */
  async escrowFiles(tx: TenantTx, tenantId: string, actor: Actor, id: string) {
    const { r, key, escrowId } = await this.escrowKey(tx, tenantId, actor, id);
    const items = await this.files.list(tx, r, key);
    await this.audit(tx, tenantId, actor, 'report.files_listed', id, {
      files: items.length,
      viaEscrow: true,
      escrowId,
    });
    return items;
  }

  /** One file of an escrowed report, decrypted in memory for a custodian; audited as escrow access. */
  async escrowFile(tx: TenantTx, tenantId: string, actor: Actor, id: string, fileId: string) {
    const { r, key, escrowId } = await this.escrowKey(tx, tenantId, actor, id);
    const f = await this.files.read(tx, r, fileId, key);
    await this.audit(tx, tenantId, actor, 'report.file_read', id, { fileId, viaEscrow: true, escrowId });
    return { filename: f.name, mediaType: f.mediaType, data: f.data };
  }

  /**
   * A custodian's way to a report key: their unlocked handler key → the escrow private key → the
   * report key. 404 for anyone who is not a custodian and for reports without an escrow seal
   * (sent while escrow was off); 409 while the custodian's keys are locked.
   */
  private async escrowKey(tx: TenantTx, tenantId: string, actor: Actor, id: string) {
    const r = await q.findReport(tx, id);
    if (!r || r.purgedAt) throw notFound('report');
    const [escrow, custodian, seal] = [
      await q.findEscrow(tx),
      await q.custodianSeal(tx, actor.userId),
      await q.escrowSealFor(tx, id),
    ];
    if (!escrow || !custodian || !seal || seal.escrowId !== escrow.id) throw notFound('report');
    const escrowKey = K.openEscrowKey(
      this.unlocked(actor),
      custodian.sealed,
      escrow.publicKey,
      tenantId,
      escrow.id,
    );
    return { r, key: K.openEscrowSeal(escrowKey, seal.sealed, tenantId, id), escrowId: escrow.id };
  }

  // ---- retention ---------------------------------------------------------------------------------

  /**
   * Daily statutory clocks: every handler a report is sealed to hears once when it is past its
   * acknowledgement date (still new) and once when it is past its feedback date (not closed).
   * The notice names the channel and the date only, never the report's content.
   */
  async remindOverdue(tx: TenantTx, tenantId: string, now: Date) {
    const channels = new Map((await q.channels(tx)).map((c) => [c.id, c]));
    let sent = 0;
    for (const r of await q.liveReports(tx)) {
      if (r.status === 'closed') continue;
      const c = channels.get(r.channelId);
      const due = {
        ack: new Date(r.receivedAt.getTime() + (c?.ackDays ?? DEFAULT_ACK_DAYS) * DAY),
        feedback: new Date(r.receivedAt.getTime() + (c?.feedbackDays ?? DEFAULT_FEEDBACK_DAYS) * DAY),
      };
      const late = (['ack', 'feedback'] as const).filter(
        (k) => now > due[k] && (k === 'feedback' || r.status === 'new'),
      );
      if (!late.length) continue;
      const seals = await q.sealsOf(tx, r.id);
      for (const clock of late)
        for (const { userId } of seals)
          if (
            await this.k.notify.send(tx, {
              tenantId,
              userId,
              kind: 'reports.overdue',
              messageKey: `reports.notify.${clock}Overdue`,
              vars: {
                channel: c ? pickText(c.name, 'en', c.languages) : '',
                due: due[clock].toISOString().slice(0, 10),
              },
              link: `/reports/${r.id}`,
              dedupeKey: `report:${r.id}:${clock}-overdue`,
              email: true,
            })
          )
            sent++;
    }
    return { sent };
  }

  /**
   * Closed reports past their channel's retention (default 90 days after closure), not under
   * legal hold: seals, messages, files and the encrypted answers are deleted, the receipt no
   * longer finds anything; the row stays as a tombstone (status, reason, statistical fields).
   */
  async purgeExpired(tx: TenantTx, tenantId: string, now: Date) {
    const channels = new Map((await q.channels(tx)).map((c) => [c.id, c]));
    let purged = 0;
    for (const r of await q.purgeCandidates(tx)) {
      const days = channels.get(r.channelId)?.retentionDays ?? DEFAULT_RETENTION_DAYS;
      if (r.closedAt!.getTime() + days * DAY > now.getTime()) continue;
      await this.files.purge(tx, tenantId, r.id);
      await q.purge(tx, r.id);
      await this.k.audit.record(tx, tenantId, {
        actorId: null,
        action: 'reports.report.purged',
        entityType: 'report',
        entityId: r.id,
        data: { retentionDays: days },
      });
      purged++;
    }
    return { purged };
  }

  // ---- demo and set-up ---------------------------------------------------------------------------

  /** The shipped customs channel (idempotent by slug). */
  async ensureDefaultChannel(tx: TenantTx, tenantId: string, recipients: string[] = []) {
    const found = await q.findChannelBySlug(tx, DEFAULT_CHANNEL.slug);
    if (found) return found;
    const [c] = await tx
      .insert(reportChannels)
      .values({
        tenantId,
        slug: DEFAULT_CHANNEL.slug,
        name: DEFAULT_CHANNEL.name,
        intro: DEFAULT_CHANNEL.intro,
        questionnaire: DEFAULT_QUESTIONNAIRE,
        recipients,
        languages: DEFAULT_CHANNEL.languages,
      })
      .returning();
    return c!;
  }
}
