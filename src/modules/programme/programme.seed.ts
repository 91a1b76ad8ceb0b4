import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, IdentityService } from '../identity/index.ts';
import type { EoiInputT } from './programme.contract.ts';
import * as q from './programme.queries.ts';
import { ProgrammeService } from './programme.service.ts';

const directory = new Directory();

const eoi = (
  head: string,
  title: string,
  factors: [number, string][],
  initiatives: string,
  contact: string,
): EoiInputT => ({
  headName: head,
  headTitle: title,
  endorsedOn: '2026-03-02',
  priorities: factors.map(([factor, note]) => ({ factor, note })),
  initiatives,
  contactName: contact,
  contactEmail: `${contact.split(' ')[0]!.toLowerCase()}@example.org`,
  contactPhone: null,
});

/**
 * The A-CIP demo: three expressions of interest (Norland a partner, Sudmark eligible and awaiting
 * funding, Estavia received), the demo donor with an agreement in EUR and one in USD, a USD→EUR
 * rate, Norland's partnership and a diagnostic mission paid from the EUR agreement. Idempotent.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const orgs = await new IdentityService(k).listAllOrganisations();
  const by = (short: string) => orgs.find((o) => o.shortName === short);
  const [wco, norland, sudmark, estavia, ifund] = ['WCO', 'Norland', 'Sudmark', 'Estavia', 'IFund'].map(by);
  if (!wco || !norland || !sudmark || !estavia || !ifund) return;
  const svc = new ProgrammeService(k);
  const actorIn = async (tenantId: string, role: string) =>
    withTenant(k.db, { tenantId, userId: null }, async (tx) => {
      const m = (await directory.members(tx)).find((p) => p.roles.includes(role));
      return m ? ({ userId: m.userId, email: m.email } as unknown as Actor) : undefined;
    });
  const pm = await actorIn(wco.id, 'programme_manager');
  const officer = await actorIn(norland.id, 'integrity_officer');
  const sudmarkAdmin = await actorIn(sudmark.id, 'org_admin');
  const estaviaAdmin = await actorIn(estavia.id, 'org_admin');
  if (!pm || !officer || !sudmarkAdmin || !estaviaAdmin) return;
  const seeded = await withTenant(
    k.db,
    { tenantId: wco.id, userId: null },
    async (tx) => (await q.donors(tx)).length > 0,
  );
  if (seeded) return;

  const submit = (tenantId: string, actor: Actor, input: EoiInputT) =>
    withTenant(k.db, { tenantId, userId: actor.userId }, (tx) => svc.submitEoi(tx, tenantId, actor, input));
  const n = await submit(
    norland.id,
    officer,
    eoi(
      'Nadia Okello',
      'Commissioner General',
      [
        [6, 'An internal affairs unit with investigative powers'],
        [5, 'Declarations of assets for officers in exposed posts'],
      ],
      'Code of conduct revised in 2025; integrity e-learning for new recruits.',
      'Ines Integrity',
    ),
  );
  const s = await submit(
    sudmark.id,
    sudmarkAdmin,
    eoi(
      'Moussa Diarra',
      'Directeur général des douanes',
      [
        [4, 'Automatisation du dédouanement'],
        [9, 'Relations avec le secteur privé'],
      ],
      'Cartographie des risques de corruption en cours.',
      'Odile Admin',
    ),
  );
  await submit(
    estavia.id,
    estaviaAdmin,
    eoi('Elena Ruiz', 'Director General', [[2, 'Regulatory framework review']], '', 'Elena Admin'),
  );

  await withTenant(k.db, { tenantId: wco.id, userId: pm.userId }, async (tx) => {
    const t = wco.id;
    const donor = await svc.createDonor(tx, t, pm, { name: 'Integrity Fund', organisationId: ifund.id });
    await svc.addRate(tx, t, pm, { from: 'USD', to: 'EUR', rate: '0.92', asOf: '2026-01-01' });
    const move = async (
      id: string,
      to: 'screening' | 'eligible_awaiting_funding' | 'partner',
      extra = {},
    ) => {
      const v = (await svc.eoi(tx, id)).version;
      return svc.transition(tx, t, pm, id, {
        version: v,
        to,
        reason: 'Demo',
        decidedOn: '2026-04-01',
        ...extra,
      });
    };
    await move(n.id, 'screening');
    await move(n.id, 'eligible_awaiting_funding', {
      estimatedCost: { amount: '250000.00', currency: 'EUR' },
    });
    await move(n.id, 'partner', {
      partnership: {
        startsOn: '2026-05-01',
        endsOn: '2028-12-31',
        donorIds: [donor.id],
        coordinatorName: 'Ines Integrity',
        coordinatorEmail: 'integrity@norland.demo',
      },
    });
    await move(s.id, 'screening');
    await move(s.id, 'eligible_awaiting_funding', {
      estimatedCost: { amount: '300000.00', currency: 'USD' },
    });
    const [partnership] = await q.partnerships(tx);
    const eur = await svc.createAgreement(tx, t, pm, {
      donorId: donor.id,
      reference: 'IF-2026-01',
      amount: { amount: '1500000.00', currency: 'EUR' },
      startsOn: '2026-01-01',
      endsOn: '2028-12-31',
      earmarkRegion: 'ESA',
      earmarkPartnershipId: null,
    });
    await svc.createAgreement(tx, t, pm, {
      donorId: donor.id,
      reference: 'IF-2026-02',
      amount: { amount: '150000.00', currency: 'USD' },
      startsOn: '2026-07-01',
      endsOn: '2027-06-30',
      earmarkRegion: 'WCA',
      earmarkPartnershipId: null,
    });
    await svc.addDisbursement(tx, t, pm, eur.id, {
      receivedOn: '2026-02-15',
      amount: { amount: '500000.00', currency: 'EUR' },
    });
    if (partnership)
      await svc.createActivity(tx, t, pm, {
        type: 'diagnostic_mission',
        title: 'Integrity diagnostic mission',
        startsOn: '2026-06-08',
        endsOn: '2026-06-12',
        partnershipIds: [partnership.id],
        costShares: null,
        experts: ['A. Expert', 'B. Expert'],
        participants: [
          { role: 'management', women: 3, men: 5 },
          { role: 'officer', women: 7, men: 9 },
        ],
        costs: [
          {
            label: 'Travel and subsistence',
            agreementId: eur.id,
            amount: { amount: '18500.00', currency: 'EUR' },
          },
        ],
        outputs: 'Diagnostic report with a draft Integrity Action Plan.',
        report: 'Mission completed as planned.',
      });
  });
}
