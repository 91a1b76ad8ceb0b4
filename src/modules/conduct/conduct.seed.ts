import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { P } from './conduct.permissions.ts';
import * as q from './conduct.queries.ts';
import { ConductService } from './conduct.service.ts';
import { addDays, isoDay } from '../../platform/dates.ts';

const STAFF_CODE = `## Purpose

This code sets the standards of integrity expected of every officer of Norland Customs.

## Gifts and hospitality

Officers refuse any gift, favour or hospitality that could influence, or appear to influence,
their work. Gifts above the threshold set by the administration are declared.

## Conflicts of interest

Officers declare any private interest that conflicts, or could appear to conflict, with their
duties, and step aside from the matter concerned.`;

const PRIVATE_CODE = `## Commitments of brokers and traders

Brokers, importers and exporters never offer a gift, payment or favour to a Customs officer,
declare goods truthfully, and report any solicitation to the integrity unit.`;

/**
 * Norland: the staff code (version 1, in force for a year) with an acknowledgement campaign for
 * all staff due in three weeks, already acknowledged by a few people (not staff@norland.demo);
 * the private-sector code with three parties, one of which signed on paper. Idempotent.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if ((await q.listVersions(tx)).length) return;
    const people = await q.directory.members(tx);
    const officer = people.find((p) => p.email === 'integrity@norland.demo')?.userId;
    if (!officer) return;
    const actor = { userId: officer, permissions: new Set(Object.values(P)) } as unknown as Actor;
    const svc = new ConductService(k);
    const today = isoDay(new Date());
    const sanctions = [
      { level: 1, misconduct: 'Late declaration of a gift', sanction: 'Warning' },
      { level: 2, misconduct: 'Undeclared gift above the threshold', sanction: 'Written reprimand' },
      {
        level: 3,
        misconduct: 'Soliciting or accepting a bribe',
        sanction: 'Dismissal and referral for prosecution',
      },
    ];
    const v = await svc.createVersion(tx, org.id, actor, {
      audience: 'staff',
      title: 'Code of conduct of Norland Customs',
      body: STAFF_CODE,
      effectiveDate: addDays(today, -365),
      sanctions,
    });
    await svc.publish(tx, org.id, actor, v.id);
    await svc.createCampaign(tx, org.id, actor, {
      versionId: v.id,
      title: 'Annual acknowledgement',
      targetKind: 'all',
      dueDate: addDays(today, 21),
    });
    for (const email of ['orgadmin@norland.demo', 'analyst@norland.demo', 'executive@norland.demo']) {
      const userId = people.find((p) => p.email === email)?.userId;
      if (userId) await svc.acknowledge(tx, org.id, { userId } as Actor, v.id);
    }
    const pv = await svc.createVersion(tx, org.id, actor, {
      audience: 'private_sector',
      title: 'Integrity code for brokers and traders',
      body: PRIVATE_CODE,
      effectiveDate: addDays(today, -180),
      sanctions: [],
    });
    await svc.publish(tx, org.id, actor, pv.id);
    const signed = await svc.createParty(tx, org.id, actor, {
      type: 'broker',
      name: 'Kessa Clearing Agents Ltd',
      identifier: 'CB-0142',
      licensed: true,
    });
    await svc.createParty(tx, org.id, actor, {
      type: 'broker',
      name: 'Tamu Forwarding',
      identifier: 'CB-0388',
      licensed: true,
    });
    await svc.createParty(tx, org.id, actor, { type: 'association', name: 'Norland Shippers Council' });
    await svc.recordPaper(tx, org.id, actor, signed.id, {
      signatory: 'J. Mwangi, director',
      signedOn: addDays(today, -30),
    });
  });
}
