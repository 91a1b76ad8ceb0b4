import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { auditEvents } from '../../platform/audit/audit.schema.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { Directory } from '../identity/index.ts';
import { ACCESS_KINDS } from './reports.contract.ts';
import {
  reportChannels,
  reportFiles,
  reportHandlerKeys,
  reportMessages,
  reportSeals,
  reports,
  reportsEscrow,
  reportsEscrowCustodians,
  reportsEscrowSeals,
} from './reports.schema.ts';

export const directory = new Directory();
export type ChannelRow = typeof reportChannels.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;
export type HandlerKeyRow = typeof reportHandlerKeys.$inferSelect;

const HOUR = sql`date_trunc('hour', now())`;

export const channels = (tx: TenantTx) => tx.select().from(reportChannels).orderBy(asc(reportChannels.slug));
export const findChannel = async (tx: TenantTx, id: string) =>
  (await tx.select().from(reportChannels).where(eq(reportChannels.id, id)))[0];
export const findChannelBySlug = async (tx: TenantTx, slug: string) =>
  (await tx.select().from(reportChannels).where(eq(reportChannels.slug, slug)))[0];

export const findHandlerKey = async (tx: TenantTx, userId: string) =>
  (await tx.select().from(reportHandlerKeys).where(eq(reportHandlerKeys.userId, userId)))[0];
export const handlerKeys = (tx: TenantTx, userIds: readonly string[]) =>
  tx
    .select()
    .from(reportHandlerKeys)
    .where(inArray(reportHandlerKeys.userId, [...userIds]));

export const findReport = async (tx: TenantTx, id: string, lock = false) => {
  const q = tx.select().from(reports).where(eq(reports.id, id));
  return (await (lock ? q.for('update') : q))[0];
};
export const findByReceipt = async (tx: TenantTx, lookup: string, lock = false) => {
  const q = tx.select().from(reports).where(eq(reports.receiptLookup, lookup));
  return (await (lock ? q.for('update') : q))[0];
};

// Listing reads no ciphertext: the answers and seals stay where they are until a report is opened.
const { answers: _answers, reporterSeal: _seal, receiptLookup: _lookup, ...META } = getTableColumns(reports);
export type ReportMeta = Omit<ReportRow, 'answers' | 'reporterSeal' | 'receiptLookup'>;

/** Reports not purged, newest first, without their content: all of them, or only those of `ids`. */
export const liveReports = async (tx: TenantTx, ids?: ReadonlySet<string>): Promise<ReportMeta[]> =>
  ids?.size === 0
    ? []
    : tx
        .select(META)
        .from(reports)
        .where(and(isNull(reports.purgedAt), ids ? inArray(reports.id, [...ids]) : undefined))
        .orderBy(desc(reports.receivedAt));

/** Closed reports that retention may purge: not yet purged, not under legal hold. */
export const purgeCandidates = (tx: TenantTx) =>
  tx
    .select({ id: reports.id, channelId: reports.channelId, closedAt: reports.closedAt })
    .from(reports)
    .where(
      and(
        eq(reports.status, 'closed'),
        eq(reports.legalHold, false),
        isNull(reports.purgedAt),
        isNotNull(reports.closedAt),
      ),
    );

export const sealsOf = (tx: TenantTx, reportId: string) =>
  tx.select().from(reportSeals).where(eq(reportSeals.reportId, reportId));
export const sealFor = async (tx: TenantTx, reportId: string, userId: string) =>
  (
    await tx
      .select()
      .from(reportSeals)
      .where(and(eq(reportSeals.reportId, reportId), eq(reportSeals.userId, userId)))
  )[0];
export const assignedIds = async (tx: TenantTx, userId: string) =>
  new Set(
    (
      await tx.select({ id: reportSeals.reportId }).from(reportSeals).where(eq(reportSeals.userId, userId))
    ).map((r) => r.id),
  );

export const messagesOf = (tx: TenantTx, reportId: string) =>
  tx
    .select()
    .from(reportMessages)
    .where(eq(reportMessages.reportId, reportId))
    .orderBy(asc(reportMessages.seq));

/** Appends a message; the caller holds the report row locked, so seq cannot collide. */
export async function addMessage(
  tx: TenantTx,
  v: {
    tenantId: string;
    reportId: string;
    id: string;
    direction: 'reporter' | 'handler';
    authorId: string | null;
    body: Buffer;
  },
) {
  const [{ next }] = (await tx
    .select({ next: sql<number>`coalesce(max(${reportMessages.seq}), 0) + 1` })
    .from(reportMessages)
    .where(eq(reportMessages.reportId, v.reportId))) as [{ next: number }];
  await tx.insert(reportMessages).values({ ...v, seq: Number(next) });
}

/** A reporter's activity: times to the hour only, and the version moves (handlers' stale forms get 409). */
export const touchByReporter = (tx: TenantTx, id: string) =>
  tx
    .update(reports)
    .set({ reporterActivityAt: HOUR, updatedAt: HOUR, version: sql`${reports.version} + 1` } as never)
    .where(eq(reports.id, id));

/** Deletes a report's content and keys, keeping a tombstone row (workflow and statistical fields). */
export async function purge(tx: TenantTx, id: string) {
  await tx.delete(reportSeals).where(eq(reportSeals.reportId, id));
  await tx.delete(reportsEscrowSeals).where(eq(reportsEscrowSeals.reportId, id));
  await tx.delete(reportMessages).where(eq(reportMessages.reportId, id));
  await tx.delete(reportFiles).where(eq(reportFiles.reportId, id));
  await tx
    .update(reports)
    .set({
      answers: Buffer.alloc(0),
      reporterSeal: Buffer.alloc(0),
      receiptLookup: `purged:${id}`,
      purgedAt: new Date(),
      version: sql`${reports.version} + 1`,
    } as never)
    .where(eq(reports.id, id));
}

// ---- key escrow ---------------------------------------------------------------------------------

export type EscrowRow = typeof reportsEscrow.$inferSelect;

/**
 * The administration's escrow, if on. A submission reads it FOR SHARE, so switching off (which
 * locks it FOR UPDATE) waits for submissions in flight and then deletes their seals too.
 */
export const findEscrow = async (tx: TenantTx, lock?: 'share' | 'update') => {
  const q = tx.select().from(reportsEscrow);
  return (await (lock ? q.for(lock) : q))[0];
};
export const escrowCustodians = (tx: TenantTx) =>
  tx.select().from(reportsEscrowCustodians).orderBy(asc(reportsEscrowCustodians.createdAt));
export const custodianSeal = async (tx: TenantTx, userId: string) =>
  (await tx.select().from(reportsEscrowCustodians).where(eq(reportsEscrowCustodians.userId, userId)))[0];
export const escrowSealFor = async (tx: TenantTx, reportId: string) =>
  (await tx.select().from(reportsEscrowSeals).where(eq(reportsEscrowSeals.reportId, reportId)))[0];
export const escrowedIds = async (tx: TenantTx) =>
  new Set((await tx.select({ id: reportsEscrowSeals.reportId }).from(reportsEscrowSeals)).map((r) => r.id));
export const countEscrowSeals = async (tx: TenantTx) =>
  Number((await tx.select({ n: sql<number>`count(*)::int` }).from(reportsEscrowSeals))[0]?.n ?? 0);
/** Crypto-shredding: every seal to the escrow key, every custodian's copy of it, the key itself. */
export async function destroyEscrow(tx: TenantTx, tenantId: string) {
  await tx.delete(reportsEscrowSeals).where(eq(reportsEscrowSeals.tenantId, tenantId));
  await tx.delete(reportsEscrowCustodians).where(eq(reportsEscrowCustodians.tenantId, tenantId));
  await tx.delete(reportsEscrow).where(eq(reportsEscrow.tenantId, tenantId));
}

/** Who opened a report, and how (the audit trail of reads): newest first. */
const ACCESS_ACTIONS = ACCESS_KINDS.map((k) => `reports.report.${k}`);
export const accessHistory = (tx: TenantTx, reportId: string) =>
  tx
    .select({
      action: auditEvents.action,
      actorId: auditEvents.actorId,
      at: auditEvents.at,
      viaEscrow: sql<boolean>`coalesce((${auditEvents.data}->>'viaEscrow')::boolean, false)`,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entityType, 'report'),
        eq(auditEvents.entityId, reportId),
        inArray(auditEvents.action, ACCESS_ACTIONS),
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(100);
