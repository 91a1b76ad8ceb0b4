import type { Actor } from '../../platform/auth/actor.ts';
import { type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, IdentityService } from '../identity/index.ts';
import { RAD_URN } from '../standards/index.ts';
import { P } from './assessments.permissions.ts';
import * as q from './assessments.queries.ts';
import { AssessmentsService } from './assessments.service.ts';
import type { TeamRole } from './assessments.vocab.ts';

// Demo: Norland has validated RAD self-assessments for 2024 and 2025 (the second better on
// leadership, codes, HR and audit) and a 2026 one in progress; Sudmark and Estavia validated
// one each. All three share their scores: three administrations, so the benchmark shows the
// "fewer than 5" message — by design.

const FACTOR_NOTES: Record<number, { strengths: string; weaknesses: string; narrative: string }> = {
  1: {
    narrative:
      'Desk review of the integrity strategy and interviews with the Commissioner General and two directors.',
    strengths:
      'The Commissioner General speaks about integrity at every management meeting and signed the strategy.',
    weaknesses: 'Middle managers are not yet held to integrity objectives in their performance contracts.',
  },
  2: {
    narrative:
      'Review of the tariff, valuation and exemption procedures against the revised Kyoto Convention.',
    strengths: 'Most exemptions are now granted by a committee with written criteria.',
    weaknesses:
      'Officers at border posts still use discretion on valuation without a documented second check.',
  },
  3: {
    narrative: 'Review of the customs website, the published tariff and rulings, and the appeal procedure.',
    strengths: 'Tariff, procedures and fees are published online in two languages.',
    weaknesses: 'Advance rulings are not published and appeals take more than 90 days on average.',
  },
  4: {
    narrative: 'Walk-through of the single window and the risk-management module at the Port of Kessa.',
    strengths: 'Declarations are lodged electronically and assigned to officers automatically.',
    weaknesses: 'Cash payments remain at two border posts; automation stops at the inland depot.',
  },
  5: {
    narrative: 'Review of the modernisation plan 2023–2027 and of the post-clearance audit programme.',
    strengths: 'A modernisation plan with milestones is monitored by the management board.',
    weaknesses: 'Integrity risks are not assessed when procedures are redesigned.',
  },
  6: {
    narrative:
      'Review of the internal-affairs caseload, the disciplinary register 2023–2025 and the internal audit plan.',
    strengths: 'An internal affairs unit with its own investigators reports to the Commissioner General.',
    weaknesses: 'Cases take over a year on average; audit recommendations are tracked in a spreadsheet.',
  },
  7: {
    narrative: 'Review of the code of conduct, the declaration-of-assets register and gift registers.',
    strengths: 'The code of conduct was revised in 2024 and signed by every officer.',
    weaknesses: 'Asset declarations are filed but not verified against other sources.',
  },
  8: {
    narrative: 'Interviews with the human-resources director and a sample of 30 personnel files.',
    strengths:
      'Recruitment is by open competition with an external examiner; rotation rules exist for sensitive posts.',
    weaknesses: 'Rotation is applied irregularly and integrity training is a one-off at induction.',
  },
  9: {
    narrative: 'Staff survey (412 answers) and comparison of salary scales with the civil service.',
    strengths: 'Officers receive a performance allowance tied to clear criteria.',
    weaknesses: 'Staff report that promotions depend on connections; the merit procedure is not transparent.',
  },
  10: {
    narrative:
      'Interviews with the chamber of commerce, two freight forwarders and the customs brokers association.',
    strengths: 'A memorandum of understanding with the business community was signed in 2023.',
    weaknesses: 'The complaints hotline is little known; only 14 complaints were received in 2025.',
  },
};

type Rate = (factor: number, pos: number) => number | null;

async function campaign(
  svc: AssessmentsService,
  tx: TenantTx,
  tenantId: string,
  actor: Actor,
  opts: {
    title: string;
    team: { userId: string; role: TeamRole }[];
    start: string;
    end: string;
    rate: Rate;
    /** Only these factors are rated (in progress); default all. */
    factors?: number[];
    validate?: { at: string; by: Actor; note: string };
  },
) {
  const frameworks = (await svc.options(tx, 'en')).frameworks;
  const fw = frameworks.find((f) => f.urn === RAD_URN);
  if (!fw) return null;
  const a = await svc.create(
    tx,
    tenantId,
    actor,
    {
      title: opts.title,
      type: 'self',
      frameworkLibraryId: fw.libraryId,
      scopeUnitIds: [],
      startDate: opts.start,
      endDate: opts.end,
      team: opts.team,
    },
    'en',
  );
  await svc.transition(tx, tenantId, actor, a.id, { to: 'in_progress', version: a.version }, 'en');
  const items = await svc.items(tx, a.id, 'en');
  for (const f of items.factors) {
    if (opts.factors && !opts.factors.includes(f.factor)) continue;
    const notes = FACTOR_NOTES[f.factor];
    for (const [pos, i] of f.items.entries()) {
      const rating = opts.rate(f.factor, pos);
      await svc.saveResponse(
        tx,
        tenantId,
        actor,
        a.id,
        i.id,
        {
          version: i.response.version,
          rating,
          notApplicable: rating === null,
          naReason: rating === null ? 'The administration has no such activity (no free zones).' : null,
          narrative: pos === 0 ? (notes?.narrative ?? null) : null,
          strengths: pos === 0 && rating !== null && rating >= 2 ? (notes?.strengths ?? null) : null,
          weaknesses: pos === 1 || (rating !== null && rating <= 1) ? (notes?.weaknesses ?? null) : null,
          sources: pos % 2 === 0 ? ['desk_review', 'interview'] : ['desk_review'],
          confidence: rating === null ? null : rating >= 3 ? 'high' : 'medium',
        },
        'en',
      );
    }
  }
  if (!opts.validate) return a.id;
  const cur = await svc.find(tx, a.id);
  await svc.transition(tx, tenantId, actor, a.id, { to: 'in_review', version: cur.version }, 'en');
  const rev = await svc.find(tx, a.id);
  await svc.validate(
    tx,
    tenantId,
    opts.validate.by,
    a.id,
    { version: rev.version, note: opts.validate.note },
    'en',
  );
  const at = new Date(opts.validate.at);
  await q.backdate(tx, a.id, { createdAt: new Date(`${opts.start}T08:00:00Z`), validatedAt: at });
  return a.id;
}

// Deterministic "believable" ratings: a level per factor, items a step above or below.
const wobble = (pos: number) => [0, 1, -1, 0, 1, 0, -1, 0][pos % 8]!;
const clamp = (x: number) => Math.max(0, Math.min(4, x));

export async function seedDemo(k: Kernel): Promise<void> {
  const orgs = await new IdentityService(k).listAllOrganisations();
  const svc = new AssessmentsService(k);
  const actorOf = (userId: string) =>
    ({ userId, permissions: new Set(Object.values(P)) }) as unknown as Actor;
  const plans: {
    shortName: string;
    run: (tx: TenantTx, tenantId: string, people: Map<string, string>) => Promise<string | null>;
  }[] = [
    {
      shortName: 'Norland',
      run: async (tx, tenantId, people) => {
        const officer = people.get('integrity@norland.demo');
        const analyst = people.get('analyst@norland.demo');
        const exec = people.get('executive@norland.demo');
        const admin = people.get('orgadmin@norland.demo');
        if (!officer || !analyst || !exec) return null;
        const team = [
          { userId: officer, role: 'facilitator' as const },
          { userId: analyst, role: 'assessor' as const },
          { userId: exec, role: 'executive_sponsor' as const },
          ...(admin ? [{ userId: admin, role: 'observer' as const }] : []),
        ];
        const base24: Record<number, number> = {
          1: 2,
          2: 2,
          3: 2,
          4: 1,
          5: 1,
          6: 1,
          7: 2,
          8: 2,
          9: 1,
          10: 1,
        };
        const up25: Record<number, number> = { 1: 1, 2: 0, 3: 1, 4: 1, 5: 1, 6: 0, 7: 0, 8: 1, 9: 1, 10: 0 };
        const me = actorOf(officer);
        await campaign(svc, tx, tenantId, me, {
          title: 'RAD integrity self-assessment 2024',
          team,
          start: '2024-09-02',
          end: '2024-11-15',
          rate: (f, pos) => (f === 3 && pos === 5 ? null : clamp(base24[f]! + wobble(pos))),
          validate: {
            at: '2024-11-28T10:00:00Z',
            by: actorOf(exec),
            note: 'Validated by the Commissioner General at the management board of 28 November 2024.',
          },
        });
        const y25 = await campaign(svc, tx, tenantId, me, {
          title: 'RAD integrity self-assessment 2025',
          team,
          start: '2025-09-01',
          end: '2025-11-14',
          rate: (f, pos) => (f === 3 && pos === 5 ? null : clamp(base24[f]! + up25[f]! + wobble(pos))),
          validate: {
            at: '2025-11-20T10:00:00Z',
            by: actorOf(exec),
            note: 'Validated at the management board of 20 November 2025; results shared with the Integrity Fund.',
          },
        });
        await campaign(svc, tx, tenantId, me, {
          title: 'RAD integrity self-assessment 2026',
          team,
          start: '2026-09-07',
          end: '2026-11-13',
          factors: [1, 2, 3],
          rate: (f, pos) => (f === 3 && pos === 5 ? null : clamp(base24[f]! + up25[f]! + 1 + wobble(pos))),
        });
        return y25;
      },
    },
    {
      shortName: 'Sudmark',
      run: async (tx, tenantId, people) => {
        const officer = people.get('isc@sudmark.demo');
        if (!officer) return null;
        const lv: Record<number, number> = { 1: 3, 2: 2, 3: 3, 4: 2, 5: 2, 6: 1, 7: 2, 8: 3, 9: 2, 10: 2 };
        return campaign(svc, tx, tenantId, actorOf(officer), {
          title: 'Autoévaluation DAR 2025',
          team: [{ userId: officer, role: 'facilitator' }],
          start: '2025-03-03',
          end: '2025-05-30',
          rate: (f, pos) => clamp(lv[f]! + wobble(pos + 3)),
          validate: {
            at: '2025-06-12T09:00:00Z',
            by: actorOf(officer),
            note: 'Validée par le Directeur général.',
          },
        });
      },
    },
    {
      shortName: 'Estavia',
      run: async (tx, tenantId, people) => {
        const officer = people.get('integrity@norland.demo') ?? people.get('orgadmin@estavia.demo');
        if (!officer) return null;
        const lv: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 1, 5: 0, 6: 1, 7: 1, 8: 2, 9: 1, 10: 2 };
        return campaign(svc, tx, tenantId, actorOf(officer), {
          title: 'Autoevaluación DAR 2025',
          team: [{ userId: officer, role: 'facilitator' }],
          start: '2025-04-07',
          end: '2025-06-27',
          rate: (f, pos) => clamp(lv[f]! + wobble(pos + 5)),
          validate: {
            at: '2025-07-10T09:00:00Z',
            by: actorOf(officer),
            note: 'Validada por la Dirección General.',
          },
        });
      },
    },
  ];
  for (const p of plans) {
    const org = orgs.find((o) => o.shortName === p.shortName);
    if (!org) continue;
    await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
      if ((await q.listAssessments(tx)).length > 0) return;
      const people = new Map((await new Directory().members(tx)).map((m) => [m.email, m.userId]));
      const shareId = await p.run(tx, org.id, people);
      if (shareId) {
        const a = await svc.find(tx, shareId);
        await svc.share(tx, org.id, actorOf(a.createdBy), shareId);
      }
    });
  }
  k.log.info('assessments demo data seeded');
}
