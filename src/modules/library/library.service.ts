import type { Actor } from '../../platform/auth/actor.ts';
import { type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { ActionPlansApi } from '../action-plans/index.ts';
import { Directory } from '../identity/index.ts';
import * as C from './library.contract.ts';
import * as q from './library.queries.ts';
import { type AttachmentRef, libraryEntries, librarySubmissions } from './library.schema.ts';
import type { EntryLanguage, EntryStatus } from './library.vocab.ts';

const directory = new Directory();
const iso = (d: Date) => d.toISOString();
/** What the API shows of an attachment (never where its file is stored). */
const attachmentView = (a: Pick<AttachmentRef, 'id' | 'filename' | 'mediaType' | 'size'>): C.AttachmentT => ({
  id: a.id,
  filename: a.filename,
  mediaType: a.mediaType,
  size: a.size,
});

/** The fields a contributor writes, copied as they are from the working copy to each snapshot
 *  and from a snapshot to the public copy. */
const contentOf = (r: q.EntryRow | q.SubmissionRow) => ({
  title: r.title,
  summary: r.summary,
  factors: r.factors,
  type: r.type,
  anonymous: r.anonymous,
  whatDone: r.whatDone,
  whatChanged: r.whatChanged,
  measures: r.measures,
  language: r.language,
});

/** Refuses a translation into the entry's own language (that text is the original). */
function checkTranslations(language: EntryLanguage, translations: readonly C.TranslationT[]): void {
  const i = translations.findIndex((x) => x.language === language);
  if (i >= 0)
    throw new AppError('VALIDATION_FAILED', 'A translation is in another language than the original', [
      { path: `translations.${i}.language`, message: 'the entry is written in this language' },
    ]);
}

/**
 * The best-practice library: administrations (and the Secretariat) write entries in their own
 * tenant, submit versions, the Secretariat publishes or rejects them, and everyone searches,
 * reads, comments on and "uses" the published copies (docs/adr/0027).
 */
export class LibraryService {
  private readonly plans: ActionPlansApi;
  constructor(private readonly k: Kernel) {
    this.plans = new ActionPlansApi(k);
  }

  // ---- my organisation's entries ---------------------------------------------------------------

  private async view(tx: TenantTx, rows: q.EntryRow[]): Promise<C.EntryT[]> {
    const ids = rows.map((r) => r.id);
    const [latest, published, files] = await Promise.all([
      q.latestSubmissions(tx, ids),
      q.publishedRevisions(tx, ids),
      q.attachmentsOf(tx, ids),
    ]);
    return rows.map((e) => {
      const last = latest.get(e.id);
      const status: EntryStatus = e.editing || !last || last.status === 'superseded' ? 'draft' : last.status;
      return {
        id: e.id,
        ...contentOf(e),
        translations: e.translations,
        attachments: files.filter((a) => a.entryId === e.id).map(attachmentView),
        status,
        revision: e.revision,
        publishedRevision: published.get(e.id) ?? null,
        rejectionReason: last?.status === 'rejected' ? last.reason : null,
        unpublishedReason: status === 'unpublished' ? last!.reason : null,
        createdAt: iso(e.createdAt),
        updatedAt: iso(e.updatedAt),
        version: e.version,
      };
    });
  }

  private async mustEntry(tx: TenantTx, id: string) {
    const e = await q.findEntry(tx, id);
    if (!e) throw notFound('entry');
    return e;
  }

  async listEntries(tx: TenantTx): Promise<C.EntryT[]> {
    return this.view(tx, await q.listEntries(tx));
  }

  private async viewOne(tx: TenantTx, row: q.EntryRow): Promise<C.EntryT> {
    return (await this.view(tx, [row]))[0]!;
  }

  async getEntry(tx: TenantTx, id: string): Promise<C.EntryT> {
    return this.viewOne(tx, await this.mustEntry(tx, id));
  }

  async createEntry(tx: TenantTx, tenantId: string, actor: Actor, input: C.EntryInputT): Promise<C.EntryT> {
    checkTranslations(input.language, input.translations);
    const e = await q.insertEntry(tx, { tenantId, ...input, createdBy: actor.userId });
    await this.audit(tx, tenantId, actor, 'library.entry.created', e.id, { title: e.title });
    return this.viewOne(tx, e);
  }

  /** Editing makes a new draft; a pending submission is withdrawn; the published copy stays. */
  async updateEntry(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.UpdateEntryInputT,
  ): Promise<C.EntryT> {
    const { version, ...changes } = input;
    // An unknown (or another tenant's) entry is 404 here too: updateVersioned says why nothing changed.
    const e = await updateVersioned(tx, libraryEntries, id, version, { ...changes, editing: true });
    // Checked on the result: a new original language may clash with a kept translation (the
    // transaction rolls the update back).
    checkTranslations(e.language, e.translations);
    await q.supersedePending(tx, id);
    await this.audit(tx, tenantId, actor, 'library.entry.updated', id, { fields: Object.keys(changes) });
    return this.viewOne(tx, e);
  }

  /** Submit the working copy for moderation: an immutable snapshot, revision n + 1. */
  async submit(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number): Promise<C.EntryT> {
    const e = await this.mustEntry(tx, id);
    if (e.version !== version) await updateVersioned(tx, libraryEntries, id, version, {});
    if (!e.editing) throw new AppError('CONFLICT', 'Nothing new to submit: edit the entry first');
    const org = await directory.organisation(tx);
    if (!org) throw notFound('organisation');
    const revision = e.revision + 1;
    await q.supersedePending(tx, id);
    const attachments: AttachmentRef[] = (await q.attachmentsOf(tx, [id])).map((a) => ({
      id: a.id,
      filename: a.filename,
      mediaType: a.mediaType,
      size: a.size,
      sha256: a.sha256,
      storageKey: a.storageKey,
    }));
    await q.insertSubmission(tx, {
      tenantId,
      entryId: id,
      revision,
      ...contentOf(e),
      translations: e.translations,
      attachments,
      organisation: org.name,
      country: org.country,
      region: org.wcoRegion,
      submittedBy: actor.userId,
    });
    const submitted = await updateVersioned(tx, libraryEntries, id, version, { editing: false, revision });
    await this.audit(tx, tenantId, actor, 'library.entry.submitted', id, { revision });
    return this.viewOne(tx, submitted);
  }

  // ---- moderation (the Secretariat's tenant) ---------------------------------------------------

  private async submissionView(tx: TenantTx, rows: q.SubmissionRow[]): Promise<C.SubmissionT[]> {
    const published = await q.publishedRevisions(
      tx,
      rows.map((r) => r.entryId),
    );
    return rows.map((s) => ({
      id: s.id,
      entryId: s.entryId,
      revision: s.revision,
      ...contentOf(s),
      translations: s.translations,
      attachments: s.attachments.map(attachmentView),
      organisation: s.organisation,
      country: s.country,
      region: s.region,
      status: s.status,
      reason: s.reason,
      submittedAt: iso(s.createdAt),
      decidedAt: s.decidedAt ? iso(s.decidedAt) : null,
      publishedRevision: published.get(s.entryId) ?? null,
      version: s.version,
    }));
  }

  /**
   * Only the Secretariat's tenant moderates: elsewhere the queue is empty and a submission
   * "not found", even for the organisation's own submissions (the database refuses the
   * publication anyway: library_is_moderator() in the policies).
   */
  private async mustModerate(tx: TenantTx, id: string) {
    const s = (await q.isModerator(tx)) ? await q.findSubmission(tx, id) : undefined;
    if (!s) throw notFound('submission');
    return s;
  }

  async queue(tx: TenantTx): Promise<C.SubmissionT[]> {
    if (!(await q.isModerator(tx))) return [];
    return this.submissionView(tx, await q.pendingSubmissions(tx));
  }

  async submission(tx: TenantTx, id: string): Promise<C.SubmissionT> {
    return (await this.submissionView(tx, [await this.mustModerate(tx, id)]))[0]!;
  }

  async decide(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.DecisionInputT,
    afterCommit: (fn: () => void) => void = () => {},
  ): Promise<C.SubmissionT> {
    const s = await this.mustModerate(tx, id);
    if (s.version !== input.version) await updateVersioned(tx, librarySubmissions, id, input.version, {});
    if (s.status !== 'submitted')
      throw new AppError('CONFLICT', `This submission is ${s.status}: only a pending one can be decided`);
    const now = new Date();
    const publish = input.decision === 'publish';
    const decided = await updateVersioned(tx, librarySubmissions, id, input.version, {
      status: publish ? 'published' : 'rejected',
      reason: publish ? null : input.reason!,
      decidedBy: actor.userId,
      decidedAt: now,
    });
    // The published copy keeps the attachments: their files are copied to the Secretariat's own
    // storage, so the public copy never points into the contributor's.
    const attachments = [];
    if (publish)
      for (const a of s.attachments) {
        const storageKey = `library/published/${s.entryId}/${a.id}`;
        await this.k.storage.put(tenantId, storageKey, await this.k.storage.get(s.tenantId, a.storageKey));
        attachments.push({ ...a, storageKey, filesTenantId: tenantId });
      }
    if (publish)
      await q.upsertPublished(tx, {
        id: s.entryId,
        submissionId: s.id,
        revision: s.revision,
        ...contentOf(s),
        attachments,
        organisation: s.anonymous ? null : s.organisation,
        country: s.anonymous ? null : s.country,
        region: s.region,
        publishedAt: now,
        firstPublishedAt: now,
        unpublishedAt: null,
        unpublishedReason: null,
      });
    if (publish) {
      // The earlier published version's submission is history now; a withdrawn one stays 'unpublished'.
      await q.replaceTexts(
        tx,
        s.entryId,
        await Promise.all(
          [contentOf(s), ...s.translations].map(async (x) => ({
            entryId: s.entryId,
            language: x.language,
            title: x.title,
            summary: x.summary,
            whatDone: x.whatDone,
            whatChanged: x.whatChanged,
            tsConfig: await q.configFor(tx, x.language),
          })),
        ),
      );
    }
    // Recorded in the Secretariat's audit trail (the contributor's tenant is not writable from here).
    await this.audit(
      tx,
      tenantId,
      actor,
      publish ? 'library.submission.published' : 'library.submission.rejected',
      id,
      {
        entryId: s.entryId,
        revision: s.revision,
        ...(publish ? {} : { reason: input.reason }),
      },
    );
    this.tellContributor(afterCommit, s, publish ? 'published' : 'rejected', input.reason ?? '');
    return (await this.submissionView(tx, [decided]))[0]!;
  }

  /**
   * The contributor hears of a decision in their own organisation, once it is committed. (The
   * Secretariat's transaction cannot write into another organisation: row-level security.)
   */
  private tellContributor(
    afterCommit: (fn: () => void) => void,
    s: q.SubmissionRow,
    what: 'published' | 'rejected' | 'unpublished',
    reason: string,
  ) {
    afterCommit(
      () =>
        void withTenant(this.k.db, { tenantId: s.tenantId, userId: null }, (ctx) =>
          this.k.notify.send(ctx, {
            tenantId: s.tenantId,
            userId: s.submittedBy,
            kind: `library.${what}`,
            messageKey: `library.notify.${what}`,
            vars: { title: s.title, revision: s.revision, reason },
            link: `/library/entries/${s.entryId}`,
            dedupeKey: `library:submission:${s.id}:${what === 'unpublished' ? 'unpublished' : 'decision'}`,
            email: true,
          }),
        ).catch((e) => this.k.log.error({ err: e, submission: s.id }, 'library: decision notice not sent')),
    );
  }

  /**
   * Withdraw the published version (the Secretariat, with a reason): the public copy and its texts
   * stay in the database but row-level security shows them to the Secretariat only, so search and
   * the public page stop showing the entry at once. The contributor's next submission, once
   * published, makes it public again.
   */
  async unpublish(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    entryId: string,
    input: { revision: number; reason: string },
    afterCommit: (fn: () => void) => void = () => {},
  ): Promise<C.VersionSummaryT[]> {
    const p = await q.findPublishedRow(tx, entryId);
    if (!p) throw notFound('entry');
    if (!(await q.isModerator(tx))) throw forbidden('Only the WCO Secretariat withdraws a published entry');
    if (p.unpublishedAt) throw new AppError('CONFLICT', 'This entry is not published');
    if (p.revision !== input.revision)
      throw new AppError(
        'VERSION_CONFLICT',
        `Version ${p.revision} is published now, not version ${input.revision}: reload`,
      );
    const now = new Date();
    await q.unpublish(tx, entryId, input.reason, now);
    const s = await q.findSubmission(tx, p.submissionId);
    if (s)
      await q.recordDecision(tx, s.id, {
        status: 'unpublished',
        reason: input.reason,
        decidedBy: actor.userId,
        decidedAt: now,
      });
    await this.audit(tx, tenantId, actor, 'library.entry.unpublished', entryId, {
      revision: p.revision,
      reason: input.reason,
    });
    if (s) this.tellContributor(afterCommit, s, 'unpublished', input.reason);
    return this.versions(tx, entryId, 'moderator');
  }

  // ---- versions ------------------------------------------------------------------------------------

  /**
   * An entry's submitted versions: for the contributing organisation (its own entry) or the
   * Secretariat (every submission). Anyone else: 404, as for an entry that does not exist.
   */
  private async mustHistory(tx: TenantTx, entryId: string, as: 'contributor' | 'moderator') {
    const visible =
      as === 'contributor' ? (await q.findEntry(tx, entryId)) !== undefined : await q.isModerator(tx);
    const rows = visible ? await q.submissionsOf(tx, entryId) : [];
    if (rows.length === 0 && (as === 'moderator' || !visible)) throw notFound('entry');
    return rows;
  }

  async versions(
    tx: TenantTx,
    entryId: string,
    as: 'contributor' | 'moderator',
  ): Promise<C.VersionSummaryT[]> {
    const rows = await this.mustHistory(tx, entryId, as);
    const current = (await q.publishedRevisions(tx, [entryId])).get(entryId);
    return rows.map((s) => ({
      id: s.id,
      revision: s.revision,
      title: s.title,
      language: s.language,
      status: s.status,
      reason: s.reason,
      submittedAt: iso(s.createdAt),
      decidedAt: s.decidedAt ? iso(s.decidedAt) : null,
      current: s.revision === current,
    }));
  }

  private async mustVersion(
    tx: TenantTx,
    entryId: string,
    revision: number,
    as: 'contributor' | 'moderator',
  ) {
    const s = (await this.mustHistory(tx, entryId, as)).find((x) => x.revision === revision);
    if (!s) throw notFound('version');
    return s;
  }

  async version(
    tx: TenantTx,
    entryId: string,
    revision: number,
    as: 'contributor' | 'moderator',
  ): Promise<C.SubmissionT> {
    return (await this.submissionView(tx, [await this.mustVersion(tx, entryId, revision, as)]))[0]!;
  }

  /**
   * A file of one of my organisation's submitted versions, from that version's own snapshot: the
   * working copy may have dropped or replaced it since (the file is kept while a snapshot refers
   * to it, see removeAttachment).
   */
  async versionFile(tx: TenantTx, entryId: string, revision: number, id: string) {
    const s = await this.mustVersion(tx, entryId, revision, 'contributor');
    return this.file(
      s.tenantId,
      s.attachments.find((x) => x.id === id),
    );
  }

  // ---- the published library -------------------------------------------------------------------

  /** Published copies in the reader's language where written in it, else in their original. */
  private async summaries(tx: TenantTx, rows: q.PublishedRow[], lang: EntryLanguage) {
    const { languages, shown } = await q.textsOf(tx, rows, lang);
    return rows.map((p) => {
      const text = shown.get(p.id);
      return {
        summary: this.summary(p, text, languages.get(p.id) ?? [p.language]),
        whatDone: text?.whatDone ?? p.whatDone,
        whatChanged: text?.whatChanged ?? p.whatChanged,
      };
    });
  }

  private summary(
    p: q.PublishedRow,
    text: q.TextRow | undefined,
    languages: EntryLanguage[],
  ): C.PublishedSummaryT {
    return {
      id: p.id,
      title: text?.title ?? p.title,
      summary: text?.summary ?? p.summary,
      factors: p.factors,
      type: p.type,
      language: p.language,
      shownLanguage: text?.language ?? p.language,
      languages,
      anonymous: p.anonymous,
      organisation: p.organisation,
      country: p.country,
      region: p.region,
      revision: p.revision,
      publishedAt: iso(p.publishedAt),
    };
  }

  async search(
    tx: TenantTx,
    query: C.SearchQueryT,
    locale: Locale,
  ): Promise<{ items: C.PublishedSummaryT[]; total: number }> {
    const { rows, total } = await q.searchPublished(tx, query);
    const shown = await this.summaries(tx, rows, query.lang ?? locale);
    return { items: shown.map((x) => x.summary), total };
  }

  private async mustPublished(tx: TenantTx, id: string) {
    const p = await q.findPublished(tx, id);
    if (!p) throw notFound('entry');
    return p;
  }

  async published(tx: TenantTx, id: string, lang: EntryLanguage): Promise<C.PublishedDetailT> {
    const p = await this.mustPublished(tx, id);
    const [comments, own, [shown]] = await Promise.all([
      q.commentsOf(tx, id),
      q.findEntry(tx, id),
      this.summaries(tx, [p], lang),
    ]);
    const moderator = await q.isModerator(tx);
    return {
      ...shown!.summary,
      whatDone: shown!.whatDone,
      whatChanged: shown!.whatChanged,
      measures: p.measures,
      attachments: p.attachments.map(attachmentView),
      firstPublishedAt: iso(p.firstPublishedAt),
      mine: own !== undefined,
      comments: comments.map((c) => this.comment(c)),
      canModerate: moderator,
    };
  }

  // ---- attachments -------------------------------------------------------------------------------

  /** Attach a file to my organisation's entry: a change, so the entry becomes a draft again. */
  async addAttachment(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    entryId: string,
    file: UploadedFile,
  ): Promise<C.AttachmentT> {
    const e = await this.mustEntry(tx, entryId);
    if ((await q.attachmentsOf(tx, [e.id])).length >= C.MAX_ATTACHMENTS)
      throw new AppError('UNPROCESSABLE', `An entry has at most ${C.MAX_ATTACHMENTS} attachments`, [
        { path: 'file', message: `at most ${C.MAX_ATTACHMENTS} attachments` },
      ]);
    const id = uuidv7();
    const key = `library/${e.id}/${id}`;
    await this.k.storage.put(tenantId, key, file.data);
    try {
      const a = await q.insertAttachment(tx, {
        id,
        tenantId,
        entryId: e.id,
        filename: file.filename,
        mediaType: file.mediaType,
        size: file.size,
        sha256: file.sha256,
        storageKey: key,
        uploadedBy: actor.userId,
      });
      await this.touch(tx, e);
      await this.audit(tx, tenantId, actor, 'library.attachment.added', e.id, {
        attachmentId: a.id,
        filename: a.filename,
        size: a.size,
        sha256: a.sha256,
      });
      return attachmentView(a);
    } catch (err) {
      await this.k.storage.delete(tenantId, key).catch(() => {});
      throw err;
    }
  }

  /** An edit of the working copy: a new draft, a pending submission withdrawn. */
  private async touch(tx: TenantTx, e: q.EntryRow) {
    await updateVersioned(tx, libraryEntries, e.id, e.version, { editing: true });
    await q.supersedePending(tx, e.id);
  }

  async removeAttachment(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    entryId: string,
    id: string,
    afterCommit: (fn: () => void) => void,
  ): Promise<void> {
    const e = await this.mustEntry(tx, entryId);
    const a = await q.findAttachment(tx, e.id, id);
    if (!a) throw notFound('attachment');
    await q.deleteAttachment(tx, a.id);
    await this.touch(tx, e);
    await this.audit(tx, tenantId, actor, 'library.attachment.removed', e.id, {
      attachmentId: a.id,
      filename: a.filename,
    });
    // A submitted version (perhaps published, perhaps being moderated) keeps its file.
    if (!(await q.attachmentInSnapshots(tx, e.id, a.id)))
      afterCommit(() => void this.k.storage.delete(tenantId, a.storageKey).catch(() => {}));
  }

  async entryFile(tx: TenantTx, tenantId: string, entryId: string, id: string) {
    await this.mustEntry(tx, entryId);
    return this.file(tenantId, await q.findAttachment(tx, entryId, id));
  }

  /** A published entry's attachment: every organisation that reads the library. */
  async publishedFile(tx: TenantTx, entryId: string, id: string) {
    const a = (await this.mustPublished(tx, entryId)).attachments.find((x) => x.id === id);
    return this.file(a?.filesTenantId, a);
  }

  /** A submission's attachment, for the Secretariat moderating it. */
  async submissionFile(tx: TenantTx, submissionId: string, id: string) {
    const s = await this.mustModerate(tx, submissionId);
    return this.file(
      s.tenantId,
      s.attachments.find((x) => x.id === id),
    );
  }

  /** An attachment's bytes from the storage of the tenant holding them, for download(). */
  private async file(filesTenantId: string | undefined, a: Omit<AttachmentRef, 'id'> | undefined) {
    if (!a || !filesTenantId) throw notFound('attachment');
    return {
      filename: a.filename,
      mediaType: a.mediaType,
      data: await this.k.storage.get(filesTenantId, a.storageKey),
    };
  }

  private comment(c: q.CommentRow): C.CommentT {
    return {
      id: c.id,
      authorName: c.authorName,
      organisation: c.organisation,
      body: c.body,
      createdAt: iso(c.createdAt),
      hidden: c.hiddenAt ? { at: iso(c.hiddenAt), reason: c.hiddenReason ?? '' } : null,
    };
  }

  /**
   * Hide a comment (the Secretariat, with a reason): row-level security then shows it to the
   * Secretariat and the author's organisation only. Audited in the Secretariat's chain.
   */
  async hideComment(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    reason: string,
  ): Promise<C.CommentT> {
    const c = await q.findComment(tx, id);
    if (!c || !(await q.findPublished(tx, c.entryId))) throw notFound('comment');
    if (!(await q.isModerator(tx))) throw forbidden('Only the WCO Secretariat moderates comments');
    if (c.hiddenAt) throw new AppError('CONFLICT', 'This comment is hidden already');
    const hidden = await q.hideComment(tx, id, {
      hiddenAt: new Date(),
      hiddenReason: reason,
      hiddenBy: actor.userId,
    });
    await this.audit(tx, tenantId, actor, 'library.comment.hidden', c.entryId, { commentId: id, reason });
    return this.comment(hidden);
  }

  async addComment(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    body: string,
  ): Promise<C.CommentT> {
    await this.mustPublished(tx, id);
    const [org, people] = await Promise.all([
      directory.organisation(tx),
      directory.people(tx, [actor.userId]),
    ]);
    const c = await q.insertComment(tx, {
      tenantId,
      entryId: id,
      authorId: actor.userId,
      authorName: people.get(actor.userId)?.name ?? actor.email,
      organisation: org?.name ?? '',
      body,
    });
    await this.audit(tx, tenantId, actor, 'library.comment.added', id, { commentId: c.id });
    return this.comment(c);
  }

  /** "Use this": a draft action in one of my organisation's action plans, citing the entry. */
  async use(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    planId: string,
    locale: Locale,
  ): Promise<{ planId: string; actionId: string; ref: string }> {
    const p = await this.mustPublished(tx, id);
    const source = t(locale, 'library.usedFrom', { id: p.id, revision: p.revision });
    const a = await this.plans.draftAction(tx, tenantId, actor, planId, {
      objective: p.title.slice(0, 500),
      description: `${p.summary}\n\n${source}`.slice(0, 4000),
      factor: p.factors[0] ?? null,
    });
    await this.audit(tx, tenantId, actor, 'library.entry.used', id, { planId, actionId: a.id });
    return { planId: a.planId, actionId: a.id, ref: a.ref };
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    action: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action,
      entityType: 'library_entry',
      entityId,
      data,
    });
  }
}
