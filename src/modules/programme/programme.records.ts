import { and, asc, count, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { deleteVersioned, updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { StandardsService } from '../standards/index.ts';
import { IdParam } from './programme.contract.ts';
import { P } from './programme.permissions.ts';
import * as q from './programme.queries.ts';
import * as C from './programme.records.contract.ts';
import {
  programmeActivities,
  programmeActivityOutputs,
  programmeActivityReports,
  programmeAgreements,
  programmeCosts,
  programmeDisbursements,
  programmeEoiAttachments,
  programmeEois,
  programmeEvaluations,
} from './programme.schema.ts';
import type { ProgrammeService } from './programme.service.ts';

// Files, edits and deletes of the programme (docs/adr/0028, "Files, edits and deletes"): an
// expression of interest's attachments (the administration's tenant and storage, read by the
// Secretariat), an activity's report files, the RAD factors' names, evaluation corrections, and
// the deletes of activities, agreements and evaluations.

/** An EOI's attachment or an activity's report: the columns both have. */
type FileRow = Omit<typeof programmeEoiAttachments.$inferSelect, 'eoiId'>;
const iso = (d: Date) => d.toISOString();
const fileView = (f: FileRow): C.RecordFileT => ({
  id: f.id,
  filename: f.filename,
  mediaType: f.mediaType,
  size: f.size,
  sha256: f.sha256,
  uploadedAt: iso(f.createdAt),
});
type AfterCommit = (fn: () => void) => void;
/** Who reads an activity's report files besides the Secretariat. */
type SharedReader = 'partner' | 'donor';
/** An evaluation's rating per criterion, as the audit records it. */
const ratings = (l: (typeof programmeEvaluations.$inferSelect)['criteria']) =>
  Object.fromEntries(l.map((c) => [c.criterion, c.rating]));

export class RecordsService {
  constructor(
    private readonly k: Kernel,
    private readonly programme: ProgrammeService,
  ) {}

  private audit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId: actor.userId, action, entityType, entityId, data });
  }

  /** The ten RAD key factors named in `locale`, from the standards module's current library. */
  async radFactors(tx: TenantTx, locale: Locale): Promise<C.RadFactorT[]> {
    const factors = await new StandardsService(this.k).factors(tx, locale);
    return factors.map((f) => ({ factor: f.number, name: f.name }));
  }

  /**
   * Stores a file, then its row under `parent` (an EOI or an activity), then the audit record on
   * the parent; a failed row leaves no file behind (with database storage the file commits or
   * rolls back with the row anyway).
   */
  private async store(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    parent: { eoiId: string } | { activityId: string },
    file: UploadedFile,
  ): Promise<C.RecordFileT> {
    const id = uuidv7();
    const [folder, parentId] = 'eoiId' in parent ? ['eois', parent.eoiId] : ['activities', parent.activityId];
    const key = `programme/${folder}/${parentId}/${id}`;
    await this.k.storage.put(tenantId, key, file.data);
    let f: FileRow | undefined;
    try {
      const row = {
        id,
        tenantId,
        filename: file.filename,
        mediaType: file.mediaType,
        size: file.size,
        sha256: file.sha256,
        storageKey: key,
        uploadedBy: actor.userId,
      };
      [f] =
        'eoiId' in parent
          ? await tx
              .insert(programmeEoiAttachments)
              .values({ ...row, ...parent })
              .returning()
          : await tx
              .insert(programmeActivityReports)
              .values({ ...row, ...parent })
              .returning();
    } catch (err) {
      await this.k.storage.delete(tenantId, key).catch(() => {});
      throw err;
    }
    const [action, entityType] =
      'eoiId' in parent
        ? ['programme.eoi.file_added', 'programme_eoi']
        : ['programme.activity.report_added', 'programme_activity'];
    await this.audit(tx, tenantId, actor, action, entityType, parentId, {
      fileId: f!.id,
      filename: f!.filename,
      size: f!.size,
      sha256: f!.sha256,
    });
    return fileView(f!);
  }

  /** A file's bytes from the storage of the tenant that holds them (its row's), for download(). */
  private async bytes(f: FileRow | undefined) {
    if (!f) throw notFound('file');
    return {
      filename: f.filename,
      mediaType: f.mediaType,
      data: await this.k.storage.get(f.tenantId, f.storageKey),
    };
  }

  private tooMany(n: number) {
    if (n >= C.MAX_RECORD_FILES)
      throw new AppError('UNPROCESSABLE', `At most ${C.MAX_RECORD_FILES} files`, [
        { path: 'file', message: `at most ${C.MAX_RECORD_FILES} files` },
      ]);
  }

  // ---- an expression of interest: the administration ------------------------------------------

  /** My administration's EOI; another tenant's is "not found" (row-level security and the filter agree). */
  private async myEoi(tx: TenantTx, tenantId: string, id: string) {
    const [e] = await tx
      .select()
      .from(programmeEois)
      .where(and(eq(programmeEois.id, id), eq(programmeEois.tenantId, tenantId)));
    if (!e) throw notFound('expression of interest');
    return e;
  }

  private eoiFiles(tx: TenantTx, eoiId: string) {
    return tx
      .select()
      .from(programmeEoiAttachments)
      .where(eq(programmeEoiAttachments.eoiId, eoiId))
      .orderBy(asc(programmeEoiAttachments.createdAt));
  }

  async myEoiView(tx: TenantTx, tenantId: string, id: string): Promise<C.MyEoiT> {
    const e = await this.myEoi(tx, tenantId, id);
    const [[view], files] = await Promise.all([this.programme.eoiViews(tx, [e]), this.eoiFiles(tx, e.id)]);
    return { ...view!, attachments: files.map(fileView), canAttach: view!.status === 'received' };
  }

  /**
   * A file added to my administration's EOI — only while it is `received`: once the Secretariat
   * screens it, what it reads no longer changes. Files are never replaced or removed (like the EOI).
   */
  async addEoiFile(tx: TenantTx, tenantId: string, actor: Actor, eoiId: string, file: UploadedFile) {
    const e = await this.myEoi(tx, tenantId, eoiId);
    const [view] = await this.programme.eoiViews(tx, [e]);
    if (view!.status !== 'received')
      throw new AppError(
        'CONFLICT',
        'The Secretariat has started screening this expression of interest: it is read-only now',
      );
    this.tooMany((await this.eoiFiles(tx, e.id)).length);
    return this.store(tx, tenantId, actor, { eoiId: e.id }, file);
  }

  async myEoiFile(tx: TenantTx, tenantId: string, eoiId: string, fileId: string) {
    const e = await this.myEoi(tx, tenantId, eoiId);
    return this.bytes((await this.eoiFiles(tx, e.id)).find((f) => f.id === fileId));
  }

  // ---- an expression of interest: the Secretariat ---------------------------------------------------

  /** An EOI the Secretariat reads (row-level security: only in its tenant); elsewhere "not found". */
  private async sharedEoi(tx: TenantTx, id: string) {
    const e = (await q.isSecretariat(tx)) ? await q.findEoi(tx, id) : undefined;
    if (!e) throw notFound('expression of interest');
    return e;
  }

  async eoiFileList(tx: TenantTx, eoiId: string): Promise<C.RecordFileT[]> {
    const e = await this.sharedEoi(tx, eoiId);
    return (await this.eoiFiles(tx, e.id)).map(fileView);
  }

  async eoiFile(tx: TenantTx, eoiId: string, fileId: string) {
    const e = await this.sharedEoi(tx, eoiId);
    return this.bytes((await this.eoiFiles(tx, e.id)).find((f) => f.id === fileId));
  }

  // ---- an activity's report files (the Secretariat) ---------------------------------------------------

  private async ownActivity(tx: TenantTx, tenantId: string, id: string) {
    const [a] = (await q.isSecretariat(tx)) ? await q.activities(tx, { ids: [id] }) : [];
    if (!a || a.tenantId !== tenantId) throw notFound('activity');
    return a;
  }

  private reportFiles(tx: TenantTx, activityId: string) {
    return tx
      .select()
      .from(programmeActivityReports)
      .where(eq(programmeActivityReports.activityId, activityId))
      .orderBy(asc(programmeActivityReports.createdAt));
  }

  async reports(tx: TenantTx, tenantId: string, activityId: string): Promise<C.RecordFileT[]> {
    const a = await this.ownActivity(tx, tenantId, activityId);
    return (await this.reportFiles(tx, a.id)).map(fileView);
  }

  async addReport(tx: TenantTx, tenantId: string, actor: Actor, activityId: string, file: UploadedFile) {
    const a = await this.ownActivity(tx, tenantId, activityId);
    this.tooMany((await this.reportFiles(tx, a.id)).length);
    return this.store(tx, tenantId, actor, { activityId: a.id }, file);
  }

  async report(tx: TenantTx, tenantId: string, activityId: string, fileId: string) {
    const a = await this.ownActivity(tx, tenantId, activityId);
    return this.bytes((await this.reportFiles(tx, a.id)).find((f) => f.id === fileId));
  }

  async removeReport(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    activityId: string,
    fileId: string,
    afterCommit: AfterCommit,
  ) {
    const a = await this.ownActivity(tx, tenantId, activityId);
    const f = (await this.reportFiles(tx, a.id)).find((x) => x.id === fileId);
    if (!f) throw notFound('file');
    await tx.delete(programmeActivityReports).where(eq(programmeActivityReports.id, f.id));
    await this.audit(tx, tenantId, actor, 'programme.activity.report_removed', 'programme_activity', a.id, {
      fileId: f.id,
      filename: f.filename,
      sha256: f.sha256,
    });
    afterCommit(() => void this.k.storage.delete(tenantId, f.storageKey).catch(() => {}));
  }

  // ---- an activity's report files: its partner administrations and its donors -----------------------

  /**
   * An activity my administration reads as a partner (it serves one of our partnerships), or my donor
   * organisation reads as a funder (a cost line charged to one of its agreements): the rules of the
   * partner's and the donor's dashboards, on top of row-level security. Anything else is "not found".
   */
  private async sharedActivity(tx: TenantTx, tenantId: string, reader: SharedReader, id: string) {
    const [a] = await q.activities(tx, { ids: [id] });
    let readable = false;
    if (a && reader === 'partner') {
      const ours = await q.partnerships(tx, { administrationId: tenantId });
      readable = ours.some((p) => a.partnershipIds.includes(p.id));
    } else if (a) {
      const donorIds = (await q.donors(tx, { organisationId: tenantId })).map((d) => d.id);
      const agreements = new Set((await q.agreements(tx, donorIds)).map((x) => x.id));
      readable = (await q.costs(tx, { activityIds: [a.id] })).some((c) => agreements.has(c.agreementId));
    }
    if (!readable) throw notFound('activity');
    return a!;
  }

  async sharedReports(tx: TenantTx, tenantId: string, reader: SharedReader, activityId: string) {
    const a = await this.sharedActivity(tx, tenantId, reader, activityId);
    return (await this.reportFiles(tx, a.id)).map(fileView);
  }

  async sharedReport(
    tx: TenantTx,
    tenantId: string,
    reader: SharedReader,
    activityId: string,
    fileId: string,
  ) {
    const a = await this.sharedActivity(tx, tenantId, reader, activityId);
    return this.bytes((await this.reportFiles(tx, a.id)).find((f) => f.id === fileId));
  }

  // ---- deletes: activities and agreements ---------------------------------------------------------

  /**
   * An activity, with what is part of it: its cost lines, its links to outputs and its report
   * files. The audit keeps what was removed (the cost lines' amounts and agreements).
   */
  async deleteActivity(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    version: number,
    afterCommit: AfterCommit,
  ) {
    const a = await this.ownActivity(tx, tenantId, id);
    const [costs, links, files] = await Promise.all([
      q.costs(tx, { activityIds: [a.id] }),
      tx
        .select({ resultId: programmeActivityOutputs.resultId })
        .from(programmeActivityOutputs)
        .where(eq(programmeActivityOutputs.activityId, a.id)),
      this.reportFiles(tx, a.id),
    ]);
    await deleteVersioned(tx, programmeActivities, a.id, version);
    await this.audit(tx, tenantId, actor, 'programme.activity.deleted', 'programme_activity', a.id, {
      type: a.type,
      title: a.title,
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      partnershipIds: a.partnershipIds,
      costs: costs.map((c) => ({
        agreementId: c.agreementId,
        label: c.label,
        amountMinor: c.amountMinor,
        currency: c.currency,
      })),
      outputIds: links.map((l) => l.resultId),
      reports: files.map((f) => ({ filename: f.filename, sha256: f.sha256 })),
    });
    afterCommit(() => {
      for (const f of files) void this.k.storage.delete(tenantId, f.storageKey).catch(() => {});
    });
  }

  /** An agreement nothing refers to; while disbursements or cost lines do, 409 naming them. */
  async deleteAgreement(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const a = (await q.isSecretariat(tx)) ? await q.findAgreement(tx, id) : undefined;
    if (!a || a.tenantId !== tenantId) throw notFound('agreement');
    if (a.version !== version)
      throw new AppError(
        'VERSION_CONFLICT',
        `This agreement was changed by someone else (your version ${version}, current ${a.version}). Reload and try again.`,
      );
    const [[d], [c]] = await Promise.all([
      tx
        .select({ n: count() })
        .from(programmeDisbursements)
        .where(eq(programmeDisbursements.agreementId, a.id)),
      tx.select({ n: count() }).from(programmeCosts).where(eq(programmeCosts.agreementId, a.id)),
    ]);
    if (d!.n > 0 || c!.n > 0)
      throw new AppError(
        'CONFLICT',
        `This agreement cannot be deleted: ${d!.n} disbursement(s) and ${c!.n} cost line(s) refer to it. Remove or re-charge them first.`,
      );
    await deleteVersioned(tx, programmeAgreements, a.id, version);
    await this.audit(tx, tenantId, actor, 'programme.agreement.deleted', 'programme_agreement', a.id, {
      donorId: a.donorId,
      reference: a.reference,
      amountMinor: a.amountMinor,
      currency: a.currency,
      startsOn: a.startsOn,
      endsOn: a.endsOn,
    });
  }

  // ---- evaluations ---------------------------------------------------------------------------------

  /** An evaluation the Secretariat wrote (partners and donors read them, never change them). */
  private async ownEvaluation(tx: TenantTx, tenantId: string, id: string) {
    const [e] = (await q.isSecretariat(tx))
      ? await tx
          .select()
          .from(programmeEvaluations)
          .where(and(eq(programmeEvaluations.id, id), eq(programmeEvaluations.tenantId, tenantId)))
      : [];
    if (!e) throw notFound('evaluation');
    return e;
  }

  private evaluationView(e: typeof programmeEvaluations.$inferSelect): C.EvaluationRecordT {
    return {
      id: e.id,
      partnershipId: e.partnershipId,
      title: e.title,
      evaluator: e.evaluator,
      evaluatedOn: e.evaluatedOn,
      criteria: e.criteria,
      version: e.version,
    };
  }

  async evaluation(tx: TenantTx, tenantId: string, id: string) {
    return this.evaluationView(await this.ownEvaluation(tx, tenantId, id));
  }

  async updateEvaluation(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.EvaluationUpdateT,
  ) {
    const e = await this.ownEvaluation(tx, tenantId, id);
    const { version, ...fields } = input;
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const u = await updateVersioned(tx, programmeEvaluations, e.id, version, changes);
    await this.audit(tx, tenantId, actor, 'programme.evaluation.updated', 'programme_evaluation', e.id, {
      partnershipId: e.partnershipId,
      fields: Object.keys(changes),
      ...(fields.criteria ? { ratings: { from: ratings(e.criteria), to: ratings(u.criteria) } } : {}),
    });
    return this.evaluationView(u);
  }

  async deleteEvaluation(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const e = await this.ownEvaluation(tx, tenantId, id);
    await deleteVersioned(tx, programmeEvaluations, e.id, version);
    await this.audit(tx, tenantId, actor, 'programme.evaluation.deleted', 'programme_evaluation', e.id, {
      partnershipId: e.partnershipId,
      title: e.title,
      evaluator: e.evaluator,
      evaluatedOn: e.evaluatedOn,
      ratings: ratings(e.criteria),
    });
  }
}

const eoiUpload = { maxBytes: C.RECORD_FILE_MAX_BYTES, types: C.EOI_FILE_TYPES };
const reportUpload = { maxBytes: C.RECORD_FILE_MAX_BYTES, types: C.REPORT_FILE_TYPES };

export function recordsRoutes(r: Router, svc: RecordsService) {
  r.get({
    url: '/api/programme/rad-factors',
    // The standards' own read permission: every built-in role holds it.
    access: 'standards.read',
    summary: "The ten RAD key factors named in the caller's language (an EOI's priorities name them)",
    response: Items(C.RadFactor),
    handler: async ({ tx, locale }) => ({ items: await svc.radFactors(tx, locale) }),
  });

  // ---- the administration: its own expressions of interest -------------------------------------
  r.get({
    url: '/api/programme/mine/eois/:id',
    access: P.submit,
    summary:
      "One of my administration's expressions of interest, read-only: status, decisions with dates and reasons, files",
    params: IdParam,
    response: C.MyEoi,
    handler: async ({ tx, tenantId, params }) => svc.myEoiView(tx, tenantId, params.id),
  });
  r.post({
    url: '/api/programme/eoi-attachments',
    access: P.submit,
    summary:
      "Attach a file to my administration's expression of interest while it is received (10 MiB, at most 5; PDF, Word, OpenDocument, XLSX, PNG, JPEG; 409 once screening started)",
    upload: { ...eoiUpload, fields: C.EoiFileFields },
    status: 201,
    response: C.RecordFile,
    handler: async ({ tx, tenantId, actor, file, fields }) =>
      svc.addEoiFile(tx, tenantId, actor, fields.eoiId, file),
  });
  r.get({
    url: '/api/programme/mine/eois/:id/attachments/:fileId',
    access: P.submit,
    summary: "Download a file of my administration's expression of interest",
    params: C.FileParam,
    handler: async ({ tx, tenantId, params }) =>
      download(await svc.myEoiFile(tx, tenantId, params.id, params.fileId)),
  });

  // ---- the Secretariat: an EOI's files ------------------------------------------------------------
  r.get({
    url: '/api/programme/eois/:id/attachments',
    access: P.manage,
    summary: 'The files sent with an expression of interest',
    params: IdParam,
    response: Items(C.RecordFile),
    handler: async ({ tx, params }) => ({ items: await svc.eoiFileList(tx, params.id) }),
  });
  r.get({
    url: '/api/programme/eois/:id/attachments/:fileId',
    access: P.manage,
    summary: 'Download a file sent with an expression of interest',
    params: C.FileParam,
    handler: async ({ tx, params }) => download(await svc.eoiFile(tx, params.id, params.fileId)),
  });

  // ---- the Secretariat: an activity's report files ----------------------------------------------
  r.get({
    url: '/api/programme/activities/:id/reports',
    access: P.manage,
    summary: "An activity's report files (mission reports)",
    params: IdParam,
    response: Items(C.RecordFile),
    handler: async ({ tx, tenantId, params }) => ({ items: await svc.reports(tx, tenantId, params.id) }),
  });
  r.post({
    url: '/api/programme/activity-reports',
    access: P.manage,
    summary: 'Attach a report file to an activity (10 MiB, at most 5; PDF, Word, OpenDocument)',
    upload: { ...reportUpload, fields: C.ActivityReportFields },
    status: 201,
    response: C.RecordFile,
    handler: async ({ tx, tenantId, actor, file, fields }) =>
      svc.addReport(tx, tenantId, actor, fields.activityId, file),
  });
  r.get({
    url: '/api/programme/activities/:id/reports/:fileId',
    access: P.manage,
    summary: "Download an activity's report file",
    params: C.FileParam,
    handler: async ({ tx, tenantId, params }) =>
      download(await svc.report(tx, tenantId, params.id, params.fileId)),
  });
  r.delete({
    url: '/api/programme/activities/:id/reports/:fileId',
    access: P.manage,
    summary: "Remove an activity's report file",
    params: C.FileParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, afterCommit }) =>
      svc.removeReport(tx, tenantId, actor, params.id, params.fileId, afterCommit),
  });

  // ---- an activity's report files, for its partner administrations and the donors paying for it ----
  const readers = [
    ['mine', P.submit, 'partner', 'an activity delivered to my administration'],
    ['donor', P.donorRead, 'donor', 'an activity my donor organisation pays for'],
  ] as const;
  for (const [prefix, access, reader, which] of readers) {
    r.get({
      url: `/api/programme/${prefix}/activities/:id/reports`,
      access,
      summary: `The report files of ${which}`,
      params: IdParam,
      response: Items(C.RecordFile),
      handler: async ({ tx, tenantId, params }) => ({
        items: await svc.sharedReports(tx, tenantId, reader, params.id),
      }),
    });
    r.get({
      url: `/api/programme/${prefix}/activities/:id/reports/:fileId`,
      access,
      summary: `Download a report file of ${which}`,
      params: C.FileParam,
      handler: async ({ tx, tenantId, params }) =>
        download(await svc.sharedReport(tx, tenantId, reader, params.id, params.fileId)),
    });
  }

  // ---- deletes ------------------------------------------------------------------------------------
  r.delete({
    url: '/api/programme/activities/:id',
    access: P.manage,
    summary:
      'Delete an activity with its cost lines, output links and report files (give the version you saw; the audit keeps what was removed)',
    params: IdParam,
    query: C.VersionParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query, afterCommit }) =>
      svc.deleteActivity(tx, tenantId, actor, params.id, query.version, afterCommit),
  });
  r.delete({
    url: '/api/programme/agreements/:id',
    access: P.manage,
    summary:
      'Delete a funding agreement (give the version you saw) — refused (409) while disbursements or cost lines refer to it',
    params: IdParam,
    query: C.VersionParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      svc.deleteAgreement(tx, tenantId, actor, params.id, query.version),
  });

  // ---- evaluations ------------------------------------------------------------------------------------
  r.get({
    url: '/api/programme/evaluations/:id',
    access: P.manage,
    summary: 'An evaluation as stored, with its version (to correct or delete it)',
    params: IdParam,
    response: C.EvaluationRecord,
    handler: async ({ tx, tenantId, params }) => svc.evaluation(tx, tenantId, params.id),
  });
  r.patch({
    url: '/api/programme/evaluations/:id',
    access: P.manage,
    summary:
      'Correct an evaluation at the version read (409 when stale): title, evaluator, date, or all six OECD-DAC ratings and findings',
    params: IdParam,
    body: C.EvaluationUpdate,
    bodyLimit: 256 * 1024,
    response: C.EvaluationRecord,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateEvaluation(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/programme/evaluations/:id',
    access: P.manage,
    summary: 'Delete an evaluation (give the version you saw)',
    params: IdParam,
    query: C.VersionParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      svc.deleteEvaluation(tx, tenantId, actor, params.id, query.version),
  });
}
