import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { checkFile, FILE_TYPE_INFO, type FileType, sanitizeFilename } from '../../platform/http/upload.ts';
import type { Kernel } from '../../platform/kernel.ts';
import * as K from './reports.crypto.ts';
import { ATTACHMENT_TYPES, type Cleaned, clean } from './reports.metadata.ts';
import { reportFiles } from './reports.schema.ts';
import type { Direction } from './reports.vocab.ts';

/**
 * Report attachments (docs/adr/0023-reporting-encryption.md, "Attachments").
 *
 * A file is cleaned of its metadata in memory (reports.metadata.ts), then encrypted with the
 * report key (padded like the answers) and written through the platform file storage under a
 * key the server chooses (`reports/<report id>/<file id>`). Its name, type, size and what was
 * removed are encrypted too, in the row (`meta`). The original bytes and name are never
 * written anywhere in clear: the upload helper reads multipart parts into memory (no
 * temporary file) and only ciphertext leaves this module.
 */

export interface FileLimits {
  /** Largest file, in bytes (413). */
  maxFileBytes: number;
  /** Files per report, all directions together (422). */
  maxFiles: number;
  /** Stored (padded, encrypted) bytes per report (413). */
  maxTotalBytes: number;
}
export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxFiles: 10,
  maxTotalBytes: 50 * 1024 * 1024,
};

/** What an upload gives this module (the platform's UploadedFile fits). */
export interface IncomingFile {
  /** As the client sent it: never trusted (sanitised, then encrypted). */
  filename: string;
  data: Buffer;
  /** Ignored: the type is decided here again from the name and the bytes. */
  type?: FileType;
}

/** The encrypted header of a file. */
interface FileMeta {
  name: string;
  type: FileType;
  mediaType: string;
  /** Size of the stored (cleaned) plaintext. */
  size: number;
  cleaned: boolean;
  removed: string[];
}

/** What reporters and handlers are told about a file. */
export interface AttachedFile {
  id: string;
  name: string;
  type: FileType;
  size: number;
  direction: Direction;
  /** False for types whose metadata cannot be removed (office documents, text). */
  metadataRemoved: boolean;
  removed: string[];
  messageId: string | null;
  at: string;
}

/** Times reporters and handlers see are kept to the hour (no finer trace of when someone wrote). */
export const hourIso = (d: Date) => {
  const x = new Date(d);
  x.setUTCMinutes(0, 0, 0);
  return x.toISOString();
};

export const storageKey = (reportId: string, fileId: string) => `reports/${reportId}/${fileId}`;
const ctx = (tenantId: string, reportId: string, purpose: string): K.Context => ({
  tenantId,
  reportId,
  purpose,
});

/** The report a file belongs to: its id and tenant (a row of `reports` fits). */
export interface ReportRef {
  id: string;
  tenantId: string;
}

export class ReportFilesService {
  readonly limits: FileLimits;
  constructor(
    private readonly k: Kernel,
    limits: Partial<FileLimits> = {},
  ) {
    this.limits = { ...DEFAULT_FILE_LIMITS, ...limits };
  }

  /**
   * Sizes, count and types of a batch before anything is stored: 413/422/415. Returns each
   * file's type, decided from its name and bytes (whatever the caller says).
   */
  checkBatch(files: readonly IncomingFile[], existing = { count: 0, bytes: 0 }): FileType[] {
    for (const f of files)
      if (f.data.length === 0)
        throw new AppError('BAD_REQUEST', `The file "${sanitizeFilename(f.filename)}" is empty`, [
          { path: 'file', message: 'empty' },
        ]);
    for (const f of files)
      if (f.data.length > this.limits.maxFileBytes)
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `A file may be at most ${mb(this.limits.maxFileBytes)}; "${sanitizeFilename(f.filename)}" is larger`,
          [{ path: 'file', message: `at most ${this.limits.maxFileBytes} bytes` }],
        );
    if (existing.count + files.length > this.limits.maxFiles)
      throw new AppError(
        'UNPROCESSABLE',
        `A report may have at most ${this.limits.maxFiles} files; it has ${existing.count}`,
        [{ path: 'file', message: `at most ${this.limits.maxFiles} files per report` }],
      );
    const adding = files.reduce((n, f) => n + K.paddedLength(f.data.length) + 28, 0);
    if (existing.bytes + adding > this.limits.maxTotalBytes)
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `The files of a report may take at most ${mb(this.limits.maxTotalBytes)} together`,
        [{ path: 'file', message: `at most ${this.limits.maxTotalBytes} bytes per report` }],
      );
    return files.map((f) => checkFile(sanitizeFilename(f.filename), f.data, ATTACHMENT_TYPES));
  }

  /** Files already cleaned by `prepare`, by their (in-memory) content. */
  private readonly done = new WeakMap<Buffer, Cleaned>();

  /**
   * Checks and cleans a batch before any transaction is opened (cleaning a large PDF takes
   * time that should not hold a database connection or a locked row); `attachFiles` then
   * reuses the result. Optional: `attachFiles` cleans what was not prepared.
   */
  async prepare(files: readonly IncomingFile[]) {
    const types = this.checkBatch(files);
    for (const [i, f] of files.entries())
      if (!this.done.has(f.data)) this.done.set(f.data, await clean(types[i]!, f.data));
  }

  private async usage(tx: TenantTx, reportId: string) {
    const [row] = await tx
      .select({
        count: sql<number>`count(*)::int`,
        bytes: sql<number>`coalesce(sum(${reportFiles.size}), 0)::int`,
      })
      .from(reportFiles)
      .where(eq(reportFiles.reportId, reportId));
    return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /**
   * Cleans, encrypts and stores files for a report, inside the caller's transaction (which
   * should hold the report row locked, so two uploads cannot both pass the limits). `key` is
   * the report key the caller unlocked (reporter's receipt or handler's seal). Limits are
   * checked first: a refused batch stores nothing. Returns what was attached.
   */
  async attachFiles(
    tx: TenantTx,
    tenantId: string,
    report: ReportRef,
    files: readonly IncomingFile[],
    key: Buffer,
    by: { direction: Direction; authorId?: string | null; messageId?: string | null } = {
      direction: 'reporter',
    },
  ): Promise<AttachedFile[]> {
    if (report.tenantId !== tenantId) throw notFound('report');
    const types = this.checkBatch(files, await this.usage(tx, report.id));
    // Clean every file before storing any: an unreadable one refuses the whole batch.
    const cleaned = [];
    for (const [i, f] of files.entries())
      cleaned.push({ f, type: types[i]!, c: this.done.get(f.data) ?? (await clean(types[i]!, f.data)) });
    const out: AttachedFile[] = [];
    const written: string[] = [];
    try {
      for (const { f, type, c } of cleaned) {
        const id = randomUUID();
        const meta: FileMeta = {
          name: sanitizeFilename(f.filename),
          type,
          mediaType: FILE_TYPE_INFO[type].mediaType,
          size: c.data.length,
          cleaned: c.cleaned,
          removed: c.removed,
        };
        const sealed = K.encrypt(key, c.data, ctx(tenantId, report.id, `file:${id}`));
        const skey = storageKey(report.id, id);
        const [row] = await tx
          .insert(reportFiles)
          .values({
            id,
            tenantId,
            reportId: report.id,
            direction: by.direction,
            authorId: by.authorId ?? null,
            messageId: by.messageId ?? null,
            size: sealed.length,
            storageKey: skey,
            meta: K.encryptJson(key, meta, ctx(tenantId, report.id, `file-meta:${id}`)),
          })
          .returning({ createdAt: reportFiles.createdAt });
        written.push(skey);
        await this.k.storage.put(tenantId, skey, sealed);
        out.push(view(id, meta, by.direction, by.messageId ?? null, row!.createdAt));
      }
    } catch (e) {
      // The rows roll back with the transaction; ciphertext already written is removed too.
      await this.forget(tenantId, written);
      throw e;
    }
    return out;
  }

  /** The files of a report, names decrypted (metadata only: no file content is read). */
  async list(tx: TenantTx, report: ReportRef, key: Buffer): Promise<AttachedFile[]> {
    const rows = await tx
      .select()
      .from(reportFiles)
      .where(eq(reportFiles.reportId, report.id))
      .orderBy(asc(reportFiles.createdAt), asc(reportFiles.id));
    // Times are kept to the hour only: within an hour, files are in name order.
    return rows
      .map((r) => {
        const meta = K.decryptJson<FileMeta>(
          key,
          r.meta,
          ctx(report.tenantId, report.id, `file-meta:${r.id}`),
        );
        return view(r.id, meta, r.direction, r.messageId, r.createdAt);
      })
      .sort((x, y) => x.at.localeCompare(y.at) || x.name.localeCompare(y.name));
  }

  /** One file, decrypted in memory; a tampered or moved ciphertext fails (DecryptError), nothing returned. */
  async read(tx: TenantTx, report: ReportRef, fileId: string, key: Buffer) {
    const [row] = await tx
      .select()
      .from(reportFiles)
      .where(and(eq(reportFiles.reportId, report.id), eq(reportFiles.id, fileId)));
    if (!row) throw notFound('file');
    const sealed = await this.k.storage.get(report.tenantId, row.storageKey);
    try {
      const meta = K.decryptJson<FileMeta>(
        key,
        row.meta,
        ctx(report.tenantId, report.id, `file-meta:${row.id}`),
      );
      const data = K.decrypt(key, sealed, ctx(report.tenantId, report.id, `file:${row.id}`));
      return { id: row.id, name: meta.name, mediaType: meta.mediaType, type: meta.type, data };
    } catch (e) {
      if (!(e instanceof K.DecryptError)) throw e;
      // Authenticated encryption: an altered or moved ciphertext gives no plaintext at all.
      throw new AppError(
        'UNPROCESSABLE',
        'This file cannot be decrypted: its stored copy was altered or does not belong to this report',
        [{ path: 'file', message: 'integrity check failed' }],
      );
    }
  }

  /** Retention: every stored ciphertext of the report and its rows (the caller purges the rest). */
  async purge(tx: TenantTx, tenantId: string, reportId: string) {
    const rows = await tx
      .delete(reportFiles)
      .where(eq(reportFiles.reportId, reportId))
      .returning({ storageKey: reportFiles.storageKey });
    await this.forget(
      tenantId,
      rows.map((r) => r.storageKey),
    );
    return rows.length;
  }

  /** Removes the stored ciphertext of files whose rows a failed transaction rolls back. */
  async discard(tenantId: string, reportId: string, files: readonly { id: string }[]) {
    await this.forget(
      tenantId,
      files.map((f) => storageKey(reportId, f.id)),
    );
  }

  private async forget(tenantId: string, keys: readonly string[]) {
    for (const key of keys) await this.k.storage.delete(tenantId, key).catch(() => undefined);
  }
}

function view(
  id: string,
  meta: FileMeta,
  direction: Direction,
  messageId: string | null,
  createdAt: Date,
): AttachedFile {
  return {
    id,
    name: meta.name,
    type: meta.type,
    size: meta.size,
    direction,
    metadataRemoved: meta.cleaned,
    removed: meta.removed,
    messageId,
    at: hourIso(createdAt),
  };
}

const mb = (n: number) =>
  n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
