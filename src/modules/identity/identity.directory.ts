import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { memberships, organisations, orgUnits, users } from './identity.schema.ts';

// The organisation's directory for other modules: read-only, tenant-scoped reads of the
// organisation, its units and its people. Every method takes the tenant handle, so row-level
// security confines it to the caller's tenant; the explicit tenant filters only say so.

const TENANT = sql`app_tenant()`;

export interface DirectoryOrganisation {
  id: string;
  name: string;
  shortName: string | null;
  type: string;
  wcoRegion: string | null;
  country: string | null;
  defaultLocale: string;
}

export interface DirectoryUnit {
  id: string;
  name: string;
  code: string | null;
  type: string;
  parentId: string | null;
}

export interface DirectoryMember {
  userId: string;
  name: string;
  email: string;
  roles: string[];
  locale: string | null;
  /** The member's organisation unit, if any. */
  unitId: string | null;
}

export interface DirectoryPerson {
  name: string;
  email: string;
}

/** These units and every unit below them (campaign and cycle targets, "with sub-units" rates). */
export function unitSubtree(
  units: readonly { id: string; parentId: string | null }[],
  roots: readonly string[],
): Set<string> {
  const out = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units)
      if (u.parentId && out.has(u.parentId) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
  }
  return out;
}

/**
 * The line managers (built-in role `line_manager`) of a unit, never `except` (the person
 * concerned): none in the unit → its parent unit's, and so on up. Escalations go to them.
 */
export function lineManagersOf(
  members: readonly DirectoryMember[],
  units: readonly { id: string; parentId: string | null }[],
  unitId: string | null,
  except: string,
): string[] {
  const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
  for (let u = unitId, hops = 0; u && hops < 50; u = parentOf.get(u) ?? null, hops++) {
    const found = members.filter(
      (m) => m.unitId === u && m.userId !== except && m.roles.includes('line_manager'),
    );
    if (found.length) return found.map((m) => m.userId);
  }
  return [];
}

export class Directory {
  /** The caller's own organisation (undefined only if the tenant row is gone). */
  async organisation(tx: TenantTx): Promise<DirectoryOrganisation | undefined> {
    const [row] = await tx
      .select({
        id: organisations.id,
        name: organisations.name,
        shortName: organisations.shortName,
        type: organisations.type,
        wcoRegion: organisations.wcoRegion,
        country: organisations.country,
        defaultLocale: organisations.defaultLocale,
      })
      .from(organisations)
      .where(eq(organisations.id, TENANT))
      .limit(1);
    return row;
  }

  /** The organisation's units, by name. */
  units(tx: TenantTx): Promise<DirectoryUnit[]> {
    return tx
      .select({
        id: orgUnits.id,
        name: orgUnits.name,
        code: orgUnits.code,
        type: orgUnits.type,
        parentId: orgUnits.parentId,
      })
      .from(orgUnits)
      .where(eq(orgUnits.tenantId, TENANT))
      .orderBy(asc(orgUnits.name));
  }

  /**
   * The organisation's members, by name: active ones (account not disabled) unless
   * `includeDisabled`, which also lists members whose account is disabled.
   */
  members(tx: TenantTx, opts: { includeDisabled?: boolean } = {}): Promise<DirectoryMember[]> {
    return tx
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        roles: memberships.roles,
        locale: users.locale,
        unitId: memberships.orgUnitId,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(eq(memberships.tenantId, TENANT), opts.includeDisabled ? undefined : isNull(users.disabledAt)),
      )
      .orderBy(asc(users.name));
  }

  /**
   * Name and e-mail of these people, by user id: members of the organisation (disabled
   * accounts included); ids of anyone else are simply absent from the map.
   */
  async people(tx: TenantTx, ids: readonly string[]): Promise<Map<string, DirectoryPerson>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const list = await tx
      .select({ id: users.id, name: users.name, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, TENANT), inArray(users.id, unique)));
    return new Map(list.map((p) => [p.id, { name: p.name, email: p.email }]));
  }

  /**
   * When each member joined the organisation (their membership was created), by user id:
   * for "new entrants" (members who joined after a date).
   */
  async joinedAt(tx: TenantTx): Promise<Map<string, Date>> {
    const list = await tx
      .select({ userId: memberships.userId, at: memberships.createdAt })
      .from(memberships)
      .where(eq(memberships.tenantId, TENANT));
    return new Map(list.map((m) => [m.userId, m.at]));
  }

  /** The organisation unit of this member (null: no unit, or not a member). */
  async unitOf(tx: TenantTx, userId: string): Promise<string | null> {
    const [row] = await tx
      .select({ unitId: memberships.orgUnitId })
      .from(memberships)
      .where(and(eq(memberships.tenantId, TENANT), eq(memberships.userId, userId)));
    return row?.unitId ?? null;
  }
}
