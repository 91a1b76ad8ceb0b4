import { and, eq } from 'drizzle-orm';
import { withSystem } from '../../platform/db/system.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { RoleId } from '../../platform/access/permissions.ts';
import { hashPassword } from './identity.crypto.ts';
import { IdentityService } from './identity.service.ts';
import { memberships, orgUnits, organisations } from './identity.schema.ts';

/** Every demo account uses this password (README, "Demo logins"). Demo data is refused in production. */
export const DEMO_PASSWORD = 'Arusha-demo-2026';

type OrgKey = 'wco' | 'norland' | 'sudmark' | 'estavia' | 'donor';

/**
 * The demo organisations. Their names are fictional, but each carries the real ISO 3166-1 code of
 * a country it stands in for, in its WCO region, so that country-keyed views (the Secretariat's
 * world map of A-CIP partners, docs/adr/0032) show them: Norland → Kenya (KE, East and Southern
 * Africa), Sudmark → Senegal (SN, West and Central Africa, French-speaking), Estavia → Peru (PE,
 * Americas and Caribbean, Spanish-speaking), the demo donor → Sweden (SE). The stand-ins are for
 * the map only: no demo figure describes those countries' administrations.
 */
export const DEMO_ORGANISATIONS: Record<OrgKey, Parameters<IdentityService['createOrganisation']>[1]> = {
  wco: {
    type: 'secretariat',
    name: 'WCO Secretariat (demo)',
    shortName: 'WCO',
    country: 'BE',
    wcoRegion: 'EUR',
  },
  norland: {
    type: 'administration',
    name: 'Norland Customs (demo)',
    shortName: 'Norland',
    country: 'KE',
    wcoRegion: 'ESA',
  },
  sudmark: {
    type: 'administration',
    name: 'Sudmark Customs (demo)',
    shortName: 'Sudmark',
    country: 'SN',
    wcoRegion: 'WCA',
    defaultLocale: 'fr',
  },
  estavia: {
    type: 'administration',
    name: 'Estavia Customs (demo)',
    shortName: 'Estavia',
    country: 'PE',
    wcoRegion: 'AMC',
    defaultLocale: 'es',
  },
  donor: {
    type: 'donor',
    name: 'Integrity Fund (demo donor)',
    shortName: 'IFund',
    country: 'SE',
    wcoRegion: null,
  },
};

export const DEMO_USERS: {
  email: string;
  name: string;
  org: OrgKey;
  roles: RoleId[];
  also?: [OrgKey, RoleId[]][];
  platformAdmin?: boolean;
  /** The org unit the member works in (by name), in their first organisation. */
  unit?: string;
}[] = [
  {
    email: 'admin@wco.demo',
    name: 'Amina Platform',
    org: 'wco',
    roles: ['platform_admin'],
    platformAdmin: true,
  },
  { email: 'programme@wco.demo', name: 'Pierre Programme', org: 'wco', roles: ['programme_manager'] },
  {
    email: 'orgadmin@norland.demo',
    name: 'Olga Admin',
    org: 'norland',
    roles: ['org_admin'],
    unit: 'Headquarters',
  },
  {
    email: 'integrity@norland.demo',
    name: 'Ines Integrity',
    org: 'norland',
    roles: ['integrity_officer'],
    also: [['estavia', ['integrity_officer']]],
    unit: 'Internal Affairs',
  },
  {
    email: 'cases@norland.demo',
    name: 'Carlos Cases',
    org: 'norland',
    roles: ['case_handler'],
    unit: 'Internal Affairs',
  },
  {
    email: 'investigator@norland.demo',
    name: 'Ivan Investigator',
    org: 'norland',
    roles: ['investigator'],
    unit: 'Internal Affairs',
  },
  {
    email: 'analyst@norland.demo',
    name: 'Ana Analyst',
    org: 'norland',
    roles: ['analyst'],
    unit: 'Northern Region',
  },
  {
    email: 'executive@norland.demo',
    name: 'Eric Executive',
    org: 'norland',
    roles: ['executive'],
    unit: 'Northern Region',
  },
  {
    email: 'staff@norland.demo',
    name: 'Samuel Staff',
    org: 'norland',
    roles: ['staff'],
    unit: 'Lindi Inland Container Depot',
  },
  {
    email: 'manager@norland.demo',
    name: 'Lucia Manager',
    org: 'norland',
    roles: ['line_manager'],
    unit: 'Lindi Inland Container Depot',
  },
  { email: 'orgadmin@sudmark.demo', name: 'Odile Admin', org: 'sudmark', roles: ['org_admin'] },
  {
    email: 'isc@sudmark.demo',
    name: 'Issa Delegate',
    org: 'sudmark',
    roles: ['isc_delegate', 'integrity_officer'],
    also: [['wco', ['isc_delegate']]],
  },
  { email: 'orgadmin@estavia.demo', name: 'Elena Admin', org: 'estavia', roles: ['org_admin'] },
  { email: 'donor@ifund.demo', name: 'Dana Donor', org: 'donor', roles: ['donor_viewer'] },
];

const UNITS: Record<'norland' | 'sudmark' | 'estavia', [string, string, string][]> = {
  // [region name, office name, border post name]
  norland: [
    ['Northern Region', 'Port of Kessa', 'Tamu Border Post'],
    ['Southern Region', 'Lindi Inland Container Depot', 'Mara Bridge Border Post'],
  ],
  sudmark: [
    ['Région Centre', 'Bureau du port de Sabla', 'Poste frontière de Kora'],
    ['Région Nord', 'Aéroport international de Dinga', 'Poste frontière de Naro'],
  ],
  estavia: [['Región Costa', 'Aduana del Puerto de Valmar', 'Paso fronterizo Los Altos']],
};

/** Idempotent: does nothing when organisations already exist. */
export async function seedDemo(k: Kernel): Promise<void> {
  const existing = await k.db.owner.select({ id: organisations.id }).from(organisations).limit(1);
  if (existing.length) return;
  const svc = new IdentityService(k);
  const ids = {} as Record<OrgKey, string>;
  for (const [key, org] of Object.entries(DEMO_ORGANISATIONS) as [
    OrgKey,
    (typeof DEMO_ORGANISATIONS)[OrgKey],
  ][])
    ids[key] = (await svc.createOrganisation(null, org)).id;
  for (const key of ['norland', 'sudmark', 'estavia'] as const) {
    await withSystem(k.db, async (tx) => {
      const [hq] = await tx
        .insert(orgUnits)
        .values({ tenantId: ids[key], type: 'headquarters', name: 'Headquarters', code: 'HQ' })
        .returning();
      await tx.insert(orgUnits).values({
        tenantId: ids[key],
        parentId: hq!.id,
        type: 'ia_unit',
        name: 'Internal Affairs',
        code: 'IA',
      });
      for (const [i, [region, office, post]] of UNITS[key].entries()) {
        const [r] = await tx
          .insert(orgUnits)
          .values({ tenantId: ids[key], parentId: hq!.id, type: 'region', name: region, code: `R${i + 1}` })
          .returning();
        await tx.insert(orgUnits).values({
          tenantId: ids[key],
          parentId: r!.id,
          type: 'office',
          name: office,
          code: `R${i + 1}-O1`,
        });
        await tx.insert(orgUnits).values({
          tenantId: ids[key],
          parentId: r!.id,
          type: 'border_post',
          name: post,
          code: `R${i + 1}-B1`,
        });
      }
    });
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    const user = await svc.ensureUser({
      email: u.email,
      name: u.name,
      passwordHash,
      isPlatformAdmin: u.platformAdmin ?? false,
    });
    await svc.addMembership(ids[u.org], user.id, u.roles);
    for (const [org, roles] of u.also ?? []) await svc.addMembership(ids[org], user.id, roles);
    if (u.unit) {
      const unit = u.unit;
      await withSystem(k.db, async (tx) => {
        const [row] = await tx
          .select({ id: orgUnits.id })
          .from(orgUnits)
          .where(and(eq(orgUnits.tenantId, ids[u.org]), eq(orgUnits.name, unit)));
        if (!row) throw new Error(`demo seed: no unit ${unit}`);
        await tx
          .update(memberships)
          .set({ orgUnitId: row.id })
          .where(and(eq(memberships.tenantId, ids[u.org]), eq(memberships.userId, user.id)));
      });
    }
  }
  k.log.info({ organisations: Object.keys(ids).length, users: DEMO_USERS.length }, 'demo data seeded');
}
