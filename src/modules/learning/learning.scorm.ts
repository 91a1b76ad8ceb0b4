import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import yauzl from 'yauzl';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { CertificatesService } from './learning.certificates.ts';
import { courses, courseVersions, enrolments } from './learning.schema.ts';

// SCORM 1.2 packages (docs/adr/0017-learning-certificates-scorm.md): a zip is checked entry by
// entry from its central directory BEFORE anything is read or stored, then extracted into
// memory with the actual sizes enforced, then stored under learning/scorm/<versionId>/ with
// platform-chosen keys. The learner's browser runs it with scorm-again; commits land here.

export const SCORM_LIMITS = {
  /** Largest upload (bytes). */
  maxZipBytes: 100 * 1024 * 1024,
  /** Files and folders in the archive. */
  maxEntries: 2000,
  /** One extracted file. */
  maxEntryBytes: 50 * 1024 * 1024,
  /** All extracted files together. */
  maxTotalBytes: 200 * 1024 * 1024,
  /** Uncompressed / compressed, for entries above 1 MiB (zip bombs). */
  maxRatio: 100,
  maxNameLength: 400,
  maxDepth: 12,
  maxSuspendData: 4096,
} as const;

export interface ScormEntry {
  path: string;
  size: number;
  compressedSize: number;
  directory: boolean;
}

const bad = (message: string) => new AppError('UNPROCESSABLE', message);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A zip entry name that is safe to keep as a relative path inside the package's folder. */
export function checkEntryName(raw: string): string {
  if (raw.length === 0 || raw.length > SCORM_LIMITS.maxNameLength)
    throw bad('A file name in the package is empty or too long');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw bad('A file name in the package has control characters');
  if (raw.includes('\\')) throw bad(`The package has a file name with a backslash: ${raw.slice(0, 80)}`);
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw))
    throw bad(`The package has an absolute file path: ${raw.slice(0, 80)}`);
  const name = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const parts = name.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === ''))
    throw bad(`The package has a path that leaves its folder: ${raw.slice(0, 80)}`);
  if (parts.length > SCORM_LIMITS.maxDepth) throw bad('The package has folders nested too deep');
  return name;
}

function openZip(data: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(
      data,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(bad('The file is not a readable zip archive')) : resolve(zip)),
    ),
  );
}

/**
 * Reads the central directory and checks every entry — names, symlinks, encryption, counts,
 * declared sizes and compression ratios — without extracting anything.
 */
export async function inspectZip(data: Buffer): Promise<ScormEntry[]> {
  if (data.length > SCORM_LIMITS.maxZipBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', 'The package is too large');
  const zip = await openZip(data);
  if (zip.entryCount > SCORM_LIMITS.maxEntries)
    throw bad(`The package has ${zip.entryCount} entries; at most ${SCORM_LIMITS.maxEntries} are accepted`);
  const out: ScormEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', () => reject(bad('The zip archive is corrupt')));
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        try {
          const rawName = e.fileName as unknown as Buffer;
          let name: string;
          try {
            name = utf8.decode(rawName);
          } catch {
            throw bad('A file name in the package is not valid UTF-8');
          }
          const path = checkEntryName(name);
          const mode = (e.externalFileAttributes >>> 16) & 0o170000;
          if (mode === 0o120000) throw bad(`The package contains a symbolic link: ${path.slice(0, 80)}`);
          if (e.generalPurposeBitFlag & 1) throw bad('The package contains encrypted files');
          const directory = name.endsWith('/');
          if (!directory && e.compressionMethod !== 0 && e.compressionMethod !== 8)
            throw bad('The package uses an unsupported compression method');
          const key = path.toLowerCase();
          if (seen.has(key)) throw bad(`The package has the same file twice: ${path.slice(0, 80)}`);
          seen.add(key);
          if (e.uncompressedSize > SCORM_LIMITS.maxEntryBytes)
            throw bad(`A file in the package is larger than ${SCORM_LIMITS.maxEntryBytes / 1048576} MB`);
          total += e.uncompressedSize;
          if (total > SCORM_LIMITS.maxTotalBytes)
            throw bad(`The package expands to more than ${SCORM_LIMITS.maxTotalBytes / 1048576} MB`);
          if (
            e.uncompressedSize > 1024 * 1024 &&
            e.uncompressedSize > SCORM_LIMITS.maxRatio * Math.max(1, e.compressedSize)
          )
            throw bad('A file in the package is compressed suspiciously well (a zip bomb?)');
          out.push({ path, size: e.uncompressedSize, compressedSize: e.compressedSize, directory });
          zip.readEntry();
        } catch (err) {
          reject(err);
        }
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return out;
}

/** Extracts the (already inspected) files into memory, enforcing the actual sizes as it reads. */
async function extract(data: Buffer): Promise<Map<string, Buffer>> {
  const zip = await openZip(data);
  const files = new Map<string, Buffer>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', () => reject(bad('The zip archive is corrupt')));
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        const name = checkEntryName(utf8.decode(e.fileName as unknown as Buffer));
        if ((e.fileName as unknown as Buffer).at(-1) === 0x2f) return zip.readEntry();
        zip.openReadStream(e, (err, stream) => {
          if (err || !stream) return reject(bad('A file in the zip archive is corrupt'));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            size += c.length;
            total += c.length;
            if (size > SCORM_LIMITS.maxEntryBytes || total > SCORM_LIMITS.maxTotalBytes) {
              stream.destroy();
              reject(bad('The package expands to more than it declares (a zip bomb?)'));
              return;
            }
            chunks.push(c);
          });
          // yauzl checks the actual size against the declared one (validateEntrySizes).
          stream.on('error', () => reject(bad('A file in the zip archive does not match its declared size')));
          stream.on('end', () => {
            files.set(name, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return files;
}

export interface ScormManifest {
  title: string;
  launch: string;
  identifier: string;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number'
    ? String(v)
    : v && typeof v === 'object' && '#text' in v
      ? String((v as { '#text': unknown })['#text'])
      : '';

/** The SCO to launch and the title, from imsmanifest.xml (no DTD, no entities expanded). */
export function parseManifest(xml: string, files: Set<string>): ScormManifest {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw bad('imsmanifest.xml may not declare a DTD or entities');
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      removeNSPrefix: true,
      processEntities: false,
      htmlEntities: false,
      allowBooleanAttributes: true,
    }).parse(xml, true) as Record<string, unknown>;
  } catch {
    throw bad('imsmanifest.xml is not well-formed XML');
  }
  const manifest = doc.manifest as Record<string, unknown> | undefined;
  if (!manifest) throw bad('imsmanifest.xml has no <manifest> element');
  const schemaVersion = textOf((manifest.metadata as Record<string, unknown> | undefined)?.schemaversion);
  if (schemaVersion && !/^1\.2$/.test(schemaVersion.trim()))
    throw bad(
      `Only SCORM 1.2 packages are accepted (this one says schemaversion ${schemaVersion.slice(0, 20)})`,
    );
  const orgs = manifest.organizations as Record<string, unknown> | undefined;
  const orgList = asArray(orgs?.organization as Record<string, unknown> | Record<string, unknown>[]);
  const org = orgList.find((o) => o['@_identifier'] === orgs?.['@_default']) ?? orgList[0];
  const resources = asArray(
    (manifest.resources as Record<string, unknown> | undefined)?.resource as
      | Record<string, unknown>
      | Record<string, unknown>[],
  );
  const sco = (r: Record<string, unknown>) =>
    String(r['@_scormtype'] ?? r['@_scormType'] ?? '').toLowerCase() === 'sco' &&
    typeof r['@_href'] === 'string';
  // The first item (depth first) pointing at a SCO; else the first SCO resource.
  const items: Record<string, unknown>[] = [];
  const walk = (n: Record<string, unknown>) => {
    for (const i of asArray(n.item as Record<string, unknown> | Record<string, unknown>[])) {
      items.push(i);
      walk(i);
    }
  };
  if (org) walk(org);
  let resource: Record<string, unknown> | undefined;
  let item: Record<string, unknown> | undefined;
  for (const i of items) {
    const r = resources.find((x) => x['@_identifier'] === i['@_identifierref'] && sco(x));
    if (r) {
      resource = r;
      item = i;
      break;
    }
  }
  resource ??= resources.find(sco);
  if (!resource)
    throw bad('imsmanifest.xml names no SCO to launch (a resource with adlcp:scormtype="sco" and href)');
  const href = String(resource['@_href']);
  const base = textOf(resource['@_base']);
  const launchPath = `${base}${href}`.split(/[?#]/)[0]!;
  let launch: string;
  try {
    launch = checkEntryName(decodeURI(launchPath));
  } catch {
    throw bad('The launch file of the SCO is not a valid path inside the package');
  }
  if (!files.has(launch)) throw bad(`The launch file ${launch.slice(0, 80)} is not in the package`);
  const title =
    textOf(org?.title).trim() ||
    textOf(item?.title).trim() ||
    textOf(manifest['@_identifier']) ||
    'SCORM course';
  return {
    title: title.replace(/\s+/g, ' ').slice(0, 200),
    launch,
    identifier: textOf(manifest['@_identifier']),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  xsd: 'application/xml',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  ico: 'image/x-icon',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  vtt: 'text/vtt',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  pdf: 'application/pdf',
  swf: 'application/octet-stream',
};
const extOf = (p: string) => {
  const m = /\.([a-z0-9]{1,10})$/i.exec(p);
  return m ? m[1]!.toLowerCase() : '';
};
export const contentTypeOf = (p: string) => CONTENT_TYPES[extOf(p)] ?? 'application/octet-stream';

/**
 * The SCO runs same-origin (SCORM 1.2 finds its API in window.parent), sandboxed: scripts and
 * same-origin, no top navigation, no pop-ups, no plugins; requests only to this server; framed
 * only by this server's pages.
 */
export const SCO_CSP =
  "sandbox allow-scripts allow-same-origin allow-forms; default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

interface ScormContent {
  kind: 'scorm';
  scormVersion: '1.2';
  title: string;
  launch: string;
  /** Original path in the package → storage key. */
  files: Record<string, string>;
}

export const LESSON_STATUSES = [
  'passed',
  'completed',
  'failed',
  'incomplete',
  'browsed',
  'not attempted',
] as const;
export interface ScormCommit {
  lessonStatus: (typeof LESSON_STATUSES)[number];
  scoreRaw?: number | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  suspendData?: string;
  sessionTime?: string;
  lessonLocation?: string;
}

/** SCORM 1.2 CMITimespan HHHH:MM:SS(.SS) → seconds. */
export function timespanSeconds(s: string | undefined): number {
  const m = /^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$/.exec(s ?? '');
  if (!m) return 0;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0);
}

/** Share of the score range, 0–1 (SCORM 1.2 scores are 0–100 unless min/max say otherwise). */
export function scaledScore(
  raw: number | null | undefined,
  min?: number | null,
  max?: number | null,
): number | null {
  if (raw === null || raw === undefined || !Number.isFinite(raw)) return null;
  const lo = min ?? 0;
  const hi = max ?? 100;
  if (!(hi > lo)) return null;
  return Math.min(1, Math.max(0, (raw - lo) / (hi - lo)));
}

export class ScormService {
  constructor(private readonly k: Kernel) {}

  /** Imports a SCORM 1.2 zip: a new course (kind scorm) with one published version. */
  async importPackage(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    file: UploadedFile,
  ): Promise<{ courseId: string; versionId: string; title: string; launch: string; files: number }> {
    const entries = await inspectZip(file.data);
    const paths = new Set(entries.filter((e) => !e.directory).map((e) => e.path));
    if (!paths.has('imsmanifest.xml')) throw bad('The package has no imsmanifest.xml at its root');
    const extracted = await extract(file.data);
    const manifestXml = extracted.get('imsmanifest.xml')!;
    let xml: string;
    try {
      xml = utf8.decode(manifestXml).replace(/^\uFEFF/, '');
    } catch {
      throw bad('imsmanifest.xml is not UTF-8');
    }
    const m = parseManifest(xml, paths);
    const courseId = uuidv7();
    const versionId = uuidv7();
    const prefix = `learning/scorm/${versionId}`;
    const map: Record<string, string> = {};
    let n = 0;
    for (const p of [...extracted.keys()].sort()) {
      const ext = extOf(p);
      map[p] = `${prefix}/f${String(++n).padStart(4, '0')}${ext ? `.${ext}` : ''}`;
    }
    const written: string[] = [];
    try {
      for (const [p, data] of extracted) {
        await this.k.storage.put(tenantId, map[p]!, data);
        written.push(map[p]!);
      }
      const content: ScormContent = {
        kind: 'scorm',
        scormVersion: '1.2',
        title: m.title,
        launch: m.launch,
        files: map,
      };
      const slug = `scorm-${
        m.title
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 40) || 'course'
      }-${versionId.slice(-6)}`;
      await tx.insert(courses).values({
        id: courseId,
        tenantId,
        slug,
        kind: 'scorm',
        title: { en: m.title },
        summary: {},
      });
      await tx.insert(courseVersions).values({
        id: versionId,
        tenantId,
        courseId,
        number: 1,
        status: 'published',
        languages: ['en'],
        content,
        sha256: file.sha256,
        scormKey: prefix,
        scormEntry: m.launch,
        publishedAt: new Date(),
      });
      await this.k.audit.record(tx, tenantId, {
        actorId: actor.userId,
        action: 'learning.scorm.imported',
        entityType: 'course',
        entityId: courseId,
        data: { versionId, title: m.title, files: extracted.size, sha256: file.sha256 },
      });
    } catch (e) {
      for (const key of written) await this.k.storage.delete(tenantId, key).catch(() => {});
      throw e;
    }
    return { courseId, versionId, title: m.title, launch: m.launch, files: extracted.size };
  }

  /** One file of an imported package, by its path inside the package. */
  async file(
    tx: TenantTx,
    _tenantId: string,
    versionId: string,
    filePath: string,
  ): Promise<{ data: Buffer; contentType: string }> {
    const [v] = await tx.select().from(courseVersions).where(eq(courseVersions.id, versionId));
    const content = v?.content as ScormContent | undefined;
    if (!v || content?.kind !== 'scorm' || !v.tenantId) throw notFound('SCORM package');
    const key = Object.hasOwn(content.files, filePath) ? content.files[filePath] : undefined;
    if (!key) throw notFound('file');
    return { data: await this.k.storage.get(v.tenantId, key), contentType: contentTypeOf(filePath) };
  }

  /** What the runtime page needs to launch an enrolment's SCO. */
  async launch(tx: TenantTx, actor: Actor, enrolmentId: string) {
    const { e, version, content } = await this.ownScormEnrolment(tx, actor, enrolmentId);
    const scorm = (e.progress as { scorm?: Record<string, unknown> }).scorm ?? {};
    return {
      enrolmentId: e.id,
      versionId: version.id,
      title: content.title,
      launchUrl: `/api/learning/scorm/${version.id}/files/${content.launch.split('/').map(encodeURIComponent).join('/')}`,
      status: e.status,
      lessonStatus: typeof scorm.lessonStatus === 'string' ? scorm.lessonStatus : 'not attempted',
      suspendData: typeof scorm.suspendData === 'string' ? scorm.suspendData : '',
      lessonLocation: typeof scorm.lessonLocation === 'string' ? scorm.lessonLocation : '',
    };
  }

  private async ownScormEnrolment(tx: TenantTx, actor: Actor, enrolmentId: string) {
    const [e] = await tx.select().from(enrolments).where(eq(enrolments.id, enrolmentId));
    if (!e || e.userId !== actor.userId) throw notFound('enrolment');
    const [course] = await tx.select().from(courses).where(eq(courses.id, e.courseId));
    if (course?.kind !== 'scorm') throw notFound('SCORM enrolment');
    const [version] = e.courseVersionId
      ? await tx.select().from(courseVersions).where(eq(courseVersions.id, e.courseVersionId))
      : await tx
          .select()
          .from(courseVersions)
          .where(and(eq(courseVersions.courseId, e.courseId), eq(courseVersions.status, 'published')))
          .orderBy(desc(courseVersions.number))
          .limit(1);
    const content = version?.content as ScormContent | undefined;
    if (!version || content?.kind !== 'scorm') throw notFound('SCORM package');
    return { e, version, content };
  }

  /**
   * A commit of the SCO's cmi data by the learner's runtime. passed/completed completes the
   * enrolment (score = the scaled raw score) and issues the certificate; failed records the
   * score and leaves it in progress. A completed enrolment stays completed.
   */
  async commit(tx: TenantTx, tenantId: string, actor: Actor, enrolmentId: string, c: ScormCommit) {
    const { e, version } = await this.ownScormEnrolment(tx, actor, enrolmentId);
    const prev = ((e.progress as { scorm?: Record<string, unknown> }).scorm ?? {}) as Record<string, unknown>;
    const session = timespanSeconds(c.sessionTime);
    const scaled = scaledScore(c.scoreRaw, c.scoreMin, c.scoreMax);
    const wasCompleted = e.status === 'completed';
    // Once passed or completed, a later status (a revisit: incomplete, browsed) does not undo it.
    const keep = wasCompleted && (prev.lessonStatus === 'passed' || prev.lessonStatus === 'completed');
    const scorm = {
      ...prev,
      lessonStatus: keep && c.lessonStatus !== 'passed' ? prev.lessonStatus : c.lessonStatus,
      ...(c.scoreRaw !== undefined
        ? { scoreRaw: c.scoreRaw, scoreMin: c.scoreMin ?? null, scoreMax: c.scoreMax ?? null, scaled }
        : {}),
      ...(c.suspendData !== undefined ? { suspendData: c.suspendData } : {}),
      ...(c.lessonLocation !== undefined ? { lessonLocation: c.lessonLocation } : {}),
      totalSeconds: Number(prev.totalSeconds ?? 0) + session,
      commits: Number(prev.commits ?? 0) + 1,
      lastCommitAt: new Date().toISOString(),
    };
    const done = c.lessonStatus === 'passed' || c.lessonStatus === 'completed';
    const completed = wasCompleted || done;
    const now = new Date();
    await tx
      .update(enrolments)
      .set({
        progress: { ...e.progress, scorm },
        courseVersionId: e.courseVersionId ?? version.id,
        startedAt: e.startedAt ?? now,
        status: completed ? 'completed' : 'in_progress',
        ...(done && !wasCompleted ? { completedAt: now } : {}),
        ...(scaled !== null && (!wasCompleted || (e.score ?? 0) < scaled) ? { score: scaled } : {}),
        updatedAt: now,
        version: e.version + 1,
      })
      .where(eq(enrolments.id, e.id));
    if (done && !wasCompleted) {
      await this.k.audit.record(tx, tenantId, {
        actorId: actor.userId,
        action: 'learning.enrolment.completed',
        entityType: 'enrolment',
        entityId: e.id,
        data: { lessonStatus: c.lessonStatus, score: scaled, via: 'scorm' },
      });
    }
    if (completed) await new CertificatesService(this.k).issue(tx, tenantId, e.id);
    return {
      result: true as const,
      errorCode: 0 as const,
      status: completed ? ('completed' as const) : ('in_progress' as const),
      score: scaled ?? e.score ?? null,
    };
  }
}

/** Content hash of a package (tests). */
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
