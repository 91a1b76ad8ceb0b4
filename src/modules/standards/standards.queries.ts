import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { libraries, libraryNodes } from './standards.schema.ts';

// Tenant-scoped reads: RLS shows shipped libraries (tenant NULL) plus the tenant's own.

export const listLibraries = (tx: TenantTx) =>
  tx.select().from(libraries).orderBy(asc(libraries.urn), desc(libraries.version));

export const findLibrary = async (tx: TenantTx, id: string) =>
  (await tx.select().from(libraries).where(eq(libraries.id, id)))[0];

/** Whether the tenant sees a library version (RLS), and whether it was superseded: one small row. */
export const findLibraryHead = async (tx: TenantTx, id: string) =>
  (
    await tx
      .select({ id: libraries.id, supersededAt: libraries.supersededAt })
      .from(libraries)
      .where(eq(libraries.id, id))
  )[0];

/** The current (not superseded) built-in version of a library. */
export const currentBuiltIn = async (tx: TenantTx, urn: string) =>
  (
    await tx
      .select()
      .from(libraries)
      .where(and(eq(libraries.urn, urn), isNull(libraries.tenantId), isNull(libraries.supersededAt)))
      .orderBy(desc(libraries.version))
      .limit(1)
  )[0];

export const nodesOf = (tx: TenantTx, libraryId: string) =>
  tx
    .select()
    .from(libraryNodes)
    .where(eq(libraryNodes.libraryId, libraryId))
    .orderBy(asc(libraryNodes.position));

export const versionsOf = (tx: TenantTx, tenantId: string, urn: string) =>
  tx
    .select()
    .from(libraries)
    .where(and(eq(libraries.urn, urn), eq(libraries.tenantId, tenantId)))
    .orderBy(desc(libraries.version));

export const insertLibrary = async (tx: TenantTx, v: typeof libraries.$inferInsert) =>
  (await tx.insert(libraries).values(v).returning())[0]!;
export const insertNodes = (tx: TenantTx, v: (typeof libraryNodes.$inferInsert)[]) =>
  tx.insert(libraryNodes).values(v);
export const supersede = (tx: TenantTx, ids: string[]) =>
  Promise.all(
    ids.map((id) => tx.update(libraries).set({ supersededAt: new Date() }).where(eq(libraries.id, id))),
  );

/** Checklist items (kind 'item') by URN, in any library version the tenant can read. */
export const itemNodesByUrn = (tx: TenantTx, urns: string[]) =>
  urns.length === 0
    ? Promise.resolve([] as (typeof libraryNodes.$inferSelect)[])
    : tx
        .select()
        .from(libraryNodes)
        .where(and(eq(libraryNodes.kind, 'item'), inArray(libraryNodes.urn, urns)))
        .orderBy(asc(libraryNodes.urn), desc(libraryNodes.id));
