import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Module } from '../../platform/kernel.ts';
import * as sq from './standards.queries.ts';
import { standardsPermissions } from './standards.permissions.ts';
import { standardsRoutes } from './standards.routes.ts';
import { RAD_URN as RAD, StandardsService, tr } from './standards.service.ts';

export { StandardsService, parseLibrary, RAD_URN, UNCAC_URN } from './standards.service.ts';

export const standardsModule: Module = {
  name: 'standards',
  permissions: standardsPermissions,
  routes: (r, k) => standardsRoutes(r, new StandardsService(k)),
  onStart: (k) => new StandardsService(k).loadBuiltIns(),
};

export interface ChecklistItemRef {
  urn: string;
  refId: string;
  factor: number | null;
  name: string;
}

const itemRef = (
  n: { urn: string; refId: string; radFactor: number | null; data: unknown },
  locale: Locale,
) => ({
  urn: n.urn,
  refId: n.refId,
  factor: n.radFactor,
  name: tr((n.data as { name?: unknown }).name, locale),
});

/**
 * Checklist items (library nodes of kind `item`) for other modules: with `urns`, those of
 * them that exist in any library version the tenant can read (unknown URNs are left out);
 * without, every item of the current shipped RAD framework, in order.
 */
export async function checklistItems(
  tx: TenantTx,
  locale: Locale,
  urns?: string[],
): Promise<ChecklistItemRef[]> {
  if (urns) {
    const seen = new Map<string, ChecklistItemRef>();
    for (const n of await sq.itemNodesByUrn(tx, [...new Set(urns)]))
      if (!seen.has(n.urn)) seen.set(n.urn, itemRef(n, locale));
    return [...seen.values()];
  }
  const lib = await sq.currentBuiltIn(tx, RAD);
  if (!lib) return [];
  return (await sq.nodesOf(tx, lib.id)).filter((n) => n.kind === 'item').map((n) => itemRef(n, locale));
}

// ---- read access for other modules (risks: the default risk matrix) ------------------------
export const MATRIX_5X5_URN = 'urn:arusha:library:matrix-5x5';
export type LibraryMatrix = import('zod').infer<typeof import('./library.schema.ts').Matrix>;

/** The first matrix of the current built-in version of a shipped matrix library. */
export async function builtInMatrix(
  tx: import('../../platform/db/tenant.ts').TenantTx,
  urn: string,
): Promise<LibraryMatrix | undefined> {
  const { currentBuiltIn } = await import('./standards.queries.ts');
  const lib = await currentBuiltIn(tx, urn);
  return (lib?.document as import('./library.schema.ts').LibraryDocument | undefined)?.objects.matrices?.[0];
}
