import type { Actor } from '../../platform/auth/actor.ts';
import { isoDay } from '../../platform/dates.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { deleteVersioned, updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type Locale, RTL, t } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { type TableFormat, writeTable } from '../../platform/tables/tables.ts';
import { Directory } from '../identity/index.ts';
import * as C from './isc.contract.ts';
import { P } from './isc.permissions.ts';
import * as q from './isc.queries.ts';
import { iscAgendaItems, iscRecommendations, iscSessions, iscWorkItems } from './isc.schema.ts';
import { OPEN_WORK_STATUSES, RECOMMENDATION_NEXT } from './isc.vocab.ts';

const directory = new Directory();
const iso = (d: Date) => d.toISOString();

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, [{ path, message }]);

/**
 * The Integrity Sub-Committee: sessions with their agenda, documents, participants and minutes;
 * the work programme; recommendations to the Policy Commission and their follow-up. The
 * Secretariat writes; Members' delegates read (docs/adr/0029).
 */
export class IscService {
  constructor(private readonly k: Kernel) {}

  /** Writes happen in the Secretariat's tenant only (the database refuses the rest anyway). */
  private async mustManage(tx: TenantTx): Promise<void> {
    if (!(await q.isSecretariat(tx)))
      throw forbidden('Only the WCO Secretariat manages the Integrity Sub-Committee');
  }

  async capabilities(tx: TenantTx, actor: Actor): Promise<{ canManage: boolean }> {
    return { canManage: actor.permissions.has(P.manage) && (await q.isSecretariat(tx)) };
  }

  // ---- sessions ----------------------------------------------------------------------------------

  private summary(s: q.SessionRow, agendaCount: number): C.SessionSummaryT {
    return {
      id: s.id,
      number: s.number,
      theme: s.theme,
      startDate: s.startDate,
      endDate: s.endDate,
      place: s.place,
      online: s.online,
      status: s.status,
      participantsCount: s.participants.length,
      agendaCount,
      version: s.version,
    };
  }

  async listSessions(tx: TenantTx): Promise<C.SessionSummaryT[]> {
    const [rows, counts] = await Promise.all([q.listSessions(tx), q.agendaCounts(tx)]);
    return rows.map((s) => this.summary(s, counts.get(s.id) ?? 0));
  }

  private async mustSession(tx: TenantTx, id: string) {
    const s = await q.findSession(tx, id);
    if (!s) throw notFound('session');
    return s;
  }

  private agendaItem(a: q.AgendaRow): C.AgendaItemT {
    return {
      id: a.id,
      position: a.position,
      number: a.number,
      titleEn: a.titleEn,
      titleFr: a.titleFr,
      presenter: a.presenter,
      documentIds: a.documentIds,
      workItemId: a.workItemId,
      outcome: a.outcome,
      version: a.version,
    };
  }

  private document(d: q.DocumentRow): C.DocumentT {
    return {
      id: d.id,
      title: d.title,
      filename: d.filename,
      mediaType: d.mediaType,
      size: d.size,
      createdAt: iso(d.createdAt),
    };
  }

  async session(tx: TenantTx, actor: Actor, id: string): Promise<C.SessionDetailT> {
    return this.detail(tx, actor, await this.mustSession(tx, id));
  }

  private async detail(tx: TenantTx, actor: Actor, s: q.SessionRow): Promise<C.SessionDetailT> {
    const [agenda, documents, caps] = await Promise.all([
      q.agendaOf(tx, s.id),
      q.documentsOf(tx, s.id),
      this.capabilities(tx, actor),
    ]);
    // An observer reads the public work items only: a link to another one is not shown.
    const linked = [...new Set(agenda.flatMap((a) => (a.workItemId ? [a.workItemId] : [])))];
    const readable = await q.readableWorkItems(tx, linked);
    return {
      ...this.summary(s, agenda.length),
      participants: s.participants.map((p) => ({ ...p, organisationId: p.organisationId ?? null })),
      minutes: s.minutes,
      minutesAdoptedOn: s.minutesAdoptedOn,
      agenda: agenda.map((a) => ({
        ...this.agendaItem(a),
        workItemId: a.workItemId && readable.has(a.workItemId) ? a.workItemId : null,
      })),
      documents: documents.map((d) => this.document(d)),
      canManage: caps.canManage,
    };
  }

  private async numberFree(tx: TenantTx, number: number, except?: string) {
    if (await q.sessionNumberTaken(tx, number, except))
      throw new AppError('ALREADY_EXISTS', `Session ${number} already exists`, [
        { path: 'number', message: 'This session number is taken' },
      ]);
  }

  /** Organisations the Secretariat may invite as observers (empty elsewhere). */
  observerOrganisations(tx: TenantTx) {
    return q.observerOrganisations(tx);
  }

  /** Every invited organisation must be one the Secretariat may invite (422 naming the others). */
  private async checkInvited(tx: TenantTx, participants: C.SessionInputT['participants'] | undefined) {
    const ids = [
      ...new Set((participants ?? []).flatMap((p) => (p.organisationId ? [p.organisationId] : []))),
    ];
    if (ids.length === 0) return;
    const known = new Set((await q.observerOrganisations(tx)).map((o) => o.id));
    const unknown = ids.filter((i) => !known.has(i));
    if (unknown.length)
      throw new AppError('UNPROCESSABLE', `Unknown observer organisation: ${unknown.join(', ')}`, [
        { path: 'participants', message: 'Invite an international, private-sector or donor organisation' },
      ]);
  }

  async createSession(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: C.SessionInputT,
  ): Promise<C.SessionDetailT> {
    await this.mustManage(tx);
    await this.checkInvited(tx, input.participants);
    await this.numberFree(tx, input.number);
    const s = await q.insertSession(tx, { tenantId, ...input });
    await this.audit(tx, tenantId, actor, 'isc.session.created', 'isc_session', s.id, { number: s.number });
    return this.detail(tx, actor, s);
  }

  async updateSession(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.UpdateSessionInputT,
  ): Promise<C.SessionDetailT> {
    const current = await this.mustSession(tx, id);
    await this.mustManage(tx);
    const { version, ...changes } = input;
    const next = { ...current, ...changes };
    if (next.startDate > next.endDate) throw invalid('endDate', 'The session ends on or after its first day');
    if (next.status === 'minutes_adopted' && (!next.minutesAdoptedOn || next.minutes.trim() === ''))
      throw invalid('minutesAdoptedOn', 'Adopted minutes need their text and the day they were adopted');
    // The minutes record the whole session: they are adopted on its last day or later.
    if (next.minutesAdoptedOn && next.minutesAdoptedOn < next.endDate)
      throw invalid('minutesAdoptedOn', 'The minutes are adopted on or after the session’s last day');
    if (changes.number !== undefined) await this.numberFree(tx, changes.number, id);
    await this.checkInvited(tx, changes.participants);
    const s = await updateVersioned(tx, iscSessions, id, version, changes);
    await this.audit(tx, tenantId, actor, 'isc.session.updated', 'isc_session', id, {
      fields: Object.keys(changes),
      ...(changes.status ? { status: changes.status } : {}),
    });
    return this.detail(tx, actor, s);
  }

  // ---- agenda ------------------------------------------------------------------------------------

  /** Linked documents must be this session's; the work item must exist. */
  private async checkLinks(
    tx: TenantTx,
    sessionId: string,
    links: { documentIds?: string[]; workItemId?: string | null },
  ) {
    if (links.workItemId && !(await q.findWorkItem(tx, links.workItemId)))
      throw invalid('workItemId', 'Unknown work-programme item');
    if (links.documentIds?.length) {
      const ids = new Set((await q.documentsOf(tx, sessionId)).map((d) => d.id));
      if (links.documentIds.some((d) => !ids.has(d)))
        throw invalid('documentIds', 'A linked document is not one of this session’s documents');
    }
  }

  async addAgendaItem(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    sessionId: string,
    input: C.AgendaItemInputT,
  ): Promise<C.SessionDetailT> {
    const s = await this.mustSession(tx, sessionId);
    await this.mustManage(tx);
    await q.lockSession(tx, sessionId);
    await this.checkLinks(tx, sessionId, input);
    const agenda = await q.agendaOf(tx, sessionId);
    const position = (agenda.at(-1)?.position ?? 0) + 1;
    const a = await q.insertAgendaItem(tx, { tenantId, sessionId, position, ...input });
    await this.audit(tx, tenantId, actor, 'isc.agenda.added', 'isc_agenda_item', a.id, {
      sessionId,
      number: a.number,
    });
    return this.detail(tx, actor, s);
  }

  private async mustItem(tx: TenantTx, sessionId: string, itemId: string) {
    const s = await this.mustSession(tx, sessionId);
    const a = await q.findAgendaItem(tx, sessionId, itemId);
    if (!a) throw notFound('agenda item');
    return { s, a };
  }

  /** The item as it is once the session's agenda is locked (another change may have moved it meanwhile). */
  private async lockedItem(tx: TenantTx, sessionId: string, itemId: string) {
    await q.lockSession(tx, sessionId);
    const a = await q.findAgendaItem(tx, sessionId, itemId);
    if (!a) throw notFound('agenda item');
    return a;
  }

  async updateAgendaItem(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    sessionId: string,
    itemId: string,
    input: C.UpdateAgendaItemInputT,
  ): Promise<C.SessionDetailT> {
    const { s } = await this.mustItem(tx, sessionId, itemId);
    await this.mustManage(tx);
    const { version, ...changes } = input;
    await this.checkLinks(tx, sessionId, changes);
    await updateVersioned(tx, iscAgendaItems, itemId, version, changes);
    await this.audit(tx, tenantId, actor, 'isc.agenda.updated', 'isc_agenda_item', itemId, {
      sessionId,
      fields: Object.keys(changes),
    });
    return this.detail(tx, actor, s);
  }

  /** Swaps the item with its neighbour; both versions move on, so a stale copy of either is 409. */
  async moveAgendaItem(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    sessionId: string,
    itemId: string,
    input: { version: number; direction: 'up' | 'down' },
  ): Promise<C.SessionDetailT> {
    const { s } = await this.mustItem(tx, sessionId, itemId);
    await this.mustManage(tx);
    const a = await this.lockedItem(tx, sessionId, itemId);
    if (a.version !== input.version) await updateVersioned(tx, iscAgendaItems, itemId, input.version, {});
    const n = await q.neighbour(tx, a, input.direction);
    if (!n)
      throw new AppError('CONFLICT', `The item is already ${input.direction === 'up' ? 'first' : 'last'}`);
    await updateVersioned(tx, iscAgendaItems, itemId, input.version, { position: n.position });
    await q.setPosition(tx, n.id, a.position);
    await this.audit(tx, tenantId, actor, 'isc.agenda.moved', 'isc_agenda_item', itemId, {
      sessionId,
      from: a.position,
      to: n.position,
    });
    return this.detail(tx, actor, s);
  }

  async removeAgendaItem(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    sessionId: string,
    itemId: string,
    version: number,
  ): Promise<C.SessionDetailT> {
    const { s } = await this.mustItem(tx, sessionId, itemId);
    await this.mustManage(tx);
    const a = await this.lockedItem(tx, sessionId, itemId);
    await deleteVersioned(tx, iscAgendaItems, itemId, version);
    await q.closeGap(tx, sessionId, a.position);
    await this.audit(tx, tenantId, actor, 'isc.agenda.removed', 'isc_agenda_item', itemId, {
      sessionId,
      number: a.number,
    });
    return this.detail(tx, actor, s);
  }

  // ---- documents ---------------------------------------------------------------------------------

  /** Stores the file, then its row; the file is removed if the row is not written. */
  async addDocument(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    fields: { sessionId: string; title: string },
    file: UploadedFile,
  ): Promise<C.DocumentT> {
    await this.mustSession(tx, fields.sessionId);
    await this.mustManage(tx);
    const key = `isc/${fields.sessionId}/${uuidv7()}`;
    await this.k.storage.put(tenantId, key, file.data);
    try {
      const d = await q.insertDocument(tx, {
        tenantId,
        sessionId: fields.sessionId,
        title: fields.title,
        storageKey: key,
        filename: file.filename,
        mediaType: file.mediaType,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: actor.userId,
      });
      await this.audit(tx, tenantId, actor, 'isc.document.added', 'isc_document', d.id, {
        sessionId: fields.sessionId,
        filename: d.filename,
        size: d.size,
        sha256: d.sha256,
      });
      return this.document(d);
    } catch (e) {
      await this.k.storage.delete(tenantId, key).catch(() => {});
      throw e;
    }
  }

  private async mustDocument(tx: TenantTx, sessionId: string, documentId: string) {
    await this.mustSession(tx, sessionId);
    const d = await q.findDocument(tx, sessionId, documentId);
    if (!d) throw notFound('document');
    return d;
  }

  /** A document's bytes: stored by the Secretariat, read by the row's own tenant. */
  async documentFile(tx: TenantTx, sessionId: string, documentId: string) {
    const d = await this.mustDocument(tx, sessionId, documentId);
    return {
      filename: d.filename,
      mediaType: d.mediaType,
      data: await this.k.storage.get(d.tenantId, d.storageKey),
    };
  }

  async removeDocument(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    sessionId: string,
    documentId: string,
    afterCommit: (fn: () => void) => void,
  ): Promise<void> {
    const d = await this.mustDocument(tx, sessionId, documentId);
    await this.mustManage(tx);
    await q.unlinkDocument(tx, sessionId, documentId);
    await q.deleteDocument(tx, documentId);
    await this.audit(tx, tenantId, actor, 'isc.document.removed', 'isc_document', documentId, {
      sessionId,
      filename: d.filename,
    });
    afterCommit(() => void this.k.storage.delete(tenantId, d.storageKey).catch(() => {}));
  }

  // ---- work programme ----------------------------------------------------------------------------

  private workItem(w: q.WorkItemRow, today: string): C.WorkItemT {
    return {
      id: w.id,
      programme: w.programme,
      ref: w.ref,
      title: w.title,
      coreFunction: w.coreFunction,
      leadKind: w.leadKind,
      leadName: w.leadName,
      status: w.status,
      deliverables: w.deliverables,
      dueDate: w.dueDate,
      overdue:
        w.dueDate !== null &&
        w.dueDate < today &&
        (OPEN_WORK_STATUSES as readonly string[]).includes(w.status),
      public: w.public,
      version: w.version,
    };
  }

  async listWorkItems(tx: TenantTx, programme?: string, today = isoDay(new Date())): Promise<C.WorkItemT[]> {
    return (await q.listWorkItems(tx, programme)).map((w) => this.workItem(w, today));
  }

  /** The work programme as a table, headings and values in the caller's language. */
  async exportWork(tx: TenantTx, format: TableFormat, locale: Locale, programme?: string): Promise<Buffer> {
    const items = await this.listWorkItems(tx, programme);
    const col = (key: string) => ({ key, header: t(locale, `isc.columns.${key}`) });
    return writeTable({
      sheetName: t(locale, 'isc.workSheet'),
      columns: [
        'programme',
        'ref',
        'title',
        'coreFunction',
        'lead',
        'status',
        'deliverables',
        'dueDate',
        'overdue',
      ].map(col),
      rows: items.map((w) => ({
        programme: w.programme,
        ref: w.ref,
        title: w.title,
        coreFunction: t(locale, `isc.coreFunction.${w.coreFunction}`),
        lead: w.leadKind === 'secretariat' ? t(locale, 'isc.secretariat') : w.leadName,
        status: t(locale, `isc.workStatus.${w.status}`),
        deliverables: w.deliverables.join('; '),
        dueDate: w.dueDate,
        overdue: t(locale, w.overdue ? 'isc.yes' : 'isc.no'),
      })),
      format,
      rtl: RTL.has(locale),
    });
  }

  private async refFree(tx: TenantTx, programme: string, ref: string, except?: string) {
    if (await q.workRefTaken(tx, programme, ref, except))
      throw new AppError('ALREADY_EXISTS', `Item ${ref} already exists in ${programme}`, [
        { path: 'ref', message: 'This reference is taken in this work programme' },
      ]);
  }

  async createWorkItem(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: C.WorkItemInputT,
  ): Promise<C.WorkItemT> {
    await this.mustManage(tx);
    const programme = input.programme.replace('-', '–');
    await this.refFree(tx, programme, input.ref);
    const w = await q.insertWorkItem(tx, { tenantId, ...input, programme });
    await this.audit(tx, tenantId, actor, 'isc.work.created', 'isc_work_item', w.id, {
      programme,
      ref: w.ref,
    });
    return this.workItem(w, isoDay(new Date()));
  }

  async updateWorkItem(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.UpdateWorkItemInputT,
  ): Promise<C.WorkItemT> {
    const current = await q.findWorkItem(tx, id);
    if (!current) throw notFound('work item');
    await this.mustManage(tx);
    const { version, ...changes } = input;
    if (changes.programme) changes.programme = changes.programme.replace('-', '–');
    const next = { ...current, ...changes };
    if (next.leadKind === 'member' && next.leadName.trim() === '')
      throw invalid('leadName', 'Name the Member administration that leads the item');
    if ((changes.programme !== undefined || changes.dueDate !== undefined) && next.dueDate)
      if (!C.dueInProgramme(next.dueDate, next.programme)) throw invalid('dueDate', C.DUE_OUTSIDE);
    if (changes.programme !== undefined || changes.ref !== undefined)
      await this.refFree(tx, next.programme, next.ref, id);
    const w = await updateVersioned(tx, iscWorkItems, id, version, changes);
    await this.audit(tx, tenantId, actor, 'isc.work.updated', 'isc_work_item', id, {
      fields: Object.keys(changes),
      ...(changes.status ? { status: changes.status } : {}),
    });
    return this.workItem(w, isoDay(new Date()));
  }

  // ---- recommendations ---------------------------------------------------------------------------

  private async recommendations(tx: TenantTx, rows: q.RecommendationRow[]): Promise<C.RecommendationT[]> {
    const numbers = await q.sessionNumbers(tx, [...new Set(rows.map((r) => r.sessionId))]);
    return rows.map((r) => ({
      id: r.id,
      ref: r.ref,
      text: r.text,
      sessionId: r.sessionId,
      sessionNumber: numbers.get(r.sessionId) ?? 0,
      status: r.status,
      history: r.history,
      version: r.version,
    }));
  }

  async listRecommendations(tx: TenantTx): Promise<C.RecommendationT[]> {
    return this.recommendations(tx, await q.listRecommendations(tx));
  }

  private async mustRecommendation(tx: TenantTx, id: string) {
    const r = await q.findRecommendation(tx, id);
    if (!r) throw notFound('recommendation');
    return r;
  }

  private async refFreeRecommendation(tx: TenantTx, ref: string, except?: string) {
    if (await q.recommendationRefTaken(tx, ref, except))
      throw new AppError('ALREADY_EXISTS', `Recommendation ${ref} already exists`, [
        { path: 'ref', message: 'This reference is taken' },
      ]);
  }

  private async nameOf(tx: TenantTx, actor: Actor): Promise<string> {
    return (await directory.people(tx, [actor.userId])).get(actor.userId)?.name ?? actor.email;
  }

  async createRecommendation(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: C.RecommendationInputT,
  ): Promise<C.RecommendationT> {
    await this.mustManage(tx);
    const session = await q.findSession(tx, input.sessionId);
    if (!session) throw invalid('sessionId', 'Unknown session');
    if (input.proposedOn < session.startDate)
      throw invalid('proposedOn', `The session that adopts it starts on ${session.startDate}`);
    await this.refFreeRecommendation(tx, input.ref);
    const r = await q.insertRecommendation(tx, {
      tenantId,
      ref: input.ref,
      text: input.text,
      sessionId: input.sessionId,
      status: 'proposed',
      history: [{ status: 'proposed', on: input.proposedOn, note: '', by: await this.nameOf(tx, actor) }],
    });
    await this.audit(tx, tenantId, actor, 'isc.recommendation.created', 'isc_recommendation', r.id, {
      ref: r.ref,
      sessionId: r.sessionId,
    });
    return (await this.recommendations(tx, [r]))[0]!;
  }

  async updateRecommendation(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.UpdateRecommendationInputT,
  ): Promise<C.RecommendationT> {
    await this.mustRecommendation(tx, id);
    await this.mustManage(tx);
    const { version, ...changes } = input;
    if (changes.ref !== undefined) await this.refFreeRecommendation(tx, changes.ref, id);
    const r = await updateVersioned(tx, iscRecommendations, id, version, changes);
    await this.audit(tx, tenantId, actor, 'isc.recommendation.updated', 'isc_recommendation', id, {
      fields: Object.keys(changes),
    });
    return (await this.recommendations(tx, [r]))[0]!;
  }

  /** The next follow-up step, dated, appended to the history (never before the previous one). */
  async changeStatus(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.StatusInputT,
  ): Promise<C.RecommendationT> {
    const current = await this.mustRecommendation(tx, id);
    await this.mustManage(tx);
    if (current.version !== input.version)
      await updateVersioned(tx, iscRecommendations, id, input.version, {});
    if (!RECOMMENDATION_NEXT[current.status].includes(input.status))
      throw new AppError('CONFLICT', `A ${current.status} recommendation cannot become ${input.status}`);
    const last = current.history.at(-1);
    if (last && input.on < last.on) throw invalid('on', `The follow-up is dated on or after ${last.on}`);
    const r = await updateVersioned(tx, iscRecommendations, id, input.version, {
      status: input.status,
      history: [
        ...current.history,
        { status: input.status, on: input.on, note: input.note, by: await this.nameOf(tx, actor) },
      ],
    });
    await this.audit(tx, tenantId, actor, 'isc.recommendation.status', 'isc_recommendation', id, {
      from: current.status,
      to: input.status,
      on: input.on,
    });
    return (await this.recommendations(tx, [r]))[0]!;
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId: actor.userId, action, entityType, entityId, data });
  }
}
