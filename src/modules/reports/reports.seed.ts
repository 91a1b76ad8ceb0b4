import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { DEMO_PASSWORD, IdentityService } from '../identity/index.ts';
import { P } from './reports.permissions.ts';
import * as q from './reports.queries.ts';
import { ReportsService } from './reports.service.ts';

/**
 * Demo: Norland's "Report corruption" channel with the shipped customs questionnaire, its
 * integrity officer and case handler as recipients, their reporting keys with the demo
 * password as passphrase (demo only: a real handler chooses a passphrase of their own).
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  const svc = new ReportsService(k);
  // Demo data must never stop a start: a failure is logged and the channel is left out.
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if (await q.findChannelBySlug(tx, 'report')) return;
    const members = await q.directory.members(tx);
    const handlers = members.filter(
      (m) => m.email.endsWith('@norland.demo') && k.permissions.permissionsOf(m.roles).has(P.handle),
    );
    for (const h of handlers) {
      const actor = {
        userId: h.userId,
        tenantId: org.id,
        sessionId: 'seed',
        permissions: new Set([P.handle]),
      };
      if (!(await q.findHandlerKey(tx, h.userId)))
        await svc.setupKey(tx, org.id, actor as unknown as Actor, DEMO_PASSWORD.padEnd(12, '!'));
      svc.lock(actor as unknown as Actor);
    }
    await svc.ensureDefaultChannel(
      tx,
      org.id,
      handlers.slice(0, 2).map((h) => h.userId),
    );
  });
}
