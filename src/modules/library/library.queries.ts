import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import type { SearchQueryT } from './library.contract.ts';
import {
  libraryAttachments,
  libraryComments,
  libraryEntries,
  libraryPublished,
  libraryPublishedTexts,
  librarySubmissions,
} from './library.schema.ts';
import { type EntryLanguage, TS_CONFIG } from './library.vocab.ts';

// Reads and writes of the library tables. Row-level security decides what each tenant sees:
// its own entries and submissions; every published copy and comment; and, for the Secretariat's
// tenant only, every submission (docs/adr/0027).

export type EntryRow = typeof libraryEntries.$inferSelect;
export type SubmissionRow = typeof librarySubmissions.$inferSelect;
export type PublishedRow = typeof libraryPublished.$inferSelect;
export type CommentRow = typeof libraryComments.$inferSelect;
export type TextRow = typeof libraryPublishedTexts.$inferSelect;

// ---- entries (the contributor's working copies) -------------------------------------------------

export async function findEntry(tx: TenantTx, id: string): Promise<EntryRow | undefined> {
  const [e] = await tx.select().from(libraryEntries).where(eq(libraryEntries.id, id));
  return e;
}

export function listEntries(tx: TenantTx): Promise<EntryRow[]> {
  return tx.select().from(libraryEntries).orderBy(desc(libraryEntries.updatedAt));
}

export async function insertEntry(tx: TenantTx, row: typeof libraryEntries.$inferInsert): Promise<EntryRow> {
  const [e] = await tx.insert(libraryEntries).values(row).returning();
  return e!;
}

// ---- submissions -------------------------------------------------------------------------------

/** The latest submission of each of these entries (filtered by entry: never relies on the tenant). */
export async function latestSubmissions(
  tx: TenantTx,
  entryIds: readonly string[],
): Promise<Map<string, SubmissionRow>> {
  if (entryIds.length === 0) return new Map();
  const rows = await tx
    .selectDistinctOn([librarySubmissions.entryId])
    .from(librarySubmissions)
    .where(inArray(librarySubmissions.entryId, [...entryIds]))
    .orderBy(librarySubmissions.entryId, desc(librarySubmissions.revision));
  return new Map(rows.map((r) => [r.entryId, r]));
}

export async function insertSubmission(
  tx: TenantTx,
  row: typeof librarySubmissions.$inferInsert,
): Promise<SubmissionRow> {
  const [s] = await tx.insert(librarySubmissions).values(row).returning();
  return s!;
}

/** Pending submissions of this entry become superseded (an edit or a newer submission). */
export async function supersedePending(tx: TenantTx, entryId: string): Promise<void> {
  await tx
    .update(librarySubmissions)
    .set({ status: 'superseded', updatedAt: new Date(), version: sql`${librarySubmissions.version} + 1` })
    .where(and(eq(librarySubmissions.entryId, entryId), eq(librarySubmissions.status, 'submitted')));
}

/** Every submitted version of an entry, newest first (row-level security decides whose). */
export function submissionsOf(tx: TenantTx, entryId: string): Promise<SubmissionRow[]> {
  return tx
    .select()
    .from(librarySubmissions)
    .where(eq(librarySubmissions.entryId, entryId))
    .orderBy(desc(librarySubmissions.revision));
}

export async function findRevision(
  tx: TenantTx,
  entryId: string,
  revision: number,
): Promise<SubmissionRow | undefined> {
  const [s] = await tx
    .select()
    .from(librarySubmissions)
    .where(and(eq(librarySubmissions.entryId, entryId), eq(librarySubmissions.revision, revision)));
  return s;
}

/** The Secretariat's decision on a submission (only decision columns are writable: column grant). */
export async function recordDecision(
  tx: TenantTx,
  id: string,
  d: Pick<SubmissionRow, 'status' | 'reason' | 'decidedBy' | 'decidedAt'>,
): Promise<void> {
  await tx
    .update(librarySubmissions)
    .set({ ...d, updatedAt: new Date(), version: sql`${librarySubmissions.version} + 1` })
    .where(eq(librarySubmissions.id, id));
}

export async function findSubmission(tx: TenantTx, id: string): Promise<SubmissionRow | undefined> {
  const [s] = await tx.select().from(librarySubmissions).where(eq(librarySubmissions.id, id));
  return s;
}

/** The moderation queue: pending submissions, oldest first. */
export function pendingSubmissions(tx: TenantTx): Promise<SubmissionRow[]> {
  return tx
    .select()
    .from(librarySubmissions)
    .where(eq(librarySubmissions.status, 'submitted'))
    .orderBy(asc(librarySubmissions.createdAt))
    .limit(500);
}

/** Is the current tenant the Secretariat? The same function the row-level policies use. */
export async function isModerator(tx: TenantTx): Promise<boolean> {
  const r = (await tx.execute(sql`select library_is_moderator() as m`)) as unknown as {
    rows: { m: boolean }[];
  };
  return r.rows[0]?.m === true;
}

// ---- the published copies -----------------------------------------------------------------------

/** Still public: row-level security hides a withdrawn copy from everyone but the Secretariat,
 *  which reads it (to withdraw or republish) but is not shown it as published either. */
const live = isNull(libraryPublished.unpublishedAt);

/** The published copy, withdrawn or not (the Secretariat's moderation reads it). */
export async function findPublishedRow(tx: TenantTx, id: string): Promise<PublishedRow | undefined> {
  const [p] = await tx.select().from(libraryPublished).where(eq(libraryPublished.id, id));
  return p;
}

export async function findPublished(tx: TenantTx, id: string): Promise<PublishedRow | undefined> {
  const [p] = await tx
    .select()
    .from(libraryPublished)
    .where(and(eq(libraryPublished.id, id), live));
  return p;
}

export async function publishedRevisions(tx: TenantTx, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: libraryPublished.id, revision: libraryPublished.revision })
    .from(libraryPublished)
    .where(and(inArray(libraryPublished.id, [...ids]), live));
  return new Map(rows.map((r) => [r.id, r.revision]));
}

export async function unpublish(tx: TenantTx, id: string, reason: string, at: Date): Promise<void> {
  await tx
    .update(libraryPublished)
    .set({ unpublishedAt: at, unpublishedReason: reason })
    .where(eq(libraryPublished.id, id));
}

/** The searched texts of a published copy: replaced as a whole at each publication. */
export async function replaceTexts(
  tx: TenantTx,
  entryId: string,
  texts: (typeof libraryPublishedTexts.$inferInsert)[],
): Promise<void> {
  await tx.delete(libraryPublishedTexts).where(eq(libraryPublishedTexts.entryId, entryId));
  if (texts.length) await tx.insert(libraryPublishedTexts).values(texts);
}

/** Each entry's languages (the original first, then the translations in a stable order) and,
 *  where the entry is written in \`lang\`, its text in that language. */
export async function textsOf(
  tx: TenantTx,
  rows: readonly PublishedRow[],
  lang: EntryLanguage,
): Promise<{ languages: Map<string, EntryLanguage[]>; shown: Map<string, TextRow> }> {
  if (rows.length === 0) return { languages: new Map(), shown: new Map() };
  const t = libraryPublishedTexts;
  const texts = await tx
    .select()
    .from(t)
    .where(
      inArray(
        t.entryId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(t.entryId), asc(t.language));
  const original = new Map(rows.map((r) => [r.id, r.language]));
  const languages = new Map<string, EntryLanguage[]>(rows.map((r) => [r.id, [r.language]]));
  const shown = new Map<string, TextRow>();
  for (const x of texts) {
    if (x.language !== original.get(x.entryId)) languages.get(x.entryId)?.push(x.language);
    if (x.language === lang) shown.set(x.entryId, x);
  }
  return { languages, shown };
}

let configs: Promise<string[]> | undefined;
/** The text-search configurations this server has among those the library uses ('simple' always). */
async function availableConfigs(tx: TenantTx): Promise<string[]> {
  configs ??= (async () => {
    const wanted = [...Object.values(TS_CONFIG), 'simple'];
    const r = (await tx.execute(
      sql`select cfgname::text as name from pg_ts_config where cfgname = any(${sql.raw(
        `array[${wanted.map((w) => `'${w}'`).join(',')}]`,
      )})`,
    )) as unknown as { rows: { name: string }[] };
    return r.rows.map((x) => x.name);
  })();
  return configs;
}

/** The configuration an entry in this language is indexed with: its own, or 'simple' if missing. */
export async function configFor(tx: TenantTx, language: keyof typeof TS_CONFIG): Promise<string> {
  const have = await availableConfigs(tx);
  return have.includes(TS_CONFIG[language]) ? TS_CONFIG[language] : 'simple';
}

/** Insert or replace the published copy of an entry (its first publication date stays). */
export async function upsertPublished(
  tx: TenantTx,
  row: typeof libraryPublished.$inferInsert,
): Promise<void> {
  const { id: _id, firstPublishedAt: _first, ...changes } = row;
  await tx
    .insert(libraryPublished)
    .values(row)
    .onConflictDoUpdate({ target: libraryPublished.id, set: changes });
}

/** One Arabic word: letters from hamza to yeh (no diacritics, no digits). */
const ARABIC_WORD = /[\u0621-\u064A]+/g;
/** A leading conjunction or preposition letter and the article: "والفساد" → "فساد". */
const ARABIC_ARTICLE = /^[وفبكل]?ال(?=[\u0621-\u064A]{2,})/;

/**
 * The query as typed, and with each Arabic word bare and with the article. The Snowball Arabic
 * stemmer reads a word differently with and without "ال" ("فساد" → سادّ, its ف taken for "so";
 * "الفساد" → فساد), and Arabic text mostly carries the article, so a bare word would miss the
 * entry it names. Other scripts are left as they are (the forms are then all the same).
 */
export function arabicForms(q: string): string[] {
  const bare = q.replace(ARABIC_WORD, (w) => w.replace(ARABIC_ARTICLE, ''));
  const withArticle = bare.replace(ARABIC_WORD, (w) => `ال${w}`);
  return [...new Set([q, bare, withArticle])];
}

/**
 * Full-text search of the published copies. Each language an entry is written in (its original
 * and each translation) is a row of library_published_texts indexed in that language's
 * configuration; the query is parsed in each configuration and matched only against rows of that
 * configuration, so stemming agrees on both sides (and the GIN index serves each branch). An
 * entry matches when any of its languages does, ranked by its best one.
 */
export async function searchPublished(
  tx: TenantTx,
  query: SearchQueryT,
): Promise<{ rows: PublishedRow[]; total: number }> {
  const p = libraryPublished;
  const t = libraryPublishedTexts;
  const where: SQL[] = [live];
  if (query.factor) where.push(sql`${p.factors} @> array[${query.factor}]::int[]`);
  if (query.region) where.push(eq(p.region, query.region));
  if (query.type) where.push(eq(p.type, query.type));
  if (query.language)
    where.push(
      sql`exists (select 1 from ${t} where ${t.entryId} = ${p.id} and ${t.language} = ${query.language})`,
    );
  const q = query.q?.trim();
  if (q) {
    const branches = (await availableConfigs(tx)).map((cfg) => {
      const forms = (cfg === TS_CONFIG.ar ? arabicForms(q) : [q]).map(
        (f) => sql`${t.search} @@ websearch_to_tsquery(${cfg}::regconfig, ${f})`,
      );
      return sql`(${t.tsConfig} = ${cfg}::regconfig and (${sql.join(forms, sql` or `)}))`;
    });
    where.push(sql`${p.id} in (select ${t.entryId} from ${t} where ${sql.join(branches, sql` or `)})`);
  }
  const cond = and(...where);
  const rank = sql`(select max(ts_rank(${t.search}, websearch_to_tsquery(${t.tsConfig}, ${q ?? ''}))) from ${t} where ${t.entryId} = ${p.id})`;
  const order = q ? [desc(rank), desc(p.publishedAt)] : [desc(p.publishedAt)];
  const [rows, count] = await Promise.all([
    tx
      .select()
      .from(p)
      .where(cond)
      .orderBy(...order)
      .limit(query.limit)
      .offset(query.offset),
    tx.select({ n: sql<number>`count(*)::int` }).from(p).where(cond),
  ]);
  return { rows, total: count[0]?.n ?? 0 };
}

// ---- comments ------------------------------------------------------------------------------------

export function commentsOf(tx: TenantTx, entryId: string): Promise<CommentRow[]> {
  return tx
    .select()
    .from(libraryComments)
    .where(eq(libraryComments.entryId, entryId))
    .orderBy(asc(libraryComments.createdAt));
}

export async function findComment(tx: TenantTx, id: string): Promise<CommentRow | undefined> {
  const [c] = await tx.select().from(libraryComments).where(eq(libraryComments.id, id));
  return c;
}

/** Hide a comment (the Secretariat only: column grant and a restrictive policy). */
export async function hideComment(
  tx: TenantTx,
  id: string,
  h: { hiddenAt: Date; hiddenReason: string; hiddenBy: string },
): Promise<CommentRow> {
  const [c] = await tx.update(libraryComments).set(h).where(eq(libraryComments.id, id)).returning();
  return c!;
}

export async function insertComment(
  tx: TenantTx,
  row: typeof libraryComments.$inferInsert,
): Promise<CommentRow> {
  const [c] = await tx.insert(libraryComments).values(row).returning();
  return c!;
}

// ---- attachments of the working copy ---------------------------------------------------------------

export type AttachmentRow = typeof libraryAttachments.$inferSelect;

export function attachmentsOf(tx: TenantTx, entryIds: readonly string[]): Promise<AttachmentRow[]> {
  if (entryIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(libraryAttachments)
    .where(inArray(libraryAttachments.entryId, [...entryIds]))
    .orderBy(asc(libraryAttachments.createdAt));
}

export async function findAttachment(
  tx: TenantTx,
  entryId: string,
  id: string,
): Promise<AttachmentRow | undefined> {
  const [a] = await tx
    .select()
    .from(libraryAttachments)
    .where(and(eq(libraryAttachments.entryId, entryId), eq(libraryAttachments.id, id)));
  return a;
}

export async function insertAttachment(
  tx: TenantTx,
  row: typeof libraryAttachments.$inferInsert,
): Promise<AttachmentRow> {
  const [a] = await tx.insert(libraryAttachments).values(row).returning();
  return a!;
}

export async function deleteAttachment(tx: TenantTx, id: string): Promise<void> {
  await tx.delete(libraryAttachments).where(eq(libraryAttachments.id, id));
}

/** Whether any submission (a snapshot, perhaps published) still refers to this attachment. */
export async function attachmentInSnapshots(tx: TenantTx, entryId: string, id: string): Promise<boolean> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(librarySubmissions)
    .where(
      and(
        eq(librarySubmissions.entryId, entryId),
        sql`${librarySubmissions.attachments} @> ${JSON.stringify([{ id }])}::jsonb`,
      ),
    );
  return (r?.n ?? 0) > 0;
}
