import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import type { ControlInput, CreateRiskInput } from './risks.contract.ts';
import { P } from './risks.permissions.ts';
import { risks } from './risks.schema.ts';
import { RisksService } from './risks.service.ts';
import type { RiskScheme, Treatment } from './risks.vocab.ts';
import { addDays, isoDay } from '../../platform/dates.ts';

type C = [string, 'preventive' | 'detective', boolean, ControlInput['effectiveness']];
interface SeedRisk {
  process: string;
  title: string;
  description: string;
  scheme: RiskScheme;
  actors: string[];
  drivers: string;
  factors: number[];
  unit: string | null;
  owner: string | null;
  /** inherent [L, I], residual at the first workshop [L, I], residual now [L, I] */
  inherent: [number, number];
  before: [number, number];
  now: [number, number];
  treatment: Treatment;
  treatmentNote?: string;
  controls: C[];
  /** Days from today to the next review (negative: overdue); null: never reviewed. */
  review: number | null;
  /** Added after the first workshop. */
  late?: boolean;
}

const RISKS: SeedRisk[] = [
  {
    process: 'valuation',
    title: 'Valuation: officers accept undervalued invoices in exchange for payments',
    description:
      'Declared values of used vehicles and textiles are accepted well below reference prices when brokers pay the assessing officer.',
    scheme: 'bribery',
    actors: ['valuation officer', 'customs broker', 'importer'],
    drivers:
      'Wide discretion over value; reference price database incomplete; officers stay years in the same post.',
    factors: [4, 6, 8],
    unit: 'Port of Kessa',
    owner: 'integrity@norland.demo',
    inherent: [5, 4],
    before: [4, 4],
    now: [3, 4],
    treatment: 'reduce',
    treatmentNote: 'Extend the valuation database to textiles; rotate assessing officers every three years.',
    controls: [
      [
        'Valuation database alerts on declared values below 70 % of reference',
        'detective',
        true,
        'partially_effective',
      ],
      ['Supervisor sign-off on value uplifts waived above NOR 10,000', 'preventive', false, 'effective'],
    ],
    review: 40,
  },
  {
    process: 'examination',
    title: 'Examination: selectivity override to green by supervisors',
    description:
      'Supervisors re-route red-channel declarations to green without a recorded reason, for known importers.',
    scheme: 'manipulated_assignment',
    actors: ['shift supervisor', 'importer'],
    drivers: 'Override rights not logged with a reason; no review of overrides by the risk unit.',
    factors: [4, 6],
    unit: 'Port of Kessa',
    owner: 'analyst@norland.demo',
    inherent: [4, 5],
    before: [4, 5],
    now: [2, 5],
    treatment: 'reduce',
    treatmentNote: 'Mandatory reason for every override; weekly override report to the risk unit.',
    controls: [
      ['Override reason mandatory in the clearance system', 'preventive', true, 'effective'],
      ['Weekly override report reviewed by the risk management unit', 'detective', false, 'effective'],
    ],
    review: 75,
  },
  {
    process: 'examination',
    title: 'Examination: manipulated allocation of declarations to chosen inspectors',
    description: 'Declarations are steered to a particular inspector by timing submissions to his shift.',
    scheme: 'manipulated_assignment',
    actors: ['inspector', 'customs broker'],
    drivers: 'Allocation by queue order within a shift; brokers know the rota.',
    factors: [4],
    unit: 'Lindi Inland Container Depot',
    owner: 'analyst@norland.demo',
    inherent: [4, 4],
    before: [4, 4],
    now: [4, 3],
    treatment: 'reduce',
    treatmentNote: 'Random allocation across shifts (action plan item).',
    controls: [['Random allocation of declarations (pilot)', 'preventive', true, 'untested']],
    review: 20,
  },
  {
    process: 'passengers',
    title: 'Passengers: facilitation payments at the Tamu border post',
    description: 'Small-scale travellers and traders pay to avoid inspection or to have duties waived.',
    scheme: 'extortion',
    actors: ['passenger officer', 'small trader'],
    drivers: 'Cash payments; no receipts for small duties; low salaries at remote posts.',
    factors: [3, 8, 9],
    unit: 'Tamu Border Post',
    owner: 'integrity@norland.demo',
    inherent: [5, 3],
    before: [5, 3],
    now: [4, 3],
    treatment: 'reduce',
    controls: [
      ['Posters and SMS line for complaints at the post', 'detective', false, 'partially_effective'],
      ['Mobile payment of duties with a printed receipt', 'preventive', true, 'untested'],
    ],
    review: -12,
  },
  {
    process: 'seized_goods',
    title: 'Seized goods: pilferage in warehouses',
    description:
      'Seized cigarettes, alcohol and electronics disappear between seizure and destruction or auction.',
    scheme: 'embezzlement',
    actors: ['warehouse keeper', 'seizing officer'],
    drivers: 'Paper inventory; one keeper holds the keys; destruction not witnessed.',
    factors: [6],
    unit: 'Lindi Inland Container Depot',
    owner: 'investigator@norland.demo',
    inherent: [4, 3],
    before: [4, 3],
    now: [2, 3],
    treatment: 'reduce',
    controls: [
      ['Electronic seizure register with photographs', 'preventive', true, 'effective'],
      ['Destruction witnessed by Internal Affairs', 'detective', false, 'effective'],
    ],
    review: 150,
  },
  {
    process: 'recruitment',
    title: 'Recruitment: nepotism in entry exams',
    description:
      'Relatives of senior officers obtain exam papers in advance or are favoured at the interview.',
    scheme: 'nepotism',
    actors: ['exam board member', 'senior officer', 'candidate'],
    drivers: 'Papers set and marked in-house; interview panel without external members.',
    factors: [8],
    unit: 'Headquarters',
    owner: 'orgadmin@norland.demo',
    inherent: [3, 4],
    before: [3, 4],
    now: [3, 4],
    treatment: 'transfer',
    treatmentNote: 'Entry exams outsourced to the Public Service Commission from 2026.',
    controls: [],
    review: 200,
  },
  {
    process: 'promotion_postings',
    title: 'Postings: payments for lucrative posts and long tenure at the same post',
    description: 'Officers pay to be posted to the port or to stay there beyond the rotation period.',
    scheme: 'bribery',
    actors: ['HR officer', 'director', 'officer'],
    drivers: 'Rotation rule not enforced; postings decided without published criteria.',
    factors: [1, 8],
    unit: 'Headquarters',
    owner: 'orgadmin@norland.demo',
    inherent: [4, 4],
    before: [4, 4],
    now: [4, 4],
    treatment: 'reduce',
    controls: [['Rotation policy (maximum four years per post)', 'preventive', false, 'ineffective']],
    review: -30,
  },
  {
    process: 'post_clearance_audit',
    title: 'Post-clearance audit: audit findings dropped after contacts with the trader',
    description:
      'Audit findings are reduced or closed without approval after informal meetings with the audited company.',
    scheme: 'collusion',
    actors: ['auditor', 'company director'],
    drivers: 'No second review of closed findings; auditors choose their own files.',
    factors: [6],
    unit: 'Headquarters',
    owner: 'integrity@norland.demo',
    inherent: [3, 5],
    before: [3, 5],
    now: [2, 5],
    treatment: 'reduce',
    controls: [['Second review of every finding closed below NOR 50,000', 'detective', false, 'effective']],
    review: 60,
  },
  {
    process: 'transit',
    title: 'Transit: fictitious discharge of transit declarations',
    description:
      'Transit movements are discharged at the office of destination although the goods never arrived.',
    scheme: 'fraudulent_documentation',
    actors: ['office of destination officer', 'transporter'],
    drivers: 'Manual discharge; no electronic seals on high-risk corridors.',
    factors: [4, 6],
    unit: 'Mara Bridge Border Post',
    owner: 'analyst@norland.demo',
    inherent: [3, 5],
    before: [3, 5],
    now: [3, 4],
    treatment: 'reduce',
    controls: [['Electronic seals on the Kessa–Mara corridor', 'preventive', true, 'partially_effective']],
    review: 90,
  },
  {
    process: 'exemptions_suspense_drawback',
    title: 'Exemptions: diversion of duty-free goods with officer complicity',
    description:
      'Goods imported duty-free for projects or diplomats are sold on the local market with the help of officers.',
    scheme: 'collusion',
    actors: ['exemptions officer', 'importer'],
    drivers: 'End-use not checked after release; exemption files on paper.',
    factors: [2, 6],
    unit: 'Headquarters',
    owner: 'integrity@norland.demo',
    inherent: [4, 4],
    before: [4, 4],
    now: [3, 4],
    treatment: 'reduce',
    controls: [['End-use checks on a sample of exempted consignments', 'detective', false, 'untested']],
    review: 5,
    late: true,
  },
  {
    process: 'licensing_aeo',
    title: 'Licensing: broker licences granted for payments',
    description:
      'Customs broker licences are granted to applicants who do not meet the criteria, against payment.',
    scheme: 'bribery',
    actors: ['licensing officer', 'applicant broker'],
    drivers: 'Criteria not published; one officer decides.',
    factors: [2, 3, 10],
    unit: 'Headquarters',
    owner: 'executive@norland.demo',
    inherent: [3, 3],
    before: [3, 3],
    now: [2, 3],
    treatment: 'reduce',
    controls: [['Licensing committee of three with published criteria', 'preventive', false, 'effective']],
    review: 300,
  },
  {
    process: 'classification',
    title: 'Classification: goods declared under lower-duty headings against payment',
    description: 'Officers accept manifestly wrong tariff headings for a share of the duty saved.',
    scheme: 'bribery',
    actors: ['classification officer', 'customs broker'],
    drivers: 'Complex tariff; no binding tariff information; little post-release control.',
    factors: [4, 6],
    unit: 'Port of Kessa',
    owner: 'analyst@norland.demo',
    inherent: [4, 3],
    before: [4, 3],
    now: [3, 3],
    treatment: 'reduce',
    controls: [
      [
        'Risk profile on heading changes between declarations of the same importer',
        'detective',
        true,
        'effective',
      ],
    ],
    review: 100,
  },
  {
    process: 'procurement',
    title: 'Procurement: tailored specifications for scanners and IT',
    description:
      'Technical specifications written around one supplier; evaluation committee members linked to the bidder.',
    scheme: 'collusion',
    actors: ['procurement officer', 'supplier', 'evaluation committee'],
    drivers: 'Few qualified bidders; conflict-of-interest declarations not checked.',
    factors: [2, 3],
    unit: 'Headquarters',
    owner: 'executive@norland.demo',
    inherent: [3, 4],
    before: [3, 4],
    now: [2, 4],
    treatment: 'accept',
    treatmentNote: 'Residual risk accepted while the national procurement authority reviews large tenders.',
    controls: [
      [
        'Tenders above NOR 1 m reviewed by the national procurement authority',
        'preventive',
        false,
        'effective',
      ],
    ],
    review: 250,
  },
  {
    process: 'revenue_accounting',
    title: 'Revenue accounting: cash duties not banked',
    description: 'Duties paid in cash at border posts are recorded late or not at all.',
    scheme: 'embezzlement',
    actors: ['cashier', 'post chief'],
    drivers: 'Cash collection at remote posts; reconciliation monthly.',
    factors: [4, 6],
    unit: 'Mara Bridge Border Post',
    owner: 'integrity@norland.demo',
    inherent: [3, 4],
    before: [3, 4],
    now: [1, 4],
    treatment: 'avoid',
    treatmentNote: 'Cash payments abolished at border posts: bank and mobile payment only.',
    controls: [['Cashless payment at all border posts', 'preventive', true, 'effective']],
    review: 330,
    late: true,
  },
  {
    process: 'clearance',
    title: 'Clearance: information leak on planned inspections to brokers',
    description: 'Brokers learn in advance which consignments will be inspected and arrange substitutions.',
    scheme: 'information_leak',
    actors: ['risk unit officer', 'customs broker'],
    drivers: 'Inspection lists printed and shared by e-mail; broad access to the risk engine.',
    factors: [4, 7],
    unit: 'Port of Kessa',
    owner: 'analyst@norland.demo',
    inherent: [3, 4],
    before: [3, 4],
    now: [3, 3],
    treatment: 'reduce',
    controls: [],
    review: -3,
  },
];

/** Norland's corruption risk register: 15 risks, controls, two snapshots. Idempotent. */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if ((await tx.select({ id: risks.id }).from(risks).limit(1)).length) return;
    const { members, units } = await new RisksService(k).people(tx);
    const person = (email: string | null) => members.find((m) => m.email === email)?.userId ?? null;
    const officer = person('integrity@norland.demo');
    const executive = person('executive@norland.demo');
    if (!officer || !executive) return;
    const actor = (userId: string) =>
      ({ userId, permissions: new Set(Object.values(P)) }) as unknown as Actor;
    const now = new Date();
    const today = isoDay(now);
    const workshop = new Date(`${addDays(today, -120)}T10:00:00Z`);
    const early = new RisksService(k, () => workshop);
    const svc = new RisksService(k, () => now);
    await svc.ensureProcesses(tx, org.id);
    const processes = await svc.processes(tx, org.id, 'en');
    /** The risk's controls, tested `testedDays` from today (untested ones: never). */
    const controls = (r: SeedRisk, testedDays: number): ControlInput[] =>
      r.controls.map(([description, kind, automated, effectiveness]) => ({
        description,
        kind,
        automated,
        effectiveness,
        lastTestedOn: effectiveness === 'untested' ? null : addDays(today, testedDays),
      }));
    const input = (r: SeedRisk, residual: [number, number], cs: ControlInput[]): CreateRiskInput => ({
      processId: processes.find((p) => p.code === r.process)!.id,
      title: r.title,
      description: r.description,
      scheme: r.scheme,
      actors: r.actors,
      drivers: r.drivers,
      factors: r.factors,
      orgUnitId: units.find((u) => u.name === r.unit)?.id ?? null,
      ownerUserId: person(r.owner),
      inherentLikelihood: r.inherent[0],
      inherentImpact: r.inherent[1],
      residualLikelihood: residual[0],
      residualImpact: residual[1],
      treatment: r.treatment,
      treatmentNote: r.treatmentNote ?? null,
      controls: cs,
    });
    const made: { r: SeedRisk; id: string; version: number }[] = [];
    // The register as it stood at the first workshop.
    for (const r of RISKS.filter((x) => !x.late)) {
      const created = await early.create(
        tx,
        org.id,
        actor(officer),
        input(
          r,
          r.before,
          controls(r, -150).filter((c) => c.effectiveness !== 'untested'),
        ),
        'en',
      );
      made.push({ r, id: created.id, version: created.version });
    }
    await early.takeSnapshot(tx, org.id, actor(officer), 'Corruption risk mapping workshop (baseline)');
    // Since then: new controls, re-ratings, two new risks.
    for (const m of made) {
      const updated = await svc.updateRisk(
        tx,
        org.id,
        actor(officer),
        m.id,
        {
          residualLikelihood: m.r.now[0],
          residualImpact: m.r.now[1],
          controls: controls(m.r, -20),
          version: m.version,
        },
        'en',
      );
      m.version = updated.version;
    }
    for (const r of RISKS.filter((x) => x.late)) {
      const created = await svc.create(tx, org.id, actor(officer), input(r, r.now, controls(r, -10)), 'en');
      made.push({ r, id: created.id, version: created.version });
    }
    // The procurement risk's acceptance is approved by the executive.
    const acc = made.find((m) => m.r.treatment === 'accept');
    if (acc) {
      const d = await svc.decideAcceptance(
        tx,
        org.id,
        actor(executive),
        acc.id,
        {
          decision: 'approve',
          note: 'Executive committee, minute 7: accepted until the 2027 review.',
          version: acc.version,
        },
        'en',
      );
      acc.version = d.version;
    }
    // Review calendar: some reviews are due soon, some overdue.
    for (const m of made)
      if (m.r.review !== null)
        await tx
          .update(risks)
          .set({
            nextReviewOn: addDays(today, m.r.review),
            lastReviewedAt: new Date(`${addDays(today, Math.min(-1, m.r.review - 180))}T09:00:00Z`),
          })
          .where(eq(risks.id, m.id));
    await svc.takeSnapshot(tx, org.id, actor(officer), 'Annual review');
  });
}
