import { and, asc, desc, eq, inArray, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { Directory, type DirectoryMember, type DirectoryUnit } from '../identity/index.ts';
import {
  caseAssignments,
  caseCounters,
  caseEvents,
  caseFiles,
  caseNotes,
  cases,
  caseSettings,
  caseSubjects,
} from './cases.schema.ts';
import { DECIDED, type TaxonomyKind } from './cases.vocab.ts';

// SQL of the cases module, on the tenant handle (row-level security: one tenant).

export type CaseRow = typeof cases.$inferSelect;
export type AssignmentRow = typeof caseAssignments.$inferSelect;
export type SettingsRow = typeof caseSettings.$inferSelect;

const directory = new Directory();
export const members = (tx: TenantTx): Promise<DirectoryMember[]> => directory.members(tx);
export const units = (tx: TenantTx): Promise<DirectoryUnit[]> => directory.units(tx);
export const names = async (tx: TenantTx, ids: (string | null)[]): Promise<Map<string, string>> =>
  new Map(
    [
      ...(await directory.people(
        tx,
        ids.filter((i): i is string => !!i),
      )),
    ].map(([id, p]) => [id, p.name]),
  );

export async function settings(tx: TenantTx): Promise<SettingsRow | undefined> {
  const [row] = await tx.select().from(caseSettings).limit(1);
  return row;
}

/** The next number of the year for this administration (atomic: one row per year, upserted). */
export async function nextNumber(tx: TenantTx, tenantId: string, year: number): Promise<number> {
  const [row] = await tx
    .insert(caseCounters)
    .values({ tenantId, year, last: 1 })
    .onConflictDoUpdate({
      target: [caseCounters.tenantId, caseCounters.year],
      set: { last: sql`${caseCounters.last} + 1` },
    })
    .returning({ last: caseCounters.last });
  return row!.last;
}

export async function findCase(tx: TenantTx, id: string): Promise<CaseRow | undefined> {
  const [row] = await tx.select().from(cases).where(eq(cases.id, id));
  return row;
}

export async function findBySource(tx: TenantTx, kind: CaseRow['sourceKind'], ref: string) {
  const [row] = await tx
    .select()
    .from(cases)
    .where(and(eq(cases.sourceKind, kind), eq(cases.sourceRef, ref)));
  return row;
}

/** Where these cases stand (their stage and decision, no content), for statistics in other modules. */
export const standing = (tx: TenantTx, ids: string[]) =>
  tx
    .select({
      id: cases.id,
      reference: cases.reference,
      status: cases.status,
      decision: cases.decision,
      outcome: cases.outcome,
      closedAt: cases.closedAt,
    })
    .from(cases)
    .where(inArray(cases.id, ids));

export const listCases = (tx: TenantTx, ids?: string[]): Promise<CaseRow[]> =>
  tx
    .select()
    .from(cases)
    .where(ids ? inArray(cases.id, ids) : undefined)
    .orderBy(desc(cases.openedAt));

/** Current (not ended) assignments, of some cases or all. */
export const activeAssignments = (tx: TenantTx, caseIds?: string[]): Promise<AssignmentRow[]> =>
  tx
    .select()
    .from(caseAssignments)
    .where(
      and(isNull(caseAssignments.endedAt), caseIds ? inArray(caseAssignments.caseId, caseIds) : undefined),
    )
    .orderBy(asc(caseAssignments.assignedAt));

/** The ids of the cases a user is currently assigned to. */
export async function assignedTo(tx: TenantTx, userId: string): Promise<string[]> {
  const list = await tx
    .select({ id: caseAssignments.caseId })
    .from(caseAssignments)
    .where(and(eq(caseAssignments.userId, userId), isNull(caseAssignments.endedAt)));
  return list.map((r) => r.id);
}

export const assignmentHistory = (tx: TenantTx, caseId: string): Promise<AssignmentRow[]> =>
  tx
    .select()
    .from(caseAssignments)
    .where(eq(caseAssignments.caseId, caseId))
    .orderBy(asc(caseAssignments.assignedAt));

export async function endAssignment(tx: TenantTx, id: string, by: string, at: Date) {
  await tx.update(caseAssignments).set({ endedAt: at, endedBy: by }).where(eq(caseAssignments.id, id));
}

export const notes = (tx: TenantTx, caseId: string) =>
  tx.select().from(caseNotes).where(eq(caseNotes.caseId, caseId)).orderBy(asc(caseNotes.createdAt));
export const subjects = (tx: TenantTx, caseId: string) =>
  tx.select().from(caseSubjects).where(eq(caseSubjects.caseId, caseId)).orderBy(asc(caseSubjects.createdAt));
export const files = (tx: TenantTx, caseId: string) =>
  tx.select().from(caseFiles).where(eq(caseFiles.caseId, caseId)).orderBy(asc(caseFiles.createdAt));
export async function findFile(tx: TenantTx, caseId: string, fileId: string) {
  const [row] = await tx
    .select()
    .from(caseFiles)
    .where(and(eq(caseFiles.caseId, caseId), eq(caseFiles.id, fileId)));
  return row;
}
export const events = (tx: TenantTx, caseId: string) =>
  tx
    .select()
    .from(caseEvents)
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.createdAt), asc(caseEvents.id));

/** Undecided cases whose decision due date has passed and that are not flagged yet. */
export const newlyOverdue = (tx: TenantTx, today: string): Promise<CaseRow[]> =>
  tx
    .select()
    .from(cases)
    .where(
      and(
        sql`${cases.decisionDueOn} < ${today}`,
        isNull(cases.overdueSince),
        notInArray(cases.status, [...DECIDED]),
      ),
    );

export async function markOverdue(tx: TenantTx, id: string, today: string) {
  await tx.update(cases).set({ overdueSince: today }).where(eq(cases.id, id));
}

/** How many cases use each closure reason, decision, outcome and sanction code. */
export async function codeUsage(tx: TenantTx): Promise<{ kind: TaxonomyKind; code: string; n: number }[]> {
  const count = (kind: TaxonomyKind, column: AnyPgColumn) =>
    tx
      .select({ code: column, n: sql<number>`count(*)::int` })
      .from(cases)
      .where(isNotNull(column))
      .groupBy(column)
      .then((rows) => rows.map((r) => ({ kind, code: String(r.code), n: Number(r.n) })));
  const lists = await Promise.all([
    count('closureReasons', cases.closureReason),
    count('decisions', cases.decision),
    count('outcomes', cases.outcome),
    count('sanctions', cases.sanction),
  ]);
  return lists.flat();
}
