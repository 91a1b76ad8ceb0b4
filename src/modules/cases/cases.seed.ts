import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { P } from './cases.permissions.ts';
import * as q from './cases.queries.ts';
import { CasesService } from './cases.service.ts';

/**
 * Norland: three cases opened by the head of Internal Affairs — a report under investigation
 * (investigator), an analytics alert acknowledged (case handler), an audit finding closed at
 * triage. Idempotent: nothing when the administration has a case.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if ((await q.listCases(tx)).length > 0) return;
    const people = await q.members(tx);
    // The demo accounts, else the first member holding the role (a test organisation).
    const by = (email: string, role: string) =>
      people.find((p) => p.email === email) ?? people.find((p) => p.roles.includes(role));
    const head = by('integrity@norland.demo', 'integrity_officer');
    if (!head) return;
    const actor = { userId: head.userId, permissions: new Set(Object.values(P)) } as unknown as Actor;
    const units = await q.units(tx);
    const unit = (name: string) => units.find((u) => u.name === name)?.id;
    const svc = new CasesService(k);
    const open = (title: string, sourceKind: 'report' | 'analytics_alert' | 'audit', unitName: string) =>
      svc.create(tx, org.id, actor, {
        title,
        sourceKind,
        ...(unit(unitName) ? { orgUnitId: unit(unitName) } : {}),
      });
    const steps = async (id: string, to: string[], last: Record<string, string> = {}) => {
      let version = 1;
      for (const [i, s] of to.entries())
        version = (
          await svc.transition(tx, org.id, actor, id, {
            to: s as never,
            version,
            ...(i === to.length - 1 ? last : {}),
          })
        ).version;
    };
    const assign = async (id: string, email: string, role: string) => {
      const u = by(email, role);
      if (u)
        await svc.assign(tx, org.id, actor, id, {
          userId: u.userId,
          replace: false,
          acknowledgeConflict: true,
        });
    };
    const a = await open(
      'Payments requested to release containers at the depot',
      'report',
      'Lindi Inland Container Depot',
    );
    await assign(a.id, 'investigator@norland.demo', 'investigator');
    await steps(a.id, ['acknowledged', 'triage', 'investigation']);
    await svc.addNote(
      tx,
      org.id,
      actor,
      a.id,
      'Two reports describe the same request; CCTV footage asked for.',
    );
    const b = await open(
      'Undervaluation accepted repeatedly for one broker',
      'analytics_alert',
      'Northern Region',
    );
    await assign(b.id, 'cases@norland.demo', 'case_handler');
    await steps(b.id, ['acknowledged']);
    const c = await open(
      'Audit finding: exemptions granted without a signed certificate',
      'audit',
      'Headquarters',
    );
    await steps(c.id, ['acknowledged', 'triage', 'closed'], { closureReason: 'insufficient_information' });
  });
}
