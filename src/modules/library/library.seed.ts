import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, IdentityService } from '../identity/index.ts';
import type { EntryInputT } from './library.contract.ts';
import * as q from './library.queries.ts';
import { LibraryService } from './library.service.ts';

const directory = new Directory();

const NORLAND_PUBLISHED: EntryInputT = {
  title: 'Random assignment of declarations to examining officers',
  summary:
    'The clearance system assigns each declaration selected for examination to an officer drawn at random, so that neither brokers nor officers choose who examines what.',
  factors: [4, 6],
  type: 'case_study',
  anonymous: false,
  whatDone:
    'A random draw among the officers on duty at the office, recorded with the declaration; reassignment only by a supervisor, with a reason, and reviewed monthly by the integrity unit.',
  whatChanged: 'Complaints of facilitation payments fell, and examinations were spread more evenly.',
  measures: [
    { label: 'Complaints of facilitation payments per year', before: '41', after: '12', unit: 'complaints' },
    { label: 'Share of examinations by the top 10% of officers', before: '38', after: '14', unit: '%' },
  ],
  language: 'en',
  translations: [],
};

const SUDMARK_PUBLISHED: EntryInputT = {
  title: 'Renforcement du contrôle interne dans les bureaux de douane',
  summary:
    'Une inspection des services rattachée au directeur général contrôle chaque trimestre les recettes, les exonérations et les mainlevées des bureaux.',
  factors: [6, 1],
  type: 'policy',
  anonymous: false,
  whatDone: 'Création de l’inspection, programme annuel de contrôles, rapports au directeur général.',
  whatChanged: 'Les écarts de recettes constatés ont diminué de moitié en deux ans.',
  measures: [],
  language: 'fr',
  translations: [],
};

const NORLAND_PENDING: EntryInputT = {
  title: 'Gift register with a public threshold',
  summary:
    'Officers declare every gift above a published threshold in an online register reviewed by the integrity unit.',
  factors: [7],
  type: 'tool',
  anonymous: true,
  whatDone: 'An online form, a threshold published on the website, a quarterly review.',
  whatChanged: '',
  measures: [],
  language: 'en',
  translations: [],
};

/**
 * Two published entries (Norland in English, Sudmark in French) and one Norland submission
 * waiting in the Secretariat's moderation queue. Idempotent.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const orgs = await new IdentityService(k).listAllOrganisations();
  const by = (short: string) => orgs.find((o) => o.shortName === short);
  const [wco, norland, sudmark] = [by('WCO'), by('Norland'), by('Sudmark')];
  if (!wco || !norland || !sudmark) return;
  const svc = new LibraryService(k);
  /** The organisation's first member holding this role (the demo's integrity officer, ISC delegate, programme manager). */
  const actorIn = async (tenantId: string, role: string) =>
    withTenant(k.db, { tenantId, userId: null }, async (tx) => {
      const m = (await directory.members(tx)).find((p) => p.roles.includes(role));
      return m ? ({ userId: m.userId, email: m.email } as unknown as Actor) : undefined;
    });
  const officer = await actorIn(norland.id, 'integrity_officer');
  const sudmarkOfficer = await actorIn(sudmark.id, 'integrity_officer');
  const moderator = await actorIn(wco.id, 'programme_manager');
  if (!officer || !sudmarkOfficer || !moderator) return;

  const contribute = (tenantId: string, actor: Actor, input: EntryInputT) =>
    withTenant(k.db, { tenantId, userId: actor.userId }, async (tx) => {
      const e = await svc.createEntry(tx, tenantId, actor, input);
      await svc.submit(tx, tenantId, actor, e.id, e.version);
      return e.id;
    });
  const fresh = await withTenant(k.db, { tenantId: norland.id, userId: null }, async (tx) =>
    (await q.listEntries(tx)).every((e) => e.title !== NORLAND_PUBLISHED.title),
  );
  if (!fresh) return;
  const published = [
    await contribute(norland.id, officer, NORLAND_PUBLISHED),
    await contribute(sudmark.id, sudmarkOfficer, SUDMARK_PUBLISHED),
  ];
  await contribute(norland.id, officer, NORLAND_PENDING);
  await withTenant(k.db, { tenantId: wco.id, userId: moderator.userId }, async (tx) => {
    for (const s of await svc.queue(tx))
      if (published.includes(s.entryId))
        await svc.decide(tx, wco.id, moderator, s.id, { version: s.version, decision: 'publish' });
  });
}
