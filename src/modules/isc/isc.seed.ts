import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, IdentityService } from '../identity/index.ts';
import type { SessionDetailT, WorkItemInputT } from './isc.contract.ts';
import { P } from './isc.permissions.ts';
import * as q from './isc.queries.ts';
import { IscService } from './isc.service.ts';

const directory = new Directory();

const WORK: WorkItemInputT[] = [
  {
    programme: '2022–2025',
    ref: 'WP-1',
    title: 'Update the Integrity Development Guide and the Model Code of Ethics and Conduct',
    coreFunction: 'sp1',
    leadKind: 'secretariat',
    leadName: '',
    status: 'done',
    deliverables: ['Revised IDG', 'Model Code commentary'],
    dueDate: '2024-06-30',
    public: true,
  },
  {
    programme: '2022–2025',
    ref: 'WP-2',
    title: 'Guidance on the pros and cons of staff rotation',
    coreFunction: 'sp1',
    leadKind: 'member',
    leadName: 'Norland Customs',
    status: 'in_progress',
    deliverables: ['Guidance note', 'Case studies from five Members'],
    dueDate: '2025-12-31',
    public: true,
  },
  {
    programme: '2022–2025',
    ref: 'WP-3',
    title: 'Exchange of experience on measuring integrity and anti-corruption effectiveness',
    coreFunction: 'sp2',
    leadKind: 'secretariat',
    leadName: '',
    status: 'in_progress',
    deliverables: ['Session on the Performance Measurement Mechanism', 'Compendium of indicators'],
    dueDate: '2025-06-30',
    public: false,
  },
  {
    programme: '2022–2025',
    ref: 'WP-4',
    title: 'Regional integrity workshops on corruption risk mapping',
    coreFunction: 'sp3',
    leadKind: 'member',
    leadName: 'Sudmark Customs',
    status: 'planned',
    deliverables: ['Three regional workshops'],
    dueDate: '2025-12-31',
    public: false,
  },
  {
    programme: '2022–2025',
    ref: 'WP-5',
    title: 'E-learning module on collective action with the private sector',
    coreFunction: 'sp3',
    leadKind: 'secretariat',
    leadName: '',
    status: 'dropped',
    deliverables: [],
    dueDate: '2024-12-31',
    public: false,
  },
];

/**
 * The WCO Secretariat's ISC records: the work programme, a past session (minutes adopted) and an
 * upcoming one, each with an agenda, and two recommendations. Idempotent.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const orgs = await new IdentityService(k).listAllOrganisations();
  const wco = orgs.find((o) => o.shortName === 'WCO');
  if (!wco) return;
  const svc = new IscService(k);
  await withTenant(k.db, { tenantId: wco.id, userId: null }, async (tx) => {
    if ((await q.listSessions(tx)).length > 0) return;
    const pm = (await directory.members(tx)).find((m) => m.roles.includes('programme_manager'));
    if (!pm) return;
    const actor = {
      userId: pm.userId,
      email: pm.email,
      permissions: new Set(Object.values(P)),
    } as unknown as Actor;
    const work = new Map<string, string>();
    for (const w of WORK) work.set(w.ref, (await svc.createWorkItem(tx, wco.id, actor, w)).id);

    const agenda = async (s: SessionDetailT, items: [string, string, string, string, string?, string?][]) => {
      for (const [number, titleEn, titleFr, presenter, workRef, outcome] of items)
        await svc.addAgendaItem(tx, wco.id, actor, s.id, {
          number,
          titleEn,
          titleFr,
          presenter,
          documentIds: [],
          workItemId: workRef ? work.get(workRef)! : null,
          outcome: outcome ?? '',
        });
    };

    const past = await svc.createSession(tx, wco.id, actor, {
      number: 25,
      theme: 'Rewards and sanctions; measuring the effect of anti-corruption measures',
      startDate: '2026-02-24',
      endDate: '2026-02-26',
      place: 'Brussels',
      online: false,
      participants: [
        {
          kind: 'member',
          name: 'Norland Customs',
          country: 'KE',
          category: null,
          delegatesCount: 2,
          delegates: [],
          organisationId: null,
        },
        {
          kind: 'member',
          name: 'Sudmark Customs',
          country: 'SN',
          category: null,
          delegatesCount: 3,
          delegates: [],
          organisationId: null,
        },
        {
          kind: 'observer',
          name: 'International Monetary Fund',
          country: null,
          category: 'International organisation',
          delegatesCount: 1,
          delegates: [],
          organisationId: null,
        },
        {
          kind: 'private_sector',
          name: 'International Chamber of Commerce',
          country: null,
          category: 'Business association',
          delegatesCount: null,
          delegates: ['A. Mensah'],
          organisationId: null,
        },
      ],
    });
    await agenda(past, [
      ['1', 'Adoption of the agenda', 'Adoption de l’ordre du jour', 'Chair', undefined, 'Adopted.'],
      [
        '2',
        'Rewards and sanctions regimes',
        'Régimes de récompenses et de sanctions',
        'Sudmark Customs',
        'WP-2',
        'Members shared their regimes; the Secretariat will compile them.',
      ],
      [
        '3',
        'Measuring integrity: the Performance Measurement Mechanism',
        'Mesurer l’intégrité : le mécanisme de mesure de la performance',
        'WCO Secretariat',
        'WP-3',
        'Recommendation R25-1 adopted.',
      ],
    ]);
    const adopted = await svc.updateSession(tx, wco.id, actor, past.id, {
      version: past.version,
      status: 'minutes_adopted',
      minutes:
        'The Sub-Committee heard Members on rewards and sanctions regimes and on measuring the effect of anti-corruption measures. It adopted recommendation R25-1 to the Policy Commission.',
      minutesAdoptedOn: '2026-04-15',
    });

    const next = await svc.createSession(tx, wco.id, actor, {
      number: 26,
      theme: 'Integrity in a digital Customs environment',
      startDate: '2027-03-02',
      endDate: '2027-03-04',
      place: null,
      online: true,
      participants: [
        {
          kind: 'member',
          name: 'Norland Customs',
          country: 'KE',
          category: null,
          delegatesCount: 2,
          delegates: [],
          organisationId: null,
        },
      ],
    });
    await svc.updateSession(tx, wco.id, actor, next.id, { version: next.version, status: 'convened' });
    await agenda(next, [
      ['1', 'Adoption of the agenda', 'Adoption de l’ordre du jour', 'Chair'],
      [
        '2',
        'Follow-up of the Work Programme 2022–2025',
        'Suivi du programme de travail 2022–2025',
        'WCO Secretariat',
        'WP-3',
      ],
      [
        '3',
        'Corruption risk mapping: regional workshops',
        'Cartographie des risques de corruption : ateliers régionaux',
        'Sudmark Customs',
        'WP-4',
      ],
    ]);

    const r1 = await svc.createRecommendation(tx, wco.id, actor, {
      ref: 'R25-1',
      text: 'Members use the Performance Measurement Mechanism to report on the effect of their integrity measures.',
      sessionId: adopted.id,
      proposedOn: '2026-02-26',
    });
    const s1 = await svc.changeStatus(tx, wco.id, actor, r1.id, {
      version: r1.version,
      status: 'submitted',
      on: '2026-06-10',
      note: 'Policy Commission, June session',
    });
    await svc.changeStatus(tx, wco.id, actor, r1.id, {
      version: s1.version,
      status: 'endorsed',
      on: '2026-06-12',
      note: '',
    });
    await svc.createRecommendation(tx, wco.id, actor, {
      ref: 'R25-2',
      text: 'The Secretariat publishes guidance on the pros and cons of staff rotation.',
      sessionId: adopted.id,
      proposedOn: '2026-02-26',
    });
  });
}
