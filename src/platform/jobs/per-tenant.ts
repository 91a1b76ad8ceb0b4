import { type TenantTx, withTenant } from '../db/tenant.ts';
import type { Kernel } from '../kernel.ts';
import type { JobContext, JobDefinition } from './queue.ts';

/**
 * A scheduled job that does its work tenant by tenant. The scheduled run (no tenant) enqueues
 * one job per tenant listed by `tenants` — once per scheduled run, by dedupe key — and each of
 * those runs `run` in that tenant's transaction, so one tenant's failure or retry never touches
 * another's. `payload.now` (ISO date-time) sets the clock: tests and reruns use it.
 */
export function perTenantJob<R extends object>(
  k: Pick<Kernel, 'db' | 'jobs'>,
  spec: {
    name: string;
    tenants: () => Promise<readonly { id: string }[]>;
    run: (tx: TenantTx, tenantId: string, now: Date) => Promise<R>;
  },
): JobDefinition<{ now?: unknown }> {
  const work = async (payload: { now?: unknown }, ctx: JobContext): Promise<R | { tenants: number }> => {
    const parsed = typeof payload.now === 'string' ? new Date(payload.now) : new Date();
    const now = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
    const tenantId = ctx.tenantId;
    if (tenantId) return withTenant(k.db, { tenantId, userId: null }, (tx) => spec.run(tx, tenantId, now));
    const list = await spec.tenants();
    await k.db.owner.transaction(async (tx) => {
      for (const t of list)
        await k.jobs.enqueue(
          tx,
          spec.name,
          { now: now.toISOString() },
          { tenantId: t.id, dedupeKey: `${spec.name}:${ctx.id}:${t.id}` },
        );
    });
    return { tenants: list.length };
  };
  return { name: spec.name, run: async (payload, ctx) => ctx.log.info(await work(payload, ctx), spec.name) };
}
