import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { Actor } from '../../platform/auth/actor.ts';
import { PLATFORM_TENANT } from '../../platform/audit/audit.ts';
import { withSystem, type SystemTx } from '../../platform/db/system.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError, type ProblemDetail } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { FactorDetail, FactorSummary, LibrarySummary, UncacArticle } from './standards.contract.ts';
import { LibraryDocument, type Text } from './library.schema.ts';
import * as q from './standards.queries.ts';
import { libraries, type libraryNodes } from './standards.schema.ts';

export const LIBRARY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'library');
export const RAD_URN = 'urn:arusha:library:rad-idg';
export const UNCAC_URN = 'urn:arusha:library:uncac';
/** URNs under this prefix are reserved for the libraries Arusha ships. */
const RESERVED = 'urn:arusha:';

export const tr = (text: unknown, locale: Locale): string => {
  const t = text as Partial<Text> | null | undefined;
  return t?.[locale] ?? t?.en ?? '';
};

/** Parses YAML or JSON and validates it; every problem is reported with its path. */
export function parseLibrary(content: string): LibraryDocument {
  let raw: unknown;
  try {
    raw = parseYaml(content, { maxAliasCount: 50, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    const msg = e instanceof YAMLParseError ? e.message.split('\n')[0]! : 'not valid YAML or JSON';
    throw new AppError('UNPROCESSABLE', `The file could not be read: ${msg}`, [
      { path: '(file)', message: msg },
    ]);
  }
  const res = LibraryDocument.safeParse(raw);
  if (!res.success) {
    const details: ProblemDetail[] = res.error.issues
      .slice(0, 200)
      .map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new AppError(
      'UNPROCESSABLE',
      `The library has ${res.error.issues.length} problem(s); the first: ${details[0]!.path}: ${details[0]!.message}`,
      details,
    );
  }
  return res.data;
}

type PinnedLibrary = NonNullable<Awaited<ReturnType<typeof q.findLibrary>>> & {
  nodes: Awaited<ReturnType<typeof q.nodesOf>>;
};
/** Library versions by id (immutable once loaded; see pinnedLibrary). Oldest out first. */
const pinnedCache = new Map<string, PinnedLibrary>();
const PINNED_CACHE_SIZE = 32;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function nodeRows(
  doc: LibraryDocument,
  libraryId: string,
  tenantId: string | null,
): (typeof libraryNodes.$inferInsert)[] {
  const nodes = doc.objects.framework?.nodes ?? [];
  return nodes.map((n, position) => {
    const { urn, parent_urn, kind, ref_id, rad_factor, ...data } = n;
    return {
      libraryId,
      tenantId,
      urn,
      parentUrn: parent_urn ?? null,
      kind,
      refId: ref_id,
      position,
      radFactor: rad_factor ?? null,
      data,
    };
  });
}

export class StandardsService {
  constructor(private readonly k: Kernel) {}

  /** Loads the shipped libraries; a new version in a file supersedes the older one, which stays. */
  async loadBuiltIns(): Promise<void> {
    const files = fs
      .readdirSync(LIBRARY_DIR)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort();
    await withSystem(this.k.db, async (tx) => {
      for (const f of files) {
        const content = fs.readFileSync(path.join(LIBRARY_DIR, f), 'utf8');
        const doc = parseLibrary(content);
        const hash = sha(content);
        const versions = await tx
          .select()
          .from(libraries)
          .where(and(eq(libraries.urn, doc.urn), isNull(libraries.tenantId)))
          .orderBy(desc(libraries.version));
        const same = versions.find((v) => v.version === doc.version);
        if (same) {
          if (same.sha256 !== hash)
            this.k.log.warn(
              { file: f, version: doc.version },
              'shipped library changed without a new version number; keeping the loaded one',
            );
          continue;
        }
        if (versions[0] && versions[0].version > doc.version) continue;
        await this.store(tx, null, doc, hash, null);
      }
    });
  }

  private async store(
    tx: SystemTx | TenantTx,
    tenantId: string | null,
    doc: LibraryDocument,
    hash: string,
    actorId: string | null,
  ) {
    const t = tx as TenantTx;
    const older = await t
      .select({ id: libraries.id })
      .from(libraries)
      .where(
        and(
          eq(libraries.urn, doc.urn),
          tenantId ? eq(libraries.tenantId, tenantId) : isNull(libraries.tenantId),
          isNull(libraries.supersededAt),
        ),
      );
    const lib = await q.insertLibrary(t, {
      tenantId,
      urn: doc.urn,
      version: doc.version,
      kind: doc.kind,
      name: doc.name,
      document: doc,
      sha256: hash,
      loadedBy: actorId,
    });
    const rows = nodeRows(doc, lib.id, tenantId);
    for (let i = 0; i < rows.length; i += 500) await q.insertNodes(t, rows.slice(i, i + 500));
    await q.supersede(
      t,
      older.map((o) => o.id),
    );
    await this.k.audit.record(tx, tenantId ?? PLATFORM_TENANT, {
      actorId,
      action: 'standards.library.loaded',
      entityType: 'library',
      entityId: lib.id,
      data: { urn: doc.urn, version: doc.version, sha256: hash, superseded: older.map((o) => o.id) },
    });
    return lib;
  }

  /** An administration loads its own framework (or scale, or matrix) in the shipped format. */
  async upload(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    content: string,
    locale: Locale = 'en',
  ): Promise<LibrarySummary> {
    const doc = parseLibrary(content);
    if (doc.urn.startsWith(RESERVED))
      throw new AppError(
        'UNPROCESSABLE',
        'URNs starting with urn:arusha: are reserved for the shipped libraries; use your own prefix, e.g. urn:xyz-customs:…',
        [{ path: 'urn', message: 'reserved prefix urn:arusha:' }],
      );
    if (doc.kind === 'reference')
      throw new AppError('UNPROCESSABLE', 'Reference libraries are shipped with Arusha', [
        { path: 'kind', message: 'use framework, scale or matrix' },
      ]);
    const versions = await q.versionsOf(tx, tenantId, doc.urn);
    const latest = versions[0];
    if (latest && latest.version >= doc.version)
      throw new AppError(
        latest.version === doc.version ? 'ALREADY_EXISTS' : 'CONFLICT',
        `Version ${latest.version} of ${doc.urn} is already loaded; raise the version number to load a new one (older versions are kept)`,
        [{ path: 'version', message: `must be greater than ${latest.version}` }],
      );
    const lib = await this.store(tx, tenantId, doc, sha(content), actor.userId);
    return summary(lib, locale);
  }

  async listLibraries(tx: TenantTx, locale: Locale): Promise<LibrarySummary[]> {
    return (await q.listLibraries(tx)).map((l) => summary(l, locale));
  }

  async getLibrary(tx: TenantTx, id: string) {
    const lib = await q.findLibrary(tx, id);
    if (!lib) throw new AppError('NOT_FOUND', 'library not found');
    return lib.document as LibraryDocument;
  }

  /**
   * A library version as another module pins it (assessments): the row and its nodes, or null.
   * A version's document and nodes never change once loaded (a new version is a new row; only
   * `supersededAt` is set later), so they are kept in memory by id — every response saved in
   * an assessment reads its framework. Visibility is still asked of the database (RLS) each
   * time: the cache never shows a tenant a library it could not read.
   */
  async pinnedLibrary(tx: TenantTx, id: string) {
    const head = await q.findLibraryHead(tx, id);
    if (!head) return null;
    let pinned = pinnedCache.get(id);
    if (!pinned) {
      const lib = await q.findLibrary(tx, id);
      if (!lib) return null;
      pinned = { ...lib, nodes: await q.nodesOf(tx, lib.id) };
      if (pinnedCache.size >= PINNED_CACHE_SIZE) pinnedCache.delete(pinnedCache.keys().next().value!);
      pinnedCache.set(id, pinned);
    }
    return { ...pinned, supersededAt: head.supersededAt };
  }

  /** Every loaded library version (built-in and the tenant's own) with its document. */
  async libraryRows(tx: TenantTx) {
    return q.listLibraries(tx);
  }

  private async rad(tx: TenantTx) {
    const lib = await q.currentBuiltIn(tx, RAD_URN);
    if (!lib) throw new AppError('UNAVAILABLE', 'The RAD library is not loaded');
    return { lib, nodes: await q.nodesOf(tx, lib.id) };
  }

  async uncacArticles(tx: TenantTx, locale: Locale) {
    const lib = await q.currentBuiltIn(tx, UNCAC_URN);
    const doc = lib?.document as LibraryDocument | undefined;
    return (doc?.objects.uncac_articles ?? []).map((a) => ({
      code: a.code,
      title: tr(a.title, locale),
      summary: tr(a.summary, locale),
      verification: a.verification,
    }));
  }

  async factors(tx: TenantTx, locale: Locale): Promise<FactorSummary[]> {
    const { nodes } = await this.rad(tx);
    const uncac = await this.uncacArticles(tx, locale);
    return nodes.filter((n) => n.kind === 'factor').map((n) => this.factorSummary(n, nodes, uncac, locale));
  }

  private factorSummary(
    n: typeof libraryNodes.$inferSelect,
    nodes: (typeof libraryNodes.$inferSelect)[],
    uncac: { code: string; title: string }[],
    locale: Locale,
  ): FactorSummary {
    const d = n.data as Record<string, unknown>;
    return {
      number: n.radFactor!,
      urn: n.urn,
      name: tr(d.name, locale),
      description: d.description ? tr(d.description, locale) : null,
      verification: (d.verification as FactorSummary['verification']) ?? null,
      uncac: uncacRefs(d.uncac, uncac),
      itemCount: nodes.filter((x) => x.parentUrn === n.urn && x.kind === 'item').length,
    };
  }

  async factor(tx: TenantTx, number: number, locale: Locale): Promise<FactorDetail> {
    const { lib, nodes } = await this.rad(tx);
    const uncac = await this.uncacArticles(tx, locale);
    const n = nodes.find((x) => x.kind === 'factor' && x.radFactor === number);
    if (!n) throw new AppError('NOT_FOUND', `factor ${number} not found`);
    const d = n.data as Record<string, unknown>;
    const doc = lib.document as LibraryDocument;
    return {
      ...this.factorSummary(n, nodes, uncac, locale),
      expectations: ((d.expectations as unknown[]) ?? []).map((e) => tr(e, locale)),
      source: (d.source as string) ?? null,
      items: nodes
        .filter((x) => x.parentUrn === n.urn && x.kind === 'item')
        .map((x) => {
          const xd = x.data as Record<string, unknown>;
          return {
            urn: x.urn,
            refId: x.refId,
            name: tr(xd.name, locale),
            guidance: xd.guidance ? tr(xd.guidance, locale) : null,
            typicalEvidence: (xd.typical_evidence as string[]) ?? [],
            uncac: uncacRefs(xd.uncac, uncac),
            weight: (xd.weight as number) ?? 1,
          };
        }),
      library: {
        id: lib.id,
        urn: lib.urn,
        version: lib.version,
        name: tr(lib.name, locale),
        notice: doc.notice ? tr(doc.notice, locale) : null,
      },
    };
  }

  async uncac(tx: TenantTx, locale: Locale): Promise<UncacArticle[]> {
    const factors = await this.factors(tx, locale);
    return (await this.uncacArticles(tx, locale)).map((a) => ({
      ...a,
      factors: factors
        .filter((f) => f.uncac.some((u) => u.code === a.code))
        .map((f) => ({ number: f.number, name: f.name })),
    }));
  }

  async uncacArticle(tx: TenantTx, code: string, locale: Locale): Promise<UncacArticle> {
    const a = (await this.uncac(tx, locale)).find((x) => x.code === code);
    if (!a) throw new AppError('NOT_FOUND', `UNCAC article ${code} not found`);
    return a;
  }
}

function uncacRefs(codes: unknown, articles: { code: string; title: string }[]) {
  return ((codes as string[] | undefined) ?? []).map((c) => ({
    code: c,
    title: articles.find((a) => a.code === c)?.title ?? `UNCAC ${c}`,
  }));
}

function summary(l: typeof libraries.$inferSelect, locale: Locale): LibrarySummary {
  const doc = l.document as LibraryDocument;
  return {
    id: l.id,
    urn: l.urn,
    refId: doc.ref_id,
    version: l.version,
    kind: l.kind,
    name: tr(l.name, locale),
    provider: doc.provider,
    scope: l.tenantId ? 'national' : 'built-in',
    loadedAt: l.createdAt.toISOString(),
    superseded: !!l.supersededAt,
  };
}
