import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, IdentityService } from '../identity/index.ts';
import { P } from './postings.permissions.ts';
import { positions } from './postings.schema.ts';
import { PostingsService, addMonths } from './postings.service.ts';
import { isoDay } from '../../platform/dates.ts';

/**
 * Norland: three positions with tenure rules and a few postings, so that the rotation plan shows
 * a posting past its maximum tenure, one due soon and one well within it. Idempotent.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if ((await tx.select({ id: positions.id }).from(positions).limit(1)).length) return;
    const dir = new Directory();
    const people = await dir.members(tx);
    const units = await dir.units(tx);
    const who = (email: string) => people.find((p) => p.email === email)?.userId;
    const unit = (name: string) => units.find((u) => u.name === name)?.id ?? null;
    const officer = who('integrity@norland.demo');
    if (!officer) return;
    const actor = { userId: officer, permissions: new Set(Object.values(P)) } as unknown as Actor;
    const svc = new PostingsService(k);
    const today = isoDay(new Date());
    const examiner = await svc.createPosition(
      tx,
      org.id,
      actor,
      {
        title: 'Cargo examiner',
        function: 'Physical examination of containers',
        orgUnitId: unit('Port of Kessa'),
        vulnerability: 'high',
        maxTenureMonths: 36,
        coolingOffMonths: 24,
      },
      'en',
    );
    const supervisor = await svc.createPosition(
      tx,
      org.id,
      actor,
      {
        title: 'Border post supervisor',
        function: 'Supervision of clearance at the border post',
        orgUnitId: unit('Tamu Border Post'),
        vulnerability: 'critical',
        maxTenureMonths: 24,
        coolingOffMonths: 36,
      },
      'en',
    );
    const valuation = await svc.createPosition(
      tx,
      org.id,
      actor,
      {
        title: 'Valuation officer',
        orgUnitId: unit('Headquarters'),
        vulnerability: 'medium',
        maxTenureMonths: 48,
      },
      'en',
    );
    const post = async (
      email: string,
      positionId: string,
      months: number,
      reason: 'rotation' | 'promotion',
    ) => {
      const userId = who(email);
      if (userId)
        await svc.createPosting(tx, org.id, actor, {
          userId,
          positionId,
          startDate: addMonths(today, -months),
          reason,
        });
    };
    await post('cases@norland.demo', supervisor.id, 26, 'rotation');
    await post('investigator@norland.demo', examiner.id, 35, 'rotation');
    await post('staff@norland.demo', valuation.id, 50, 'rotation');
    await post('staff@norland.demo', examiner.id, 10, 'rotation');
    await post('analyst@norland.demo', valuation.id, 8, 'promotion');
  });
}
