import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { Directory } from '../identity/index.ts';
import type { Audience } from './conduct.vocab.ts';
import {
  conductAcknowledgements,
  conductAssignments,
  conductCampaigns,
  conductParties,
  conductPartyAcks,
  conductVersions,
} from './conduct.schema.ts';

// Reads of the conduct tables (row-level security confines them to the caller's tenant) and of
// identity's directory.

export type VersionRow = typeof conductVersions.$inferSelect;
export type CampaignRow = typeof conductCampaigns.$inferSelect;
export type AssignmentRow = typeof conductAssignments.$inferSelect;
export type AckRow = typeof conductAcknowledgements.$inferSelect;
export type PartyRow = typeof conductParties.$inferSelect;
export type PartyAckRow = typeof conductPartyAcks.$inferSelect;

export const directory = new Directory();

export async function findVersion(tx: TenantTx, id: string): Promise<VersionRow | undefined> {
  const [v] = await tx.select().from(conductVersions).where(eq(conductVersions.id, id));
  return v;
}

export function listVersions(tx: TenantTx, audience?: Audience): Promise<VersionRow[]> {
  return tx
    .select()
    .from(conductVersions)
    .where(audience ? eq(conductVersions.audience, audience) : undefined)
    .orderBy(asc(conductVersions.audience), desc(conductVersions.number));
}

/** The latest published version of a code (the one in force for acknowledgement). */
export async function currentVersion(tx: TenantTx, audience: Audience): Promise<VersionRow | undefined> {
  const [v] = await tx
    .select()
    .from(conductVersions)
    .where(and(eq(conductVersions.audience, audience), eq(conductVersions.status, 'published')))
    .orderBy(desc(conductVersions.number))
    .limit(1);
  return v;
}

export async function nextNumber(tx: TenantTx, audience: Audience): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`coalesce(max(${conductVersions.number}), 0)::int` })
    .from(conductVersions)
    .where(eq(conductVersions.audience, audience));
  return (r?.n ?? 0) + 1;
}

export async function findCampaign(tx: TenantTx, id: string): Promise<CampaignRow | undefined> {
  const [c] = await tx.select().from(conductCampaigns).where(eq(conductCampaigns.id, id));
  return c;
}

export function listCampaigns(tx: TenantTx, versionId?: string): Promise<CampaignRow[]> {
  return tx
    .select()
    .from(conductCampaigns)
    .where(versionId ? eq(conductCampaigns.versionId, versionId) : undefined)
    .orderBy(desc(conductCampaigns.createdAt));
}

export function assignmentsOf(
  tx: TenantTx,
  by: { versionId?: string; campaignIds?: string[]; userId?: string },
) {
  if (by.campaignIds && by.campaignIds.length === 0) return Promise.resolve([] as AssignmentRow[]);
  return tx
    .select()
    .from(conductAssignments)
    .where(
      and(
        by.versionId ? eq(conductAssignments.versionId, by.versionId) : undefined,
        by.campaignIds ? inArray(conductAssignments.campaignId, by.campaignIds) : undefined,
        by.userId ? eq(conductAssignments.userId, by.userId) : undefined,
      ),
    )
    .orderBy(asc(conductAssignments.createdAt));
}

export function acksOf(tx: TenantTx, by: { versionId?: string; userId?: string }): Promise<AckRow[]> {
  return tx
    .select()
    .from(conductAcknowledgements)
    .where(
      and(
        by.versionId ? eq(conductAcknowledgements.versionId, by.versionId) : undefined,
        by.userId ? eq(conductAcknowledgements.userId, by.userId) : undefined,
      ),
    )
    .orderBy(asc(conductAcknowledgements.acknowledgedAt));
}

export async function findParty(tx: TenantTx, id: string): Promise<PartyRow | undefined> {
  const [p] = await tx.select().from(conductParties).where(eq(conductParties.id, id));
  return p;
}

export function listParties(tx: TenantTx): Promise<PartyRow[]> {
  return tx.select().from(conductParties).orderBy(asc(conductParties.name));
}

export function partyAcks(tx: TenantTx, versionId: string): Promise<PartyAckRow[]> {
  return tx.select().from(conductPartyAcks).where(eq(conductPartyAcks.versionId, versionId));
}
