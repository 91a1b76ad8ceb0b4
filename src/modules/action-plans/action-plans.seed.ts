import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, IdentityService } from '../identity/index.ts';
import type { TopRisk } from '../risks/index.ts';
import { P } from './action-plans.permissions.ts';
import * as q from './action-plans.queries.ts';
import { ActionPlansService } from './action-plans.service.ts';
import type { ActionStatus } from './action-plans.vocab.ts';
import { addDays, isoDay } from '../../platform/dates.ts';

const HORIZON = { start: '2026-01-01', end: '2028-12-31' };
const urn = (f: number, i: number) => `urn:arusha:rad:f${f}:i${i}`;
const clamp = (d: string) => (d < HORIZON.start ? HORIZON.start : d > HORIZON.end ? HORIZON.end : d);

interface SeedAction {
  objective: string;
  description: string;
  factor: number;
  gaps: string[];
  /** Matches a risk of the register by words of its title, when the register is seeded. */
  riskWords?: string[];
  unit: string;
  owner: string | null;
  start: string;
  /** A fixed date, or days from today (so "overdue" and "due soon" stay true in the demo). */
  due: string | number;
  status: ActionStatus;
  progress: number;
  budget?: number;
  evidence?: string;
  milestones: [string, string | number, boolean][];
}

const ACTIONS: SeedAction[] = [
  {
    objective: 'Adopt and publish the 2026–2028 integrity strategy with its own budget line',
    description:
      'Signed by the Commissioner General, published on the website and the intranet, with a budget line in the 2026 finance law.',
    factor: 1,
    gaps: [urn(1, 1)],
    unit: 'Headquarters',
    owner: 'integrity@norland.demo',
    start: '2026-01-15',
    due: '2026-04-30',
    status: 'done',
    progress: 100,
    budget: 15000,
    evidence: 'Strategy signed on 22 April 2026; published at customs.norland.example/integrity.',
    milestones: [
      ['Draft discussed with the executive committee', '2026-03-05', true],
      ['Strategy signed and published', '2026-04-30', true],
    ],
  },
  {
    objective: 'Re-issue the code of conduct (v3) and obtain every staff member’s acknowledgement',
    description:
      'Version 3 adds gifts, hospitality and conflicts of interest; acknowledgement through the HR portal.',
    factor: 7,
    gaps: [urn(7, 1), urn(7, 2), urn(7, 5)],
    unit: 'Internal Affairs',
    owner: 'integrity@norland.demo',
    start: '2026-02-01',
    due: -25,
    status: 'in_progress',
    progress: 70,
    budget: 8000,
    milestones: [
      ['Version 3 approved', '2026-04-15', true],
      ['80 % of staff acknowledged', -40, true],
      ['100 % of staff acknowledged', -25, false],
    ],
  },
  {
    objective: 'Train all frontline staff on the code with Customs case studies',
    description: 'Half-day workshops per office, led by trained integrity champions.',
    factor: 7,
    gaps: [urn(7, 3), urn(8, 6)],
    unit: 'Port of Kessa',
    owner: 'staff@norland.demo',
    start: '2026-05-01',
    due: 5,
    status: 'in_progress',
    progress: 60,
    budget: 22000,
    milestones: [
      ['Trainers certified', '2026-06-30', true],
      ['Port of Kessa and Lindi ICD trained', -10, false],
    ],
  },
  {
    objective: 'Assign declarations to examining officers at random in the clearance system',
    description: 'Replace the supervisor’s manual allocation at the Port of Kessa and Lindi ICD.',
    factor: 4,
    gaps: [urn(4, 3), urn(4, 4)],
    riskWords: ['assign', 'examin', 'allocation'],
    unit: 'Headquarters',
    owner: 'analyst@norland.demo',
    start: '2026-03-01',
    due: -60,
    status: 'delayed',
    progress: 45,
    budget: 60000,
    milestones: [
      ['Specification agreed with the IT vendor', '2026-05-15', true],
      ['Pilot at the Port of Kessa', -60, false],
    ],
  },
  {
    objective: 'Log every manual channel override with user, reason and time, and review the log monthly',
    description: 'Overrides from red to green without a recorded reason are escalated to Internal Affairs.',
    factor: 4,
    gaps: [urn(4, 5), urn(4, 6)],
    riskWords: ['override', 'channel', 'selectivity'],
    unit: 'Internal Affairs',
    owner: 'analyst@norland.demo',
    start: '2026-04-01',
    due: '2027-03-31',
    status: 'in_progress',
    progress: 30,
    budget: 18000,
    milestones: [['First monthly review report', '2026-10-31', true]],
  },
  {
    objective: 'Publish a rotation policy for vulnerable posts with a three-year maximum tenure',
    description: 'List of vulnerable posts (examination, valuation, border posts) and a rotation calendar.',
    factor: 8,
    gaps: [urn(8, 4), urn(8, 5)],
    riskWords: ['rotation', 'tenure', 'post'],
    unit: 'Headquarters',
    owner: 'orgadmin@norland.demo',
    start: '2026-06-01',
    due: '2027-06-30',
    status: 'not_started',
    progress: 0,
    budget: 5000,
    milestones: [['Vulnerable posts listed', '2027-01-31', false]],
  },
  {
    objective: 'Extend asset and interest declarations to all staff in vulnerable posts, with checks',
    description: 'Annual filing, random verification of 10 % of declarations by Internal Affairs.',
    factor: 8,
    gaps: [urn(8, 8), urn(1, 5)],
    unit: 'Internal Affairs',
    owner: 'investigator@norland.demo',
    start: '2026-03-01',
    due: -12,
    status: 'in_progress',
    progress: 80,
    budget: 12000,
    milestones: [['Filing campaign closed', -12, false]],
  },
  {
    objective: 'Open an anonymous whistleblowing channel for staff, traders and the public',
    description: 'Web form and hotline, handled by Internal Affairs with 60-day handling targets.',
    factor: 6,
    gaps: [urn(6, 4), urn(6, 5), urn(3, 6)],
    unit: 'Internal Affairs',
    owner: 'cases@norland.demo',
    start: '2026-02-15',
    due: '2026-09-30',
    status: 'done',
    progress: 100,
    budget: 25000,
    evidence: 'Channel live since 1 September 2026; 41 reports received in the first two months.',
    milestones: [
      ['Procedure approved', '2026-05-31', true],
      ['Channel live', '2026-09-01', true],
    ],
  },
  {
    objective: 'Map corruption risks at the Tamu and Mara Bridge border posts and plan controls',
    description: 'Facilitation-payment hotspots identified with staff and trader interviews.',
    factor: 6,
    gaps: [urn(6, 8), urn(5, 5)],
    riskWords: ['facilitation', 'border', 'payment'],
    unit: 'Tamu Border Post',
    owner: 'integrity@norland.demo',
    start: '2026-07-01',
    due: 20,
    status: 'in_progress',
    progress: 50,
    budget: 9000,
    milestones: [['Interviews completed', -5, true]],
  },
  {
    objective: 'Publish clearance-time service standards and quarterly results',
    description: 'Following the 2026 Time Release Study; results published on the website each quarter.',
    factor: 3,
    gaps: [urn(3, 4), urn(5, 3), urn(5, 6)],
    unit: 'Headquarters',
    owner: null,
    start: '2026-09-01',
    due: '2027-09-30',
    status: 'not_started',
    progress: 0,
    budget: 7000,
    milestones: [['First quarterly report', '2027-04-15', false]],
  },
  {
    objective: 'Sign a memorandum with the brokers’ association including a professional code of conduct',
    description: 'Integrity commitments, a complaint route and sanctions for brokers who offer bribes.',
    factor: 10,
    gaps: [urn(10, 2), urn(10, 3), urn(7, 6)],
    riskWords: ['broker'],
    unit: 'Headquarters',
    owner: 'executive@norland.demo',
    start: '2026-10-01',
    due: '2027-12-31',
    status: 'not_started',
    progress: 0,
    milestones: [['First consultation meeting', '2027-02-28', false]],
  },
  {
    objective: 'Run the staff integrity and morale survey and publish the results with an action list',
    description: 'Anonymous survey of all staff; results discussed in every region.',
    factor: 9,
    gaps: [urn(9, 1), urn(9, 2)],
    unit: 'Headquarters',
    owner: 'analyst@norland.demo',
    start: '2027-01-15',
    due: '2027-06-30',
    status: 'cancelled',
    progress: 0,
    evidence: 'Replaced by the national civil-service survey of 2027 (Customs sample enlarged).',
    milestones: [],
  },
];

const KPIS: {
  code: string;
  name: string;
  definition: string;
  unit: string;
  direction: 'increase' | 'decrease';
  baseline: number;
  target: number;
  factor: number;
  actions: number[];
  values: [string, number][];
}[] = [
  {
    code: 'COC-ACK',
    name: '% of staff who acknowledged the code of conduct',
    definition:
      'Staff who acknowledged the current version of the code ÷ staff in post, at the end of the quarter.',
    unit: '%',
    direction: 'increase',
    baseline: 41,
    target: 100,
    factor: 7,
    actions: [1],
    values: [
      ['2026-03-31', 41],
      ['2026-06-30', 58],
      ['2026-09-30', 83],
    ],
  },
  {
    code: 'CLR-TIME',
    name: 'Average clearance time (h)',
    definition:
      'Mean time from lodgement to release of import declarations, all offices (Time Release Study method).',
    unit: 'h',
    direction: 'decrease',
    baseline: 72,
    target: 24,
    factor: 5,
    actions: [9],
    values: [
      ['2026-03-31', 72],
      ['2026-06-30', 64],
      ['2026-09-30', 57],
    ],
  },
  {
    code: 'RND-ASSIGN',
    name: 'Share of declarations assigned randomly',
    definition:
      'Declarations allocated to an examining officer by the system at random ÷ all declarations examined.',
    unit: '%',
    direction: 'increase',
    baseline: 0,
    target: 90,
    factor: 4,
    actions: [3],
    values: [
      ['2026-06-30', 0],
      ['2026-09-30', 12],
    ],
  },
  {
    code: 'ASSET-DECL',
    name: 'Asset declarations filed on time (%)',
    definition: 'Declarations filed by the deadline ÷ staff in vulnerable posts required to file.',
    unit: '%',
    direction: 'increase',
    baseline: 55,
    target: 95,
    factor: 8,
    actions: [6],
    values: [
      ['2026-03-31', 55],
      ['2026-09-30', 78],
    ],
  },
  {
    code: 'COMPL-60',
    name: 'Integrity complaints handled within 60 days (%)',
    definition:
      'Complaints closed or referred within 60 days of receipt ÷ complaints received in the period.',
    unit: '%',
    direction: 'increase',
    baseline: 35,
    target: 85,
    factor: 6,
    actions: [7],
    values: [
      ['2026-06-30', 35],
      ['2026-09-30', 52],
    ],
  },
];

/** The id of the first risk whose title holds one of these words. */
function riskIdsFor(risks: TopRisk[], words: string[] | undefined): string[] {
  if (!words) return [];
  const hit = risks.find((r) => words.some((w) => r.title.toLowerCase().includes(w)));
  return hit ? [hit.id] : [];
}

/**
 * Norland's 2026–2028 Integrity Action Plan, approved by the executive, with twelve actions
 * across the factors (some overdue, some due soon, relative to today) and five KPIs.
 * Idempotent: does nothing when Norland already has a plan.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  const today = isoDay(new Date());
  const day = (d: string | number) => clamp(typeof d === 'number' ? addDays(today, d) : d);
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if ((await q.listPlans(tx)).length > 0) return;
    const directory = new Directory();
    const members = await directory.members(tx);
    const byRole = (role: string) => members.find((m) => m.roles.includes(role))?.userId;
    const people = new Map(members.map((m) => [m.email, m.userId]));
    const units = new Map((await directory.units(tx)).map((u) => [u.name, u.id]));
    const officer = people.get('integrity@norland.demo') ?? byRole('integrity_officer');
    const executive = people.get('executive@norland.demo') ?? byRole('executive');
    if (!officer || !executive) return;
    const actor = (userId: string) =>
      ({ userId, permissions: new Set(Object.values(P)) }) as unknown as Actor;
    const svc = new ActionPlansService(k, () => new Date('2026-01-20T09:30:00Z'));
    const plan = await svc.createPlan(tx, org.id, actor(officer), {
      title: 'Norland Customs Integrity Action Plan 2026–2028',
      horizonStart: HORIZON.start,
      horizonEnd: HORIZON.end,
      fundingSource: 'National budget (integrity line) and the Integrity Fund grant IF-2026-07',
    });
    await svc.approvePlan(tx, org.id, actor(executive), plan.id, {
      version: plan.version,
      note: 'Approved by the executive committee, meeting of 20 January 2026 (minute 4).',
    });
    const risks = await svc.links.topRisks(tx, 200, 'en');
    const created: { id: string }[] = [];
    for (const a of ACTIONS) {
      const [row] = await svc.createActions(
        tx,
        org.id,
        actor(officer),
        plan.id,
        [
          {
            objective: a.objective,
            description: a.description,
            factor: a.factor,
            gapItemUrns: a.gaps,
            riskIds: riskIdsFor(risks, a.riskWords),
            ownerUnitId: units.get(a.unit) ?? null,
            ownerUserId: a.owner ? (people.get(a.owner) ?? null) : null,
            startDate: day(a.start),
            dueDate: [day(a.due), day(a.start)].sort()[1]!,
            budget: a.budget ?? null,
            currency: a.budget ? 'EUR' : null,
            status: a.status,
            milestones: a.milestones.map(([title, due]) => ({ title, dueDate: day(due) })),
          },
        ],
        'manual',
      );
      const doneMs = row!.milestones.filter((_, i) => a.milestones[i]?.[2]);
      for (const m of doneMs)
        await svc.updateMilestone(tx, org.id, actor(officer), m.id, { version: m.version, done: true });
      if (a.progress !== row!.progress || a.evidence)
        await svc.updateAction(tx, org.id, actor(officer), row!.id, {
          version: row!.version,
          progress: a.progress,
          evidence: a.evidence ?? null,
        });
      created.push(row!);
    }
    await svc.updatePlan(tx, org.id, actor(officer), plan.id, {
      version: (await q.findPlan(tx, plan.id))!.version,
      status: 'in_progress',
    });
    for (const kpi of KPIS) {
      const row = await svc.createKpi(tx, org.id, actor(officer), {
        planId: plan.id,
        code: kpi.code,
        name: kpi.name,
        definition: kpi.definition,
        unit: kpi.unit,
        direction: kpi.direction,
        baseline: kpi.baseline,
        target: kpi.target,
        targetDate: HORIZON.end,
        factor: kpi.factor,
        actionIds: kpi.actions.map((i) => created[i]!.id),
      });
      for (const [periodEnd, value] of kpi.values)
        await svc.recordValue(tx, org.id, actor(officer), row.id, { periodEnd, value });
    }
  });
  k.log.info('action plans demo data seeded');
}
