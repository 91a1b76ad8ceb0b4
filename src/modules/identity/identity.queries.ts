import { and, asc, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { prepared, type TenantTx } from '../../platform/db/tenant.ts';
import { auditEvents } from '../../platform/audit/audit.schema.ts';
import { invitations, memberships, organisations, orgUnits, users } from './identity.schema.ts';

// Tenant-scoped queries: row-level security confines every one of them to the caller's tenant.

export const findOrganisation = async (tx: TenantTx, id: string) =>
  (await tx.select().from(organisations).where(eq(organisations.id, id)))[0];

export const listMembers = prepared((tx) =>
  tx
    .select({
      id: memberships.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      roles: memberships.roles,
      totpEnabled: users.totpEnabled,
      version: memberships.version,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .orderBy(asc(users.name)),
);

export const findMembership = async (tx: TenantTx, id: string) =>
  (await tx.select().from(memberships).where(eq(memberships.id, id)))[0];

export const listUnits = (tx: TenantTx) => tx.select().from(orgUnits).orderBy(asc(orgUnits.name));

export const findUnit = async (tx: TenantTx, id: string) =>
  (await tx.select().from(orgUnits).where(eq(orgUnits.id, id)))[0];

export const insertUnit = async (tx: TenantTx, v: typeof orgUnits.$inferInsert) =>
  (await tx.insert(orgUnits).values(v).returning())[0]!;

export const listInvitations = (tx: TenantTx) =>
  tx.select().from(invitations).where(isNull(invitations.acceptedAt)).orderBy(desc(invitations.createdAt));

export const insertInvitation = async (tx: TenantTx, v: typeof invitations.$inferInsert) =>
  (await tx.insert(invitations).values(v).returning())[0]!;

export const listAudit = (tx: TenantTx, limit: number, beforeSeq?: number) =>
  tx
    .select()
    .from(auditEvents)
    .where(beforeSeq ? lt(auditEvents.seq, beforeSeq) : undefined)
    .orderBy(desc(auditEvents.seq))
    .limit(limit);

export const membershipOfUser = async (tx: TenantTx, userId: string, tenantId: string) =>
  (
    await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)))
  )[0];

/** Locks the organisation's administrators, so two concurrent demotions cannot both pass the count. */
export const lockAdmins = (tx: TenantTx) =>
  tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(sql`'org_admin' = any(${memberships.roles})`)
    .for('update');
