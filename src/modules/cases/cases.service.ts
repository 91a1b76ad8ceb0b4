import type { Actor } from '../../platform/auth/actor.ts';
import { addDays, isoDay } from '../../platform/dates.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Kernel } from '../../platform/kernel.ts';
import {
  publishedCounts,
  publishedMedian,
  publishedTotal,
  statisticsTable,
} from '../../platform/statistics.ts';
import { type DirectoryMember, unitSubtree } from '../identity/index.ts';
import type * as C from './cases.contract.ts';
import { MIN_CELL } from './cases.contract.ts';
import { P } from './cases.permissions.ts';
import * as q from './cases.queries.ts';
import {
  caseAssignments,
  caseEvents,
  caseFiles,
  caseNotes,
  cases,
  caseSettings,
  caseSubjects,
} from './cases.schema.ts';
import {
  activeCodes,
  type CaseStatus,
  DECIDED,
  DEFAULT_TAXONOMY,
  type EventKind,
  entryLabel,
  KIND_GROUP,
  normaliseTaxonomy,
  SHIPPED,
  SOURCE_KINDS,
  STATUSES,
  type SourceKind,
  TAXONOMY_KINDS,
  type Taxonomy,
  type TaxonomyKind,
} from './cases.vocab.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
type EventData = Record<string, string | number | boolean | null>;

/** What opening a case needs, from a route or from another module (index.ts). */
export interface OpenCase {
  title: string;
  sourceKind: SourceKind;
  sourceRef?: string;
  orgUnitId?: string;
  escalated?: boolean;
  decisionDueOn?: string;
  /** Staff the case concerns, added as subjects (e.g. the declarant of a referred flag). */
  subjects?: C.SubjectInputT[];
}

export class CasesService {
  constructor(
    private readonly k: Kernel,
    readonly now: () => Date = () => new Date(),
  ) {}

  // ---- taxonomy -------------------------------------------------------------------------------
  async settings(tx: TenantTx): Promise<C.Settings> {
    const row = await q.settings(tx);
    if (!row) return { taxonomy: structuredClone(DEFAULT_TAXONOMY), version: 0, isDefault: true };
    return { taxonomy: normaliseTaxonomy(row.taxonomy), version: row.version, isDefault: false };
  }

  private async taxonomy(tx: TenantTx): Promise<Taxonomy> {
    return (await this.settings(tx)).taxonomy;
  }

  /** How many cases (of this administration) use each code of each list. */
  async usage(tx: TenantTx): Promise<C.TaxonomyUsage> {
    const rows = await q.codeUsage(tx);
    const out: C.TaxonomyUsage = { closureReasons: {}, decisions: {}, outcomes: {}, sanctions: {} };
    for (const r of rows) out[r.kind][r.code] = r.n;
    return out;
  }

  /**
   * Saves the whole taxonomy (version-checked). Within the workflow rules (checkTaxonomy); a
   * shipped code is never removed (400) and a code that cases use is deactivated, not removed
   * (409). The audit record lists what changed, list by list.
   */
  async updateSettings(tx: TenantTx, tenantId: string, actor: Actor, input: C.SettingsInputT) {
    const taxonomy = input.taxonomy as Taxonomy;
    checkTaxonomy(taxonomy);
    const row = await q.settings(tx);
    const before = row ? normaliseTaxonomy(row.taxonomy) : DEFAULT_TAXONOMY;
    let used: C.TaxonomyUsage | undefined; // read only when an entry is removed
    for (const kind of TAXONOMY_KINDS)
      for (const old of before[kind]) {
        if (taxonomy[kind].some((e) => e.code === old.code)) continue;
        if (SHIPPED[kind].includes(old.code))
          throw invalid(`taxonomy.${kind}`, `${old.code} is shipped with Arusha: deactivate it instead`);
        used ??= await this.usage(tx);
        const n = used[kind][old.code] ?? 0;
        if (n > 0)
          throw new AppError(
            'CONFLICT',
            `${old.code} is used by ${n} case(s): deactivate it instead of removing it`,
            [{ path: `taxonomy.${kind}`, message: `${old.code} is in use` }],
          );
      }
    if (!row) {
      if (input.version !== 0)
        throw new AppError('VERSION_CONFLICT', 'The taxonomy was saved by someone else. Reload.');
      await tx.insert(caseSettings).values({ tenantId, taxonomy });
    } else await updateVersioned(tx, caseSettings, row.id, input.version, { taxonomy });
    await this.audit(tx, tenantId, actor.userId, 'cases.settings.updated', 'case_settings', null, {
      changes: taxonomyChanges(before, taxonomy),
    });
    return this.settings(tx);
  }

  // ---- who sees what ----------------------------------------------------------------------------
  /**
   * Need-to-know: a case naming a senior manager (escalated) only for holders of cases.escalated;
   * then every case for cases.manage, otherwise only the cases assigned to the caller now.
   */
  private canSee(actor: Actor, c: q.CaseRow, assignees: readonly string[]) {
    if (c.escalated && !actor.permissions.has(P.escalated)) return false;
    return actor.permissions.has(P.manage) || assignees.includes(actor.userId);
  }

  /** The case if the caller may see it; anybody else (and another tenant) gets 404. */
  private async visible(tx: TenantTx, actor: Actor, id: string) {
    const c = await q.findCase(tx, id);
    if (!c) throw notFound('case');
    const active = await q.activeAssignments(tx, [id]);
    if (
      !this.canSee(
        actor,
        c,
        active.map((a) => a.userId),
      )
    )
      throw notFound('case');
    return { c, active };
  }

  async list(tx: TenantTx, actor: Actor, scope: 'mine' | 'all' | undefined) {
    const mine = await q.assignedTo(tx, actor.userId);
    const all = actor.permissions.has(P.manage) && scope !== 'mine';
    const rows = await q.listCases(tx, all ? undefined : mine);
    const active = await q.activeAssignments(
      tx,
      rows.map((r) => r.id),
    );
    const visible = rows.filter((c) =>
      this.canSee(
        actor,
        c,
        active.filter((a) => a.caseId === c.id).map((a) => a.userId),
      ),
    );
    return this.summaries(tx, visible, active);
  }

  private async summaries(
    tx: TenantTx,
    list: q.CaseRow[],
    active: q.AssignmentRow[],
  ): Promise<C.CaseSummary[]> {
    const who = await q.names(
      tx,
      active.map((a) => a.userId),
    );
    const units = new Map((await q.units(tx)).map((u) => [u.id, u.name]));
    const today = isoDay(this.now());
    return list.map((c) => ({
      id: c.id,
      reference: c.reference,
      title: c.title,
      sourceKind: c.sourceKind,
      status: c.status,
      escalated: c.escalated,
      orgUnitId: c.orgUnitId,
      orgUnit: c.orgUnitId ? (units.get(c.orgUnitId) ?? null) : null,
      assignees: active
        .filter((a) => a.caseId === c.id)
        .map((a) => ({ userId: a.userId, name: who.get(a.userId) ?? '' })),
      decisionDueOn: c.decisionDueOn,
      overdue: isOverdue(c, today),
      openedAt: c.openedAt.toISOString(),
      closedAt: iso(c.closedAt),
      version: c.version,
    }));
  }

  /** The whole case, and an audit record of this reading in the same transaction. */
  async open(tx: TenantTx, tenantId: string, actor: Actor, id: string): Promise<C.CaseDetail> {
    const { c, active } = await this.visible(tx, actor, id);
    await this.audit(tx, tenantId, actor.userId, 'cases.case.read', 'case', c.id, {
      reference: c.reference,
      as: active.some((a) => a.userId === actor.userId) ? 'assignee' : 'manager',
    });
    return this.detail(tx, c, active);
  }

  private async detail(tx: TenantTx, c: q.CaseRow, active: q.AssignmentRow[]) {
    const [summary] = await this.summaries(tx, [c], active);
    const history = await q.assignmentHistory(tx, c.id);
    const notes = await q.notes(tx, c.id);
    const subjects = await q.subjects(tx, c.id);
    const files = await q.files(tx, c.id);
    const events = await q.events(tx, c.id);
    const who = await q.names(tx, [
      ...history.flatMap((a) => [a.userId, a.assignedBy]),
      ...notes.map((n) => n.authorId),
      ...files.map((f) => f.uploadedBy),
      ...events.map((e) => e.actorId),
    ]);
    const name = (id: string | null) => (id ? (who.get(id) ?? '') : null);
    const taxonomy = await this.taxonomy(tx);
    return {
      ...summary!,
      sourceRef: c.sourceRef,
      closureReason: c.closureReason,
      decision: c.decision,
      outcome: c.outcome,
      sanction: c.sanction,
      appealFiledOn: c.appealFiledOn,
      appealNote: c.appealNote,
      next: taxonomy.transitions[c.status] ?? [],
      assignments: history.map((a) => ({
        id: a.id,
        userId: a.userId,
        name: name(a.userId) ?? '',
        assignedBy: name(a.assignedBy),
        assignedAt: a.assignedAt.toISOString(),
        conflict: a.conflict,
        reason: a.reason,
        endedAt: iso(a.endedAt),
      })),
      notes: notes.map((n) => ({
        id: n.id,
        author: name(n.authorId) ?? '',
        body: n.body,
        createdAt: n.createdAt.toISOString(),
      })),
      subjects: subjects.map((s) => ({
        id: s.id,
        kind: s.kind,
        userId: s.userId,
        name: s.name,
        identifier: s.identifier,
        role: s.role,
        createdAt: s.createdAt.toISOString(),
      })),
      files: files.map((f) => ({
        id: f.id,
        filename: f.filename,
        mediaType: f.mediaType,
        size: f.size,
        sha256: f.sha256,
        uploadedBy: name(f.uploadedBy) ?? '',
        createdAt: f.createdAt.toISOString(),
      })),
      events: events.map((e) => ({
        id: e.id,
        kind: e.kind,
        actor: name(e.actorId),
        data: e.data,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  }

  // ---- opening ----------------------------------------------------------------------------------
  bySource(tx: TenantTx, kind: SourceKind, ref: string) {
    return q.findBySource(tx, kind, ref);
  }

  async create(tx: TenantTx, tenantId: string, actor: Actor, input: OpenCase) {
    if (input.orgUnitId && !(await q.units(tx)).some((u) => u.id === input.orgUnitId))
      throw invalid('orgUnitId', 'not a unit of this organisation');
    const now = this.now();
    const taxonomy = await this.taxonomy(tx);
    const year = now.getUTCFullYear();
    const n = await q.nextNumber(tx, tenantId, year);
    const reference = `CASE-${year}-${String(n).padStart(4, '0')}`;
    const due =
      input.decisionDueOn ??
      (taxonomy.decisionDueDays > 0 ? addDays(isoDay(now), taxonomy.decisionDueDays) : null);
    const [c] = await tx
      .insert(cases)
      .values({
        tenantId,
        reference,
        title: input.title,
        sourceKind: input.sourceKind,
        sourceRef: input.sourceRef ?? null,
        orgUnitId: input.orgUnitId ?? null,
        escalated: input.escalated ?? false,
        decisionDueOn: due,
        openedAt: now,
        openedBy: actor.userId,
      })
      .returning();
    const by = actor.userId;
    await this.event(tx, tenantId, c!.id, 'opened', by, {
      sourceKind: input.sourceKind,
      sourceRef: input.sourceRef ?? null,
    });
    for (const s of input.subjects ?? []) await this.insertSubject(tx, tenantId, c!.id, by, s);
    await this.audit(tx, tenantId, by, 'cases.case.opened', 'case', c!.id, {
      reference,
      sourceKind: input.sourceKind,
      sourceRef: input.sourceRef ?? null,
      escalated: c!.escalated,
    });
    if (c!.escalated) await this.escalate(tx, tenantId, c!, by, []);
    return (await this.summaries(tx, [c!], []))[0]!;
  }

  /** Change title, unit, due date or the senior-manager mark (managers). */
  async edit(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: C.CaseUpdateT) {
    const { c, active } = await this.visible(tx, actor, id);
    if (input.orgUnitId && !(await q.units(tx)).some((u) => u.id === input.orgUnitId))
      throw invalid('orgUnitId', 'not a unit of this organisation');
    const { version, ...values } = input;
    const changes: Partial<q.CaseRow> = { ...values } as Partial<q.CaseRow>;
    if (input.decisionDueOn !== undefined && input.decisionDueOn !== c.decisionDueOn)
      changes.overdueSince = null;
    const row = await updateVersioned(tx, cases, id, version, changes);
    const changed = Object.keys(values).filter(
      (key) => (values as Record<string, unknown>)[key] !== (c as Record<string, unknown>)[key],
    );
    await this.event(tx, tenantId, id, 'updated', actor.userId, { fields: changed.join(',') });
    await this.audit(tx, tenantId, actor.userId, 'cases.case.updated', 'case', id, { changed });
    let now = active;
    if (row.escalated && !c.escalated) now = await this.escalate(tx, tenantId, row, actor.userId, active);
    return (await this.summaries(tx, [row], now))[0]!;
  }

  /**
   * A case naming a senior manager goes to the second tier: current handlers without
   * cases.escalated are taken off it, and the holders of cases.escalated are notified.
   */
  private async escalate(
    tx: TenantTx,
    tenantId: string,
    c: q.CaseRow,
    by: string | null,
    active: q.AssignmentRow[],
  ): Promise<q.AssignmentRow[]> {
    const people = await q.members(tx);
    const second = people.filter((m) => this.holds(m, P.escalated));
    const keep: q.AssignmentRow[] = [];
    for (const a of active) {
      if (second.some((m) => m.userId === a.userId)) {
        keep.push(a);
        continue;
      }
      await q.endAssignment(tx, a.id, by ?? a.userId, this.now());
      await this.event(tx, tenantId, c.id, 'unassigned', by, { userId: a.userId, reason: 'escalated' });
    }
    await this.event(tx, tenantId, c.id, 'escalated', by, {});
    await this.audit(tx, tenantId, by, 'cases.case.escalated', 'case', c.id, {
      reference: c.reference,
      removed: active.length - keep.length,
    });
    for (const m of second)
      await this.k.notify.send(tx, {
        tenantId,
        userId: m.userId,
        kind: 'cases.escalated',
        messageKey: 'cases.notify.escalated',
        vars: { reference: c.reference },
        link: `/cases/${c.id}`,
        dedupeKey: `case:${c.id}:escalated`,
        email: true,
      });
    return keep;
  }

  private holds(m: DirectoryMember, permission: string) {
    return this.k.permissions.permissionsOf(m.roles).has(permission);
  }

  // ---- workflow -------------------------------------------------------------------------------
  /** One step of the taxonomy; a step it does not allow from here is 409, a missing field 422. */
  async transition(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: C.TransitionInputT) {
    const { c, active } = await this.visible(tx, actor, id);
    const taxonomy = await this.taxonomy(tx);
    const allowed = taxonomy.transitions[c.status] ?? [];
    if (!allowed.includes(input.to))
      throw new AppError('CONFLICT', `A case in status ${c.status} cannot go to ${input.to}`);
    const values: Partial<q.CaseRow> = { status: input.to };
    if (input.to === 'decision') {
      if (!input.decision) throw unprocessable('decision', 'a decision is needed');
      if (!activeCodes(taxonomy.decisions).includes(input.decision))
        throw unprocessable('decision', 'not a decision of this administration');
      values.decision = input.decision;
    }
    if (input.to === 'outcome') {
      if (!input.outcome) throw unprocessable('outcome', 'an outcome is needed');
      if (!activeCodes(taxonomy.outcomes).includes(input.outcome))
        throw unprocessable('outcome', 'not an outcome of this administration');
      values.outcome = input.outcome;
      if (input.outcome === 'disciplinary_sanction') {
        if (!input.sanction || !activeCodes(taxonomy.sanctions).includes(input.sanction))
          throw unprocessable('sanction', "a sanction of the administration's scale is needed");
        values.sanction = input.sanction;
      }
    }
    if (input.to === 'closed') {
      // Closing without an outcome (from triage, say) needs a reason.
      if (!c.outcome) {
        if (!input.closureReason) throw unprocessable('closureReason', 'a closure reason is needed');
        if (!activeCodes(taxonomy.closureReasons).includes(input.closureReason))
          throw unprocessable('closureReason', 'not a closure reason of this administration');
        values.closureReason = input.closureReason;
      }
      values.closedAt = this.now();
    }
    const row = await updateVersioned(tx, cases, id, input.version, values);
    const data: EventData = { from: c.status, to: input.to };
    for (const key of ['decision', 'outcome', 'sanction', 'closureReason'] as const)
      if (values[key]) data[key] = values[key] as string;
    await this.event(tx, tenantId, id, 'transition', actor.userId, data);
    await this.audit(tx, tenantId, actor.userId, 'cases.case.transitioned', 'case', id, data);
    return this.detail(tx, row, active);
  }

  async appeal(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: C.AppealInputT) {
    const { c, active } = await this.visible(tx, actor, id);
    if (!c.decision) throw new AppError('CONFLICT', 'An appeal is recorded against a decision: none yet');
    if (c.appealFiledOn) throw new AppError('CONFLICT', 'An appeal is already recorded');
    if (input.filedOn > isoDay(this.now())) throw invalid('filedOn', 'must not be in the future');
    const row = await updateVersioned(tx, cases, id, input.version, {
      appealFiledOn: input.filedOn,
      appealNote: input.note,
    });
    await this.event(tx, tenantId, id, 'appeal', actor.userId, { filedOn: input.filedOn });
    await this.audit(tx, tenantId, actor.userId, 'cases.appeal.recorded', 'case', id, {
      filedOn: input.filedOn,
    });
    return this.detail(tx, row, active);
  }

  // ---- assignment -----------------------------------------------------------------------------
  /** Members who may handle the case, each with the conflict warning. */
  async candidates(tx: TenantTx, actor: Actor, id: string): Promise<C.Candidate[]> {
    const { c, active } = await this.visible(tx, actor, id);
    return this.candidatesOf(tx, c, active);
  }

  private async candidatesOf(tx: TenantTx, c: q.CaseRow, active: q.AssignmentRow[]): Promise<C.Candidate[]> {
    const units = await q.units(tx);
    const concerned = c.orgUnitId ? unitSubtree(units, [c.orgUnitId]) : new Set<string>();
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    return (await q.members(tx))
      .filter((m) => this.holds(m, P.read) && (!c.escalated || this.holds(m, P.escalated)))
      .map((m) => ({
        userId: m.userId,
        name: m.name,
        unit: m.unitId ? (unitName.get(m.unitId) ?? null) : null,
        conflict: !!m.unitId && concerned.has(m.unitId),
        assigned: active.some((a) => a.userId === m.userId),
      }));
  }

  async assign(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: C.AssignInputT) {
    const { c, active } = await this.visible(tx, actor, id);
    const candidate = (await this.candidatesOf(tx, c, active)).find((m) => m.userId === input.userId);
    if (!candidate)
      throw unprocessable(
        'userId',
        c.escalated ? 'not a member holding cases.escalated' : 'not a member holding cases.read',
      );
    if (candidate.conflict && !input.acknowledgeConflict)
      throw new AppError(
        'CONFLICT',
        'This handler belongs to the unit the case concerns. Confirm to assign anyway.',
        [{ path: 'acknowledgeConflict', message: 'conflict of interest: handler in the unit concerned' }],
      );
    const now = this.now();
    const kept: q.AssignmentRow[] = [];
    for (const a of active) {
      if (a.userId === input.userId || !input.replace) {
        kept.push(a);
        continue;
      }
      await q.endAssignment(tx, a.id, actor.userId, now);
      await this.event(tx, tenantId, id, 'unassigned', actor.userId, {
        userId: a.userId,
        reason: 'reassigned',
      });
    }
    if (!active.some((a) => a.userId === input.userId)) {
      const [row] = await tx
        .insert(caseAssignments)
        .values({
          tenantId,
          caseId: id,
          userId: input.userId,
          assignedBy: actor.userId,
          assignedAt: now,
          conflict: candidate.conflict,
          reason: input.reason ?? null,
        })
        .returning();
      kept.push(row!);
      await this.event(tx, tenantId, id, 'assigned', actor.userId, {
        userId: input.userId,
        conflict: candidate.conflict,
      });
      await this.k.notify.send(tx, {
        tenantId,
        userId: input.userId,
        kind: 'cases.assigned',
        messageKey: 'cases.notify.assigned',
        vars: { reference: c.reference },
        link: `/cases/${id}`,
        dedupeKey: `case:${id}:assigned:${row!.id}`,
        email: true,
      });
    }
    await this.audit(tx, tenantId, actor.userId, 'cases.case.assigned', 'case', id, {
      userId: input.userId,
      replace: input.replace,
      conflict: candidate.conflict,
    });
    // Only assignments changed: the case row read above is still current.
    return this.detail(tx, c, kept);
  }

  // ---- notes, subjects, files -----------------------------------------------------------------
  async addNote(tx: TenantTx, tenantId: string, actor: Actor, id: string, body: string) {
    const { c, active } = await this.visible(tx, actor, id);
    const [n] = await tx
      .insert(caseNotes)
      .values({ tenantId, caseId: id, authorId: actor.userId, body })
      .returning();
    // The timeline and the audit say a note was written, never what it says.
    await this.event(tx, tenantId, id, 'note', actor.userId, { noteId: n!.id });
    await this.audit(tx, tenantId, actor.userId, 'cases.note.added', 'case_note', n!.id, { caseId: id });
    return this.detail(tx, c, active);
  }

  private async insertSubject(
    tx: TenantTx,
    tenantId: string,
    caseId: string,
    by: string,
    s: C.SubjectInputT,
  ) {
    if (s.userId && !(await q.members(tx)).some((m) => m.userId === s.userId))
      throw invalid('userId', 'not a member of this organisation');
    const [row] = await tx
      .insert(caseSubjects)
      .values({
        tenantId,
        caseId,
        kind: s.kind,
        userId: s.userId ?? null,
        name: s.name,
        identifier: s.identifier ?? null,
        role: s.role ?? null,
        addedBy: by,
      })
      .returning();
    await this.event(tx, tenantId, caseId, 'subject', by, { kind: s.kind, subjectId: row!.id });
    await this.audit(tx, tenantId, by, 'cases.subject.added', 'case_subject', row!.id, {
      caseId,
      kind: s.kind,
    });
  }

  async addSubject(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: C.SubjectInputT) {
    const { c, active } = await this.visible(tx, actor, id);
    await this.insertSubject(tx, tenantId, id, actor.userId, input);
    return this.detail(tx, c, active);
  }

  /** Stores the file, then its row; the file is removed if the row is not written. */
  async addFile(tx: TenantTx, tenantId: string, actor: Actor, id: string, file: UploadedFile) {
    await this.visible(tx, actor, id);
    const key = `cases/${id}/${uuidv7()}`;
    await this.k.storage.put(tenantId, key, file.data);
    try {
      const [row] = await tx
        .insert(caseFiles)
        .values({
          tenantId,
          caseId: id,
          storageKey: key,
          filename: file.filename,
          mediaType: file.mediaType,
          size: file.size,
          sha256: file.sha256,
          uploadedBy: actor.userId,
        })
        .returning();
      await this.event(tx, tenantId, id, 'file', actor.userId, { fileId: row!.id, filename: file.filename });
      await this.audit(tx, tenantId, actor.userId, 'cases.file.added', 'case_file', row!.id, {
        caseId: id,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
      });
      const who = await q.names(tx, [actor.userId]);
      return {
        id: row!.id,
        filename: row!.filename,
        mediaType: row!.mediaType,
        size: row!.size,
        sha256: row!.sha256,
        uploadedBy: who.get(actor.userId) ?? '',
        createdAt: row!.createdAt.toISOString(),
      };
    } catch (e) {
      await this.k.storage.delete(tenantId, key).catch(() => {});
      throw e;
    }
  }

  /** A file's content, and an audit record of the download in the same transaction. */
  async file(tx: TenantTx, tenantId: string, actor: Actor, id: string, fileId: string) {
    await this.visible(tx, actor, id);
    const f = await q.findFile(tx, id, fileId);
    if (!f) throw notFound('file');
    await this.audit(tx, tenantId, actor.userId, 'cases.file.read', 'case_file', f.id, {
      caseId: id,
      filename: f.filename,
    });
    return {
      filename: f.filename,
      mediaType: f.mediaType,
      data: await this.k.storage.get(tenantId, f.storageKey),
    };
  }

  // ---- overdue decisions (daily job) ----------------------------------------------------------
  /** Flags undecided cases past their decision due date once, and tells their handlers (or the heads). */
  async flagOverdue(tx: TenantTx, tenantId: string, now: Date) {
    const today = isoDay(now);
    const list = await q.newlyOverdue(tx, today);
    if (list.length === 0) return { flagged: 0, sent: 0 };
    const active = await q.activeAssignments(
      tx,
      list.map((c) => c.id),
    );
    const people = await q.members(tx);
    let sent = 0;
    for (const c of list) {
      await q.markOverdue(tx, c.id, today);
      await this.event(tx, tenantId, c.id, 'overdue', null, { dueOn: c.decisionDueOn });
      let to = active.filter((a) => a.caseId === c.id).map((a) => a.userId);
      if (to.length === 0)
        to = people
          .filter((m) => this.holds(m, P.manage) && (!c.escalated || this.holds(m, P.escalated)))
          .map((m) => m.userId);
      for (const userId of to)
        if (
          await this.k.notify.send(tx, {
            tenantId,
            userId,
            kind: 'cases.overdue',
            messageKey: 'cases.notify.overdue',
            vars: { reference: c.reference, dueOn: c.decisionDueOn ?? '' },
            link: `/cases/${c.id}`,
            dedupeKey: `case:${c.id}:overdue:${c.decisionDueOn}`,
            email: true,
          })
        )
          sent++;
    }
    return { flagged: list.length, sent };
  }

  // ---- statistics -----------------------------------------------------------------------------
  /** Counts from workflow metadata only (no note, subject or file is read); counts under MIN_CELL hidden. */
  async statistics(tx: TenantTx, locale: Locale): Promise<C.Statistics> {
    const all = await q.listCases(tx);
    const units = await q.units(tx);
    const taxonomy = await this.taxonomy(tx);
    // The administration's outcomes in its order, then any code a case kept that the list no longer has.
    const outcomeKeys = [
      ...new Set([
        ...taxonomy.outcomes.map((e) => e.code),
        ...all.flatMap((c) => (c.outcome ? [c.outcome] : [])),
      ]),
    ];
    const count = <K extends string>(
      keys: readonly K[],
      keyOf: (c: q.CaseRow) => K | null,
      label: (k: K) => string,
    ) =>
      publishedCounts(
        keys.map((key) => ({ key, label: label(key), n: all.filter((c) => keyOf(c) === key).length })),
        MIN_CELL,
      );
    const NO_UNIT = '_none';
    const unitKeys = [...units.map((u) => u.id), NO_UNIT];
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const closed = all.filter((c) => c.closedAt);
    const days = closed.map((c) => (c.closedAt!.getTime() - c.openedAt.getTime()) / 86_400_000);
    return {
      minCell: MIN_CELL,
      total: publishedTotal(all.length, MIN_CELL),
      bySource: count(
        SOURCE_KINDS,
        (c) => c.sourceKind,
        (k) => t(locale, `cases.source.${k}`),
      ),
      byStatus: count(
        STATUSES,
        (c) => c.status,
        (k) => t(locale, `cases.status.${k}`),
      ),
      byOutcome: count(
        outcomeKeys,
        (c) => c.outcome,
        (k) =>
          entryLabel(
            taxonomy.outcomes.find((e) => e.code === k),
            k,
            locale,
            (code) => catalogLabel(locale, 'outcomes', code),
          ),
      ).filter((g) => g.n !== 0 || taxonomy.outcomes.some((e) => e.code === g.key && e.active)),
      byUnit: count(
        unitKeys,
        (c) => c.orgUnitId ?? NO_UNIT,
        (k) => (k === NO_UNIT ? t(locale, 'cases.stats.noUnit') : (unitName.get(k) ?? '')),
      ).filter((g) => g.n !== 0),
      closed: publishedTotal(closed.length, MIN_CELL),
      medianDaysToClose: publishedMedian(days, MIN_CELL),
    };
  }

  async exportStatistics(tx: TenantTx, format: 'xlsx' | 'csv', locale: Locale) {
    const s = await this.statistics(tx, locale);
    const tr = (k: string) => t(locale, `cases.stats.${k}`);
    return statisticsTable({
      format,
      rtl: locale === 'ar',
      sheetName: tr('sheet'),
      headers: { dimension: tr('dimension'), value: tr('value'), count: tr('count') },
      counts: [
        [tr('source'), s.bySource],
        [tr('status'), s.byStatus],
        [tr('outcome'), s.byOutcome],
        [tr('unit'), s.byUnit],
      ],
      figures: [
        [tr('total'), s.total],
        [tr('closed'), s.closed],
        [tr('medianDays'), s.medianDaysToClose],
      ],
    });
  }

  // ---- helpers --------------------------------------------------------------------------------
  private async event(
    tx: TenantTx,
    tenantId: string,
    caseId: string,
    kind: EventKind,
    actorId: string | null,
    data: EventData,
  ) {
    await tx.insert(caseEvents).values({ tenantId, caseId, kind, actorId, data, createdAt: this.now() });
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    action: string,
    entityType: string,
    entityId: string | null,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId, action, entityType, entityId, data });
  }
}

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, [{ path, message }]);
const unprocessable = (path: string, message: string) =>
  new AppError('UNPROCESSABLE', message, [{ path, message }]);

const isOverdue = (c: q.CaseRow, today: string) =>
  !!c.decisionDueOn && c.decisionDueOn < today && !DECIDED.includes(c.status);

/**
 * A taxonomy must keep the workflow's meaning: every step reachable from `new`, `closed` reached
 * from every step, the decision before the outcome, and nothing after `closed`.
 */
export function checkTaxonomy(tx: Taxonomy) {
  const bad = (message: string) => invalid('taxonomy.transitions', message);
  const next = tx.transitions;
  if ((next.closed ?? []).length) throw bad('nothing follows closed');
  for (const [from, list] of Object.entries(next) as [CaseStatus, CaseStatus[]][]) {
    if (list.includes(from)) throw bad(`${from} cannot follow itself`);
    if (list.includes('outcome') && from !== 'decision') throw bad('the outcome follows the decision only');
    if (list.includes('new')) throw bad('nothing goes back to new');
  }
  const reach = (start: CaseStatus) => {
    const seen = new Set<CaseStatus>([start]);
    const todo = [start];
    while (todo.length)
      for (const s of next[todo.pop()!] ?? [])
        if (!seen.has(s)) {
          seen.add(s);
          todo.push(s);
        }
    return seen;
  };
  for (const s of STATUSES) {
    if (s !== 'new' && next[s]?.length && !reach('new').has(s)) throw bad(`${s} cannot be reached from new`);
    if (reach('new').has(s) && !reach(s).has('closed')) throw bad(`a case in ${s} could never be closed`);
  }
  for (const kind of TAXONOMY_KINDS) {
    const list = tx[kind];
    if (new Set(list.map((e) => e.code)).size !== list.length)
      throw invalid(`taxonomy.${kind}`, 'codes must be unique in a list');
    for (const e of list)
      if (!SHIPPED[kind].includes(e.code) && !Object.values(e.labels).some((l) => l?.trim()))
        throw invalid(`taxonomy.${kind}`, `${e.code} needs a label in at least one language`);
    if (kind !== 'sanctions' && activeCodes(list).length === 0)
      throw invalid(`taxonomy.${kind}`, 'at least one entry must stay active');
  }
  if (activeCodes(tx.outcomes).includes('disciplinary_sanction') && activeCodes(tx.sanctions).length === 0)
    throw invalid('taxonomy.sanctions', 'a disciplinary outcome needs a sanction scale');
}

/** A shipped code's label from the server catalog (undefined for an administration's own code). */
export function catalogLabel(locale: Locale, kind: TaxonomyKind, code: string): string | undefined {
  const key = `cases.${KIND_GROUP[kind]}.${code}`;
  const s = t(locale, key);
  return s === key ? undefined : s;
}

/** What a save changed, list by list, for the audit record (codes only, labels are not copied). */
export function taxonomyChanges(before: Taxonomy, after: Taxonomy) {
  const out: Record<string, unknown> = {};
  for (const kind of TAXONOMY_KINDS) {
    const was = new Map(before[kind].map((e) => [e.code, e]));
    const now = new Map(after[kind].map((e) => [e.code, e]));
    const pick = (f: (code: string) => boolean) => [...new Set([...was.keys(), ...now.keys()])].filter(f);
    const change = {
      added: pick((c) => !was.has(c) && now.has(c)),
      removed: pick((c) => was.has(c) && !now.has(c)),
      renamed: pick(
        (c) =>
          was.has(c) &&
          now.has(c) &&
          JSON.stringify(was.get(c)!.labels) !== JSON.stringify(now.get(c)!.labels),
      ),
      deactivated: pick((c) => !!was.get(c)?.active && now.get(c)?.active === false),
      reactivated: pick((c) => was.get(c)?.active === false && !!now.get(c)?.active),
      reordered:
        JSON.stringify(before[kind].map((e) => e.code).filter((c) => now.has(c))) !==
        JSON.stringify(after[kind].map((e) => e.code).filter((c) => was.has(c))),
    };
    if (Object.values(change).some((v) => (Array.isArray(v) ? v.length > 0 : v))) out[kind] = change;
  }
  if (JSON.stringify(before.transitions) !== JSON.stringify(after.transitions)) out.transitions = true;
  if (before.decisionDueDays !== after.decisionDueDays) out.decisionDueDays = after.decisionDueDays;
  return out;
}
