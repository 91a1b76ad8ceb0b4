import { createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import { rows, type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { TableColumn, TableRow } from '../../platform/tables/tables.ts';
import { renderMarkdown } from '../learning/index.ts';
import type * as C from './conduct.contract.ts';
import { P } from './conduct.permissions.ts';
import * as q from './conduct.queries.ts';
import {
  conductAcknowledgements,
  conductAssignments,
  conductCampaigns,
  conductParties,
  conductPartyAcks,
  conductPartyLinks,
  conductVersions,
} from './conduct.schema.ts';
import type { Audience } from './conduct.vocab.ts';
import { addDays, isoDay } from '../../platform/dates.ts';
import { type DirectoryMember, lineManagersOf, unitSubtree } from '../identity/index.ts';

/** Days before the due date when the "due soon" reminder goes out. */
export const DUE_SOON_DAYS = 7;
/** A member a campaign reaches after its due date has this many days from the day they are added. */
export const LATE_JOINER_DAYS = 30;
/** A party's one-time link is valid this many days. */
export const LINK_DAYS = 30;

const NIL_TENANT = '00000000-0000-0000-0000-000000000000';
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
/** The code's Markdown as sanitised HTML, its headings two levels down (the page and the code's title come first). */
const codeHtml = (md: string) =>
  renderMarkdown(md).replace(
    /<(\/?)h([1-6])>/g,
    (_, close: string, n: string) => `<${close}h${Math.min(6, Number(n) + 2)}>`,
  );
const minDay = (a: string, b: string) => (a < b ? a : b);
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const rate = (assigned: number, acknowledged: number) => ({
  assigned,
  acknowledged,
  rate: assigned ? acknowledged / assigned : null,
});

type Unit = { id: string; name: string; parentId: string | null };

/** Units depth-first (children under their parent, by name), with their depth. */
function tree(units: Unit[]): (Unit & { depth: number })[] {
  const ids = new Set(units.map((u) => u.id));
  const out: (Unit & { depth: number })[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const u of units.filter((x) => (x.parentId && ids.has(x.parentId) ? x.parentId : null) === parent)) {
      out.push({ ...u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export class ConductService {
  constructor(
    private readonly k: Kernel,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now() {
    return this.clock();
  }

  // ---- versions -------------------------------------------------------------------------------

  private summary(v: q.VersionRow): C.VersionSummary {
    return {
      id: v.id,
      audience: v.audience,
      number: v.number,
      title: v.title,
      effectiveDate: v.effectiveDate,
      status: v.status,
      hasPdf: !!v.pdfKey,
      publishedAt: iso(v.publishedAt),
      version: v.version,
    };
  }

  private detail(v: q.VersionRow): C.VersionDetail {
    return {
      ...this.summary(v),
      body: v.body,
      html: codeHtml(v.body),
      pdfName: v.pdfName,
      sanctions: [...v.sanctions].sort((a, b) => a.level - b.level),
    };
  }

  async listVersions(tx: TenantTx, audience?: Audience) {
    return (await q.listVersions(tx, audience)).map((v) => this.summary(v));
  }

  /** A version: published staff versions for everyone; drafts and the private-sector code for managers. */
  private async readable(tx: TenantTx, actor: Actor, id: string): Promise<q.VersionRow> {
    const v = await q.findVersion(tx, id);
    const manager = actor.permissions.has(P.manage);
    if (!v || (!manager && (v.status !== 'published' || v.audience !== 'staff')))
      throw notFound('code version');
    return v;
  }

  async version(tx: TenantTx, actor: Actor, id: string) {
    return this.detail(await this.readable(tx, actor, id));
  }

  async createVersion(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: z.infer<typeof C.CreateVersionInput>,
  ) {
    const number = await q.nextNumber(tx, input.audience);
    const [v] = await tx
      .insert(conductVersions)
      .values({
        tenantId,
        audience: input.audience,
        number,
        title: input.title,
        body: input.body,
        effectiveDate: input.effectiveDate,
        sanctions: input.sanctions,
        createdBy: actor.userId,
      })
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'conduct.version.created', 'conduct_version', v!.id, {
      audience: v!.audience,
      number,
    });
    return this.detail(v!);
  }

  private async draft(tx: TenantTx, id: string): Promise<q.VersionRow> {
    const v = await q.findVersion(tx, id);
    if (!v) throw notFound('code version');
    if (v.status !== 'draft')
      throw new AppError('CONFLICT', `Version ${v.number} is published: published versions are immutable`);
    return v;
  }

  async updateVersion(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.UpdateVersionInput>,
  ) {
    await this.draft(tx, id);
    const { version, ...values } = input;
    const v = await updateVersioned(
      tx,
      conductVersions,
      id,
      version,
      values,
      eq(conductVersions.status, 'draft'),
    );
    await this.audit(tx, tenantId, actor.userId, 'conduct.version.updated', 'conduct_version', id, {
      fields: Object.keys(values),
    });
    return this.detail(v);
  }

  async publish(tx: TenantTx, tenantId: string, actor: Actor, id: string) {
    const d = await this.draft(tx, id);
    if (!d.body.trim() && !d.pdfKey)
      throw new AppError('UNPROCESSABLE', 'Write the code or attach its PDF before publishing', [
        { path: 'body', message: 'The code has no text and no PDF' },
      ]);
    const [v] = await tx
      .update(conductVersions)
      .set({
        status: 'published',
        publishedAt: this.now(),
        publishedBy: actor.userId,
        version: sql`${conductVersions.version} + 1`,
        updatedAt: this.now(),
      })
      .where(and(eq(conductVersions.id, id), eq(conductVersions.status, 'draft')))
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'conduct.version.published', 'conduct_version', id, {
      audience: d.audience,
      number: d.number,
      effectiveDate: d.effectiveDate,
    });
    return this.detail(v!);
  }

  async attachPdf(tx: TenantTx, tenantId: string, actor: Actor, id: string, file: UploadedFile) {
    const d = await this.draft(tx, id);
    const key = `conduct/${d.id}.pdf`;
    await this.k.storage.put(tenantId, key, file.data);
    const v = await updateVersioned(tx, conductVersions, id, d.version, {
      pdfKey: key,
      pdfName: file.filename,
      pdfSha256: file.sha256,
    });
    await this.audit(tx, tenantId, actor.userId, 'conduct.version.pdf_attached', 'conduct_version', id, {
      filename: file.filename,
      sha256: file.sha256,
      size: file.size,
    });
    return this.detail(v);
  }

  async pdf(tx: TenantTx, tenantId: string, actor: Actor, id: string) {
    const v = await this.readable(tx, actor, id);
    if (!v.pdfKey) throw notFound('PDF');
    return {
      filename: v.pdfName ?? `code-${v.number}.pdf`,
      data: await this.k.storage.get(tenantId, v.pdfKey),
    };
  }

  // ---- my code ----------------------------------------------------------------------------------

  async myCode(tx: TenantTx, actor: Actor): Promise<C.MyCode> {
    const current = await q.currentVersion(tx, 'staff');
    const mine = await q.acksOf(tx, { userId: actor.userId });
    const versions = new Map((await q.listVersions(tx, 'staff')).map((v) => [v.id, v]));
    const ack = current && mine.find((a) => a.versionId === current.id);
    const due = current
      ? (await q.assignmentsOf(tx, { versionId: current.id, userId: actor.userId }))
          .map((a) => a.dueDate)
          .sort()[0]
      : undefined;
    return {
      code: current ? this.detail(current) : null,
      acknowledgedAt: iso(ack?.acknowledgedAt),
      dueDate: due ?? null,
      history: mine
        .filter((a) => versions.has(a.versionId))
        .map((a) => ({
          versionId: a.versionId,
          number: versions.get(a.versionId)!.number,
          title: versions.get(a.versionId)!.title,
          acknowledgedAt: a.acknowledgedAt.toISOString(),
        }))
        .reverse(),
    };
  }

  /** Acknowledge a published staff version (idempotent: a second call returns the first record). */
  async acknowledge(tx: TenantTx, tenantId: string, actor: Actor, versionId: string) {
    const v = await q.findVersion(tx, versionId);
    if (v?.status !== 'published' || v.audience !== 'staff') throw notFound('code version');
    const [done] = await tx
      .insert(conductAcknowledgements)
      .values({
        tenantId,
        versionId,
        userId: actor.userId,
        orgUnitId: await q.directory.unitOf(tx, actor.userId),
        acknowledgedAt: this.now(),
      })
      .onConflictDoNothing()
      .returning();
    if (done)
      await this.audit(tx, tenantId, actor.userId, 'conduct.acknowledged', 'conduct_version', versionId, {
        number: v.number,
        acknowledgedAt: done.acknowledgedAt.toISOString(),
      });
    const [row] = await q.acksOf(tx, { versionId, userId: actor.userId });
    return { versionId, acknowledgedAt: row!.acknowledgedAt.toISOString() };
  }

  // ---- campaigns --------------------------------------------------------------------------------

  /** The active members a campaign targets, with their unit (`members`: the directory's, if already read). */
  private async targets(
    tx: TenantTx,
    c: Pick<q.CampaignRow, 'targetKind' | 'units' | 'joinedFrom'>,
    members?: DirectoryMember[],
  ) {
    members ??= await q.directory.members(tx);
    if (c.targetKind === 'all') return members;
    if (c.targetKind === 'new_entrants') {
      const joined = await q.directory.joinedAt(tx);
      return members.filter((m) => {
        const at = joined.get(m.userId);
        return at && isoDay(at) >= c.joinedFrom!;
      });
    }
    const within = unitSubtree(await q.directory.units(tx), c.units);
    return members.filter((m) => m.unitId && within.has(m.unitId));
  }

  /** Assign the campaign to targeted members not yet assigned (idempotent). Returns how many were added. */
  private async sync(
    tx: TenantTx,
    c: q.CampaignRow,
    today: string,
    members?: DirectoryMember[],
  ): Promise<number> {
    const people = await this.targets(tx, c, members);
    if (!people.length) return 0;
    const dueDate = c.dueDate >= today ? c.dueDate : addDays(today, LATE_JOINER_DAYS);
    const added = await tx
      .insert(conductAssignments)
      .values(
        people.map((p) => ({
          tenantId: c.tenantId,
          campaignId: c.id,
          versionId: c.versionId,
          userId: p.userId,
          orgUnitId: p.unitId,
          dueDate,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: conductAssignments.id });
    return added.length;
  }

  async createCampaign(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: z.infer<typeof C.CreateCampaignInput>,
  ): Promise<C.CampaignDetail> {
    const v = await q.findVersion(tx, input.versionId);
    if (v?.status !== 'published' || v.audience !== 'staff')
      throw new AppError('VALIDATION_FAILED', 'Choose a published version of the staff code', [
        { path: 'versionId', message: 'Not a published staff code version' },
      ]);
    const today = isoDay(this.now());
    if (input.dueDate < today)
      throw new AppError('VALIDATION_FAILED', 'The due date is in the past', [
        { path: 'dueDate', message: 'Choose today or a later day' },
      ]);
    const units = [...new Set(input.units ?? [])];
    if (input.targetKind === 'units') {
      const known = new Set((await q.directory.units(tx)).map((u) => u.id));
      const unknown = units.filter((u) => !known.has(u));
      if (unknown.length)
        throw new AppError(
          'VALIDATION_FAILED',
          'Unknown unit',
          unknown.map((u) => ({ path: 'units', message: `Unknown unit ${u}` })),
        );
    }
    const [c] = await tx
      .insert(conductCampaigns)
      .values({
        tenantId,
        versionId: v.id,
        title: input.title,
        targetKind: input.targetKind,
        units: input.targetKind === 'units' ? units : [],
        joinedFrom: input.targetKind === 'new_entrants' ? input.joinedFrom! : null,
        dueDate: input.dueDate,
        escalate: input.escalate ?? true,
        createdBy: actor.userId,
      })
      .returning();
    const assigned = await this.sync(tx, c!, today);
    await this.audit(tx, tenantId, actor.userId, 'conduct.campaign.created', 'conduct_campaign', c!.id, {
      versionId: v.id,
      number: v.number,
      targetKind: c!.targetKind,
      units: c!.units,
      joinedFrom: c!.joinedFrom,
      dueDate: c!.dueDate,
      assigned,
    });
    return this.campaign(tx, c!.id);
  }

  private async campaignRows(tx: TenantTx, list: q.CampaignRow[]) {
    const versions = new Map((await q.listVersions(tx, 'staff')).map((v) => [v.id, v]));
    const assignments = await q.assignmentsOf(tx, { campaignIds: list.map((c) => c.id) });
    const acks = await q.acksOf(tx, {});
    const acked = new Map(acks.map((a) => [`${a.userId}:${a.versionId}`, a.acknowledgedAt]));
    const today = isoDay(this.now());
    return list.map((c) => {
      const mine = assignments.filter((a) => a.campaignId === c.id);
      const ackOf = (a: q.AssignmentRow) => acked.get(`${a.userId}:${a.versionId}`) ?? null;
      const v = versions.get(c.versionId);
      return {
        base: {
          id: c.id,
          versionId: c.versionId,
          versionNumber: v?.number ?? 0,
          versionTitle: v?.title ?? '',
          title: c.title,
          targetKind: c.targetKind,
          units: c.units,
          joinedFrom: c.joinedFrom,
          dueDate: c.dueDate,
          escalate: c.escalate,
          assigned: mine.length,
          acknowledged: mine.filter((a) => ackOf(a)).length,
          overdue: mine.filter((a) => !ackOf(a) && a.dueDate < today).length,
          createdAt: c.createdAt.toISOString(),
        } satisfies C.Campaign,
        mine,
        ackOf,
        today,
      };
    });
  }

  async listCampaigns(tx: TenantTx): Promise<C.Campaign[]> {
    return (await this.campaignRows(tx, await q.listCampaigns(tx))).map((r) => r.base);
  }

  async campaign(tx: TenantTx, id: string): Promise<C.CampaignDetail> {
    const c = await q.findCampaign(tx, id);
    if (!c) throw notFound('campaign');
    const [r] = await this.campaignRows(tx, [c]);
    const people = await q.directory.people(
      tx,
      r!.mine.map((a) => a.userId),
    );
    const units = new Map((await q.directory.units(tx)).map((u) => [u.id, u.name]));
    return {
      ...r!.base,
      people: r!.mine
        .map((a) => {
          const at = r!.ackOf(a);
          return {
            userId: a.userId,
            name: people.get(a.userId)?.name ?? '—',
            unit: a.orgUnitId ? (units.get(a.orgUnitId) ?? null) : null,
            acknowledgedAt: iso(at),
            overdue: !at && a.dueDate < r!.today,
          };
        })
        .sort((x, y) => x.name.localeCompare(y.name)),
    };
  }

  // ---- reminders and escalation (docs/adr/0022) -------------------------------------------------

  async sendReminders(tx: TenantTx, tenantId: string, now: Date): Promise<{ sent: number; skipped: number }> {
    const today = isoDay(now);
    const current = await q.currentVersion(tx, 'staff');
    if (!current) return { sent: 0, skipped: 0 };
    const campaigns = await q.listCampaigns(tx, current.id);
    const members = await q.directory.members(tx);
    for (const c of campaigns) await this.sync(tx, c, today, members);
    const acked = new Set((await q.acksOf(tx, { versionId: current.id })).map((a) => a.userId));
    const open = (await q.assignmentsOf(tx, { versionId: current.id })).filter(
      (a) => !acked.has(a.userId) && a.dueDate <= addDays(today, DUE_SOON_DAYS),
    );
    if (!open.length) return { sent: 0, skipped: 0 };
    const byId = new Map(members.map((m) => [m.userId, m]));
    const units = await q.directory.units(tx);
    const byCampaign = new Map(campaigns.map((c) => [c.id, c]));
    let sent = 0;
    let skipped = 0;
    const send = async (userId: string, a: q.AssignmentRow, kind: string, vars: Record<string, string>) => {
      if (!byId.has(userId)) {
        skipped++;
        return;
      }
      const isNew = await this.k.notify.send(tx, {
        tenantId,
        userId,
        kind: `conduct.${kind}`,
        messageKey: `conduct.notify.${kind}`,
        vars: { ...vars, code: current.title, dueDate: a.dueDate },
        // Escalations go to line managers, who may open the rates, not the campaigns.
        link: kind === 'escalation' ? '/conduct/reports' : '/conduct',
        dedupeKey: `conduct:${a.id}:${kind}:${a.dueDate}`,
        email: true,
      });
      if (isNew) sent++;
      else skipped++;
    };
    for (const a of open) {
      const person = byId.get(a.userId);
      const overdue = a.dueDate < today;
      await send(a.userId, a, overdue ? 'overdue' : 'due_soon', {});
      const c = byCampaign.get(a.campaignId);
      if (!overdue || !c?.escalate || !person) continue;
      const found = lineManagersOf(members, units, person.unitId, a.userId);
      const to = new Set(found.length ? found : [c.createdBy]);
      to.delete(a.userId);
      for (const u of to) await send(u, a, 'escalation', { person: person.name });
    }
    return { sent, skipped };
  }

  // ---- reports (docs/adr/0022) ------------------------------------------------------------------

  /**
   * Who had to acknowledge a version (campaigns due in the period — any due date when the period
   * is open; one row per person, at the unit of their first assignment) and whether they did by
   * the end of `to` (default today).
   */
  private async population(tx: TenantTx, query: z.infer<typeof C.ReportQuery>) {
    const today = isoDay(this.now());
    const to = query.to ?? today;
    const v = query.versionId
      ? await q.findVersion(tx, query.versionId)
      : await q.currentVersion(tx, 'staff');
    if (query.versionId && v?.audience !== 'staff') throw notFound('code version');
    if (!v) return { version: null, to, people: [] };
    const campaigns = (await q.listCampaigns(tx, v.id)).filter(
      (c) => (!query.from || c.dueDate >= query.from) && (!query.to || c.dueDate <= query.to),
    );
    const assignments = await q.assignmentsOf(tx, { campaignIds: campaigns.map((c) => c.id) });
    const acks = new Map((await q.acksOf(tx, { versionId: v.id })).map((a) => [a.userId, a.acknowledgedAt]));
    const end = new Date(`${addDays(to, 1)}T00:00:00Z`);
    const people = new Map<
      string,
      { userId: string; unitId: string | null; dueDate: string; ackAt: Date | null }
    >();
    for (const a of assignments) {
      const at = acks.get(a.userId);
      const prev = people.get(a.userId);
      if (!prev)
        people.set(a.userId, {
          userId: a.userId,
          unitId: a.orgUnitId,
          dueDate: a.dueDate,
          ackAt: at && at < end ? at : null,
        });
      else if (a.dueDate < prev.dueDate) prev.dueDate = a.dueDate;
    }
    return { version: v, to, people: [...people.values()] };
  }

  async report(tx: TenantTx, query: z.infer<typeof C.ReportQuery>): Promise<C.Report> {
    const { version, to, people } = await this.population(tx, query);
    const units = await q.directory.units(tx);
    const today = isoDay(this.now());
    const cutoff = minDay(to, today);
    const count = (inUnit: (u: string | null) => boolean) => {
      const list = people.filter((p) => inUnit(p.unitId));
      return rate(list.length, list.filter((p) => p.ackAt).length);
    };
    const byUnit: C.Report['byUnit'] = tree(units).map((u) => {
      const within = unitSubtree(units, [u.id]);
      return {
        id: u.id,
        name: u.name,
        parentId: u.parentId,
        depth: u.depth,
        own: count((x) => x === u.id),
        withSubUnits: count((x) => !!x && within.has(x)),
      };
    });
    const known = new Set(units.map((u) => u.id));
    const none = count((x) => !x || !known.has(x));
    if (none.assigned)
      byUnit.push({ id: null, name: '', parentId: null, depth: 0, own: none, withSubUnits: none });
    return {
      versionId: version?.id ?? null,
      from: query.from ?? null,
      to,
      totals: {
        ...count(() => true),
        overdue: people.filter((p) => !p.ackAt && p.dueDate < cutoff).length,
      },
      byUnit,
    };
  }

  static readonly EXPORT_COLUMNS: TableColumn[] = [
    { key: 'name', header: 'Name' },
    { key: 'email', header: 'E-mail' },
    { key: 'unit', header: 'Unit' },
    { key: 'version', header: 'Code version' },
    { key: 'dueDate', header: 'Due date' },
    { key: 'acknowledgedAt', header: 'Acknowledged at' },
    { key: 'status', header: 'Status' },
  ];

  async exportRows(tx: TenantTx, query: z.infer<typeof C.ReportQuery>): Promise<TableRow[]> {
    const { version, to, people } = await this.population(tx, query);
    const names = await q.directory.people(
      tx,
      people.map((p) => p.userId),
    );
    const units = new Map((await q.directory.units(tx)).map((u) => [u.id, u.name]));
    const cutoff = minDay(to, isoDay(this.now()));
    return people
      .map((p) => ({
        name: names.get(p.userId)?.name ?? '',
        email: names.get(p.userId)?.email ?? '',
        unit: p.unitId ? (units.get(p.unitId) ?? '') : '',
        version: version?.number ?? null,
        dueDate: p.dueDate,
        acknowledgedAt: p.ackAt ? p.ackAt.toISOString() : '',
        status: p.ackAt ? 'acknowledged' : p.dueDate < cutoff ? 'overdue' : 'pending',
      }))
      .sort((a, b) => a.unit.localeCompare(b.unit) || a.name.localeCompare(b.name));
  }

  /** The acknowledgement rate for the RAD factor 7 KPI (see ConductApi). */
  async rate(tx: TenantTx, period: { from?: string; to?: string; unitId?: string }) {
    const { version, people } = await this.population(tx, { from: period.from, to: period.to });
    const within = period.unitId ? unitSubtree(await q.directory.units(tx), [period.unitId]) : null;
    const list = within ? people.filter((p) => p.unitId && within.has(p.unitId)) : people;
    return { versionId: version?.id ?? null, ...rate(list.length, list.filter((p) => p.ackAt).length) };
  }

  // ---- the private-sector code (RAD factor 10) --------------------------------------------------

  async parties(tx: TenantTx): Promise<C.PartyList> {
    const current = await q.currentVersion(tx, 'private_sector');
    const acks = new Map(current ? (await q.partyAcks(tx, current.id)).map((a) => [a.partyId, a]) : []);
    const items = (await q.listParties(tx)).map((p) => {
      const a = acks.get(p.id);
      return {
        id: p.id,
        type: p.type,
        name: p.name,
        identifier: p.identifier,
        licensed: p.licensed,
        email: p.email,
        archived: p.archived,
        acknowledged: a
          ? { method: a.method, signatory: a.signatory, acknowledgedAt: a.acknowledgedAt.toISOString() }
          : null,
        version: p.version,
      };
    });
    const brokers = items.filter((p) => p.type === 'broker' && p.licensed && !p.archived);
    return {
      items,
      current: current ? this.summary(current) : null,
      brokers: rate(brokers.length, brokers.filter((b) => b.acknowledged).length),
    };
  }

  private party(list: C.PartyList, id: string): C.Party {
    return list.items.find((p) => p.id === id)!;
  }

  async createParty(tx: TenantTx, tenantId: string, actor: Actor, input: z.infer<typeof C.PartyInput>) {
    const [p] = await tx
      .insert(conductParties)
      .values({
        tenantId,
        type: input.type,
        name: input.name,
        identifier: input.identifier || null,
        licensed: input.licensed ?? false,
        email: input.email ?? null,
      })
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'conduct.party.created', 'conduct_party', p!.id, {
      type: p!.type,
      name: p!.name,
      identifier: p!.identifier,
    });
    return this.party(await this.parties(tx), p!.id);
  }

  async updateParty(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.UpdatePartyInput>,
  ) {
    if (!(await q.findParty(tx, id))) throw notFound('party');
    const { version, ...values } = input;
    await updateVersioned(tx, conductParties, id, version, values);
    await this.audit(tx, tenantId, actor.userId, 'conduct.party.updated', 'conduct_party', id, values);
    return this.party(await this.parties(tx), id);
  }

  private async currentPrivate(tx: TenantTx) {
    const v = await q.currentVersion(tx, 'private_sector');
    if (!v) throw new AppError('CONFLICT', 'Publish the private-sector code first');
    return v;
  }

  async recordPaper(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    partyId: string,
    input: z.infer<typeof C.PaperAckInput>,
  ) {
    const p = await q.findParty(tx, partyId);
    if (!p) throw notFound('party');
    if (input.signedOn > isoDay(this.now()))
      throw new AppError('VALIDATION_FAILED', 'The signature day is in the future', [
        { path: 'signedOn', message: 'Not after today' },
      ]);
    const v = await this.currentPrivate(tx);
    const [a] = await tx
      .insert(conductPartyAcks)
      .values({
        tenantId,
        partyId,
        versionId: v.id,
        method: 'paper',
        signatory: input.signatory,
        recordedBy: actor.userId,
        acknowledgedAt: new Date(`${input.signedOn}T12:00:00Z`),
      })
      .onConflictDoNothing()
      .returning();
    if (!a) throw new AppError('ALREADY_EXISTS', 'This party already acknowledged the current code');
    await this.audit(tx, tenantId, actor.userId, 'conduct.party.acknowledged', 'conduct_party', partyId, {
      method: 'paper',
      versionId: v.id,
      signatory: input.signatory,
      signedOn: input.signedOn,
    });
    return this.party(await this.parties(tx), partyId);
  }

  async createLink(tx: TenantTx, tenantId: string, actor: Actor, partyId: string): Promise<C.PartyLink> {
    const p = await q.findParty(tx, partyId);
    if (!p) throw notFound('party');
    const v = await this.currentPrivate(tx);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + LINK_DAYS * 86_400_000);
    const [l] = await tx
      .insert(conductPartyLinks)
      .values({
        tenantId,
        partyId,
        versionId: v.id,
        tokenHash: hashToken(token),
        expiresAt,
        createdBy: actor.userId,
      })
      .returning({ id: conductPartyLinks.id });
    await this.audit(tx, tenantId, actor.userId, 'conduct.party.link_created', 'conduct_party', partyId, {
      linkId: l!.id,
      versionId: v.id,
      expiresAt: expiresAt.toISOString(),
    });
    return { url: `${this.k.config.publicUrl}/code/${token}`, token, expiresAt: expiresAt.toISOString() };
  }

  /** Runs `fn` in the tenant of a link (found by the token's hash), or 404 for an unknown token. */
  private async inLinkTenant<T>(
    token: string,
    fn: (tx: TenantTx, tenantId: string) => Promise<T>,
    readOnly = false,
  ) {
    const hash = hashToken(token);
    const [found] = await withTenant(
      this.k.db,
      { tenantId: NIL_TENANT, userId: null },
      (tx) =>
        rows<{ tenant_id: string | null }>(
          tx.execute(sql`select conduct_party_link_tenant(${hash}) as tenant_id`),
        ),
      { readOnly: true },
    );
    if (!found?.tenant_id) throw notFound('link');
    const tenantId = found.tenant_id;
    return withTenant(this.k.db, { tenantId, userId: null }, (tx) => fn(tx, tenantId), { readOnly });
  }

  private async linkOf(tx: TenantTx, token: string) {
    const [link] = await tx
      .select()
      .from(conductPartyLinks)
      .where(eq(conductPartyLinks.tokenHash, hashToken(token)));
    const party = link && (await q.findParty(tx, link.partyId));
    const version = link && (await q.findVersion(tx, link.versionId));
    if (!link || !party || !version) throw notFound('link');
    return { link, party, version };
  }

  async publicCode(token: string): Promise<C.PublicCode> {
    return this.inLinkTenant(
      token,
      async (tx) => {
        const { link, party, version } = await this.linkOf(tx, token);
        const [ack] = (await q.partyAcks(tx, version.id)).filter((a) => a.partyId === party.id);
        if (!ack && !link.usedAt && link.expiresAt < this.now())
          throw new AppError('GONE', 'This link has expired');
        const org = await q.directory.organisation(tx);
        return {
          organisation: org?.name ?? '',
          party: party.name,
          title: version.title,
          number: version.number,
          effectiveDate: version.effectiveDate,
          html: codeHtml(version.body),
          sanctions: [...version.sanctions].sort((a, b) => a.level - b.level),
          acknowledgedAt: iso(ack?.acknowledgedAt),
        };
      },
      true,
    );
  }

  async publicAcknowledge(token: string, input: z.infer<typeof C.PublicAckInput>) {
    await this.inLinkTenant(token, async (tx, tenantId) => {
      const { link, party, version } = await this.linkOf(tx, token);
      if (link.usedAt) throw new AppError('GONE', 'This link was already used');
      if (link.expiresAt < this.now()) throw new AppError('GONE', 'This link has expired');
      const used = await tx
        .update(conductPartyLinks)
        .set({ usedAt: this.now() })
        .where(and(eq(conductPartyLinks.id, link.id), sql`${conductPartyLinks.usedAt} is null`))
        .returning({ id: conductPartyLinks.id });
      if (!used.length) throw new AppError('GONE', 'This link was already used');
      const [a] = await tx
        .insert(conductPartyAcks)
        .values({
          tenantId,
          partyId: party.id,
          versionId: version.id,
          method: 'link',
          signatory: input.signatory,
          acknowledgedAt: this.now(),
        })
        .onConflictDoNothing()
        .returning();
      if (!a) throw new AppError('ALREADY_EXISTS', 'The code was already acknowledged for this party');
      await this.audit(tx, tenantId, null, 'conduct.party.acknowledged', 'conduct_party', party.id, {
        method: 'link',
        linkId: link.id,
        versionId: version.id,
        signatory: input.signatory,
      });
    });
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId, action, entityType, entityId, data });
  }
}
