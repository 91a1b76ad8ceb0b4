import { SecretBox } from '../../platform/crypto/secret-box.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import * as q from './declarations.queries.ts';
import { ASSET_BOX_PURPOSE } from './declarations.service.ts';

// Re-sealing asset values after a SECRET_KEY change (`arusha declarations reseal`): every sealed
// value (asset values, liabilities and income; the asset-growth flag's amounts) is opened with the
// key derived from the old SECRET_KEY and sealed again with the current one — in batches, one
// transaction each, tenant by tenant. A value the current key already opens is left alone, so a
// run that stopped half-way can simply be run again. Before changing anything, every value is
// checked: if the old key does not open one that the current key does not open either, nothing
// is changed.

export class ResealRefused extends Error {}

export interface ResealProgress {
  /** Called once with the number of sealed values found (all tenants). */
  start?(total: number): void;
  /** Called with the number of values done so far. */
  progress?(done: number): void;
}

const PLACES: q.SealedPlace[] = ['declarations', 'flags'];

const opens = (box: SecretBox, sealed: string) => {
  try {
    box.open(sealed);
    return true;
  } catch {
    return false;
  }
};

export async function resealAssetValues(
  k: Pick<Kernel, 'db' | 'config' | 'audit'>,
  oldSecret: string,
  o: ResealProgress & { batchSize?: number } = {},
): Promise<{ total: number; resealed: number; already: number }> {
  const current = new SecretBox(k.config.SECRET_KEY, ASSET_BOX_PURPOSE);
  const old = new SecretBox(oldSecret, ASSET_BOX_PURPOSE);
  const batch = Math.max(1, o.batchSize ?? 500);
  const tenants = (await new IdentityService(k as Kernel).listAllOrganisations()).map((t) => t.id);

  // 1. Check, changing nothing: each value opens with the current key or with the old one.
  let total = 0;
  let unreadable = 0;
  for (const tenantId of tenants)
    await withTenant(k.db, { tenantId, userId: null }, async (tx) => {
      for (const place of PLACES) {
        let after: string | null = null;
        for (;;) {
          const rows = await q.sealedBatch(tx, place, after, batch);
          if (!rows.length) break;
          for (const r of rows) {
            total++;
            if (opens(current, r.sealed)) continue;
            if (!opens(old, r.sealed)) unreadable++;
          }
          after = rows.at(-1)!.id;
        }
      }
    });
  if (unreadable)
    throw new ResealRefused(
      `The old key does not open ${unreadable} of ${total} sealed value(s), and the current SECRET_KEY does not open them either: check the --old-secret-file (the SECRET_KEY in use before the change). Nothing was changed.`,
    );
  o.start?.(total);

  // 2. Re-seal, batch by batch, each batch in its own transaction.
  let done = 0;
  let resealed = 0;
  for (const tenantId of tenants) {
    let here = 0;
    for (const place of PLACES) {
      let after: string | null = null;
      for (;;) {
        const next: string | null = await withTenant(k.db, { tenantId, userId: null }, async (tx) => {
          const rows = await q.sealedBatch(tx, place, after, batch);
          for (const r of rows) {
            if (!opens(current, r.sealed)) {
              await q.setSealed(tx, place, r.id, current.seal(old.open(r.sealed)));
              here++;
            }
          }
          done += rows.length;
          return rows.length ? rows.at(-1)!.id : null;
        });
        o.progress?.(done);
        if (!next) break;
        after = next;
      }
    }
    if (here)
      await withTenant(k.db, { tenantId, userId: null }, (tx) =>
        k.audit.record(tx, tenantId, {
          actorId: null,
          action: 'declarations.asset_values.resealed',
          entityType: 'declaration',
          entityId: null,
          data: { values: here },
        }),
      );
    resealed += here;
  }
  return { total, resealed, already: total - resealed };
}
