import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, type DirectoryPerson } from '../identity/index.ts';
import { RAD_URN, StandardsService } from '../standards/index.ts';
import type * as C from './assessments.contract.ts';
import { P } from './assessments.permissions.ts';
import * as q from './assessments.queries.ts';
import { assessmentResponses, assessments } from './assessments.schema.ts';
import { computeScores, delta, type Scores } from './assessments.scoring.ts';
import type { AssessmentStatus, TeamRole } from './assessments.vocab.ts';

/** Groups smaller than this get a count and no figure (the SQL function enforces it too). */
const MIN_BENCHMARK_GROUP = 5;

type Text = Partial<Record<Locale, string>> | null | undefined;
const tr = (t: unknown, locale: Locale): string => {
  const x = t as Text;
  return x?.[locale] ?? x?.en ?? '';
};

export interface FrameworkFactor {
  factor: number;
  urn: string;
  name: string;
  weight: number;
}
export interface FrameworkItem {
  id: string;
  urn: string;
  refId: string;
  factor: number;
  name: string;
  guidance: string | null;
  weight: number;
}
export interface Framework {
  libraryId: string;
  urn: string;
  version: number;
  name: string;
  defaultScale: string | null;
  factors: FrameworkFactor[];
  items: FrameworkItem[];
}

const RESPONDERS: TeamRole[] = ['assessor', 'facilitator'];
const HEADER_EDITABLE: AssessmentStatus[] = ['planned', 'in_progress', 'in_review'];
const COMMENTABLE: AssessmentStatus[] = ['in_progress', 'in_review'];
const MOVES: Record<string, AssessmentStatus[]> = {
  in_progress: ['planned', 'in_review'],
  in_review: ['in_progress'],
  closed: ['validated'],
};

const directory = new Directory();
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const isValidated = (a: q.AssessmentRow) => a.validatedAt !== null;

function readOnly(a: q.AssessmentRow, what: string): AppError {
  if (a.status === 'validated' || a.status === 'closed')
    return new AppError(
      'CONFLICT',
      `This assessment is ${a.status} and read-only; corrections are made in a new revision (Revise).`,
      [{ path: 'status', message: a.status }],
    );
  return new AppError(
    'CONFLICT',
    `${what} cannot be changed while the assessment is ${a.status.replace('_', ' ')}.`,
    [{ path: 'status', message: a.status }],
  );
}

export class AssessmentsService {
  private readonly std: StandardsService;
  constructor(private readonly k: Kernel) {
    this.std = new StandardsService(k);
  }

  // ---- framework and scale -------------------------------------------------------------

  async framework(tx: TenantTx, libraryId: string, locale: Locale): Promise<Framework | null> {
    const lib = await this.std.pinnedLibrary(tx, libraryId);
    if (lib?.kind !== 'framework') return null;
    const doc = lib.document as { objects?: { framework?: { default_scale?: string } } };
    const factorNodes = lib.nodes.filter((n) => n.kind === 'factor');
    const numberOf = new Map(factorNodes.map((n, i) => [n.urn, n.radFactor ?? i + 1]));
    const parentOf = new Map(lib.nodes.map((n) => [n.urn, n.parentUrn]));
    const factorOf = (urn: string): number => {
      let cur: string | null | undefined = urn;
      for (let depth = 0; cur && depth < 50; depth++) {
        if (numberOf.has(cur)) return numberOf.get(cur)!;
        cur = parentOf.get(cur);
      }
      return 0;
    };
    const data = (n: { data: unknown }) => n.data as Record<string, unknown>;
    const items = lib.nodes
      .filter((n) => n.kind === 'item' && data(n).assessable === true)
      .map((n) => ({
        id: n.id,
        urn: n.urn,
        refId: n.refId,
        factor: n.radFactor ?? factorOf(n.urn),
        name: tr(data(n).name, locale),
        guidance: data(n).guidance ? tr(data(n).guidance, locale) : null,
        weight: (data(n).weight as number | undefined) ?? 1,
      }));
    const factors: FrameworkFactor[] = factorNodes.map((n) => ({
      factor: numberOf.get(n.urn)!,
      urn: n.urn,
      name: tr(data(n).name, locale),
      weight: (data(n).weight as number | undefined) ?? 1,
    }));
    if (items.some((i) => i.factor === 0))
      factors.push({ factor: 0, urn: `${lib.urn}:other`, name: '—', weight: 1 });
    return {
      libraryId: lib.id,
      urn: lib.urn,
      version: lib.version,
      name: tr(lib.name, locale),
      defaultScale: doc.objects?.framework?.default_scale ?? null,
      factors,
      items,
    };
  }

  private async requireFramework(tx: TenantTx, a: q.AssessmentRow, locale: Locale) {
    const fw = await this.framework(tx, a.frameworkLibraryId, locale);
    if (!fw)
      throw new AppError('UNAVAILABLE', 'The framework this assessment was made against is not readable');
    return fw;
  }

  private scaleFrom(lib: { id: string; document: unknown }, urn: string, locale: Locale): C.ScaleInfo | null {
    const doc = lib.document as {
      objects?: {
        scales?: {
          urn: string;
          name: unknown;
          levels: { value: number; label: unknown; description?: unknown }[];
        }[];
      };
    };
    const s = doc.objects?.scales?.find((x) => x.urn === urn);
    if (!s) return null;
    const levels = [...s.levels]
      .sort((a, b) => a.value - b.value)
      .map((l) => ({
        value: l.value,
        label: tr(l.label, locale),
        description: l.description ? tr(l.description, locale) : null,
      }));
    return {
      urn: s.urn,
      libraryId: lib.id,
      name: tr(s.name, locale),
      min: levels[0]!.value,
      max: levels[levels.length - 1]!.value,
      levels,
    };
  }

  async scale(tx: TenantTx, a: q.AssessmentRow, locale: Locale): Promise<C.ScaleInfo> {
    const lib = await this.std.pinnedLibrary(tx, a.scaleLibraryId);
    const s = lib && this.scaleFrom(lib, a.scaleUrn, locale);
    if (!s)
      throw new AppError('UNAVAILABLE', 'The rating scale this assessment was made against is not readable');
    return s;
  }

  async options(tx: TenantTx, locale: Locale): Promise<C.OptionsResult> {
    const libs = (await this.std.libraryRows(tx)).filter((l) => !l.supersededAt);
    const frameworks: C.OptionsResult['frameworks'] = [];
    for (const l of libs.filter((x) => x.kind === 'framework')) {
      const fw = await this.framework(tx, l.id, locale);
      if (fw)
        frameworks.push({
          libraryId: fw.libraryId,
          urn: fw.urn,
          version: fw.version,
          name: fw.name,
          defaultScale: fw.defaultScale,
          items: fw.items.length,
        });
    }
    const scales: C.ScaleInfo[] = [];
    for (const l of libs.filter((x) => x.kind === 'scale')) {
      const doc = l.document as { objects?: { scales?: { urn: string }[] } };
      for (const s of doc.objects?.scales ?? []) {
        const info = this.scaleFrom(l, s.urn, locale);
        if (info) scales.push(info);
      }
    }
    return { frameworks, scales, members: await this.members(tx), units: await this.units(tx) };
  }

  // ---- checks ----------------------------------------------------------------------------

  private async load(tx: TenantTx, id: string, lock = false) {
    const a = lock ? await q.lockAssessment(tx, id) : await q.findAssessment(tx, id);
    if (!a) throw new AppError('NOT_FOUND', 'assessment not found');
    return a;
  }

  private async checkPeople(tx: TenantTx, userIds: string[], path: string) {
    const known = new Set((await this.members(tx)).map((m) => m.id));
    const unknown = [...new Set(userIds)].filter((u) => !known.has(u));
    if (unknown.length)
      throw new AppError(
        'UNPROCESSABLE',
        `${unknown.length} person(s) are not members of this administration`,
        unknown.map((u) => ({ path, message: `${u} is not a member` })),
      );
  }

  private async checkUnits(tx: TenantTx, ids: string[]) {
    const known = new Set((await this.units(tx)).map((u) => u.id));
    const unknown = [...new Set(ids)].filter((u) => !known.has(u));
    if (unknown.length)
      throw new AppError(
        'UNPROCESSABLE',
        'Some units in scope do not exist',
        unknown.map((u) => ({ path: 'scopeUnitIds', message: `unknown unit ${u}` })),
      );
  }

  private checkDates(start: string | null | undefined, end: string | null | undefined) {
    if (start && end && end < start)
      throw new AppError('UNPROCESSABLE', 'The end date is before the start date', [
        { path: 'endDate', message: `must be on or after ${start}` },
      ]);
  }

  private async rolesOf(tx: TenantTx, assessmentId: string, userId: string): Promise<TeamRole[]> {
    return (await q.teamOf(tx, assessmentId)).filter((t) => t.userId === userId).map((t) => t.role);
  }

  private async requireResponder(tx: TenantTx, a: q.AssessmentRow, actor: Actor) {
    const roles = await this.rolesOf(tx, a.id, actor.userId);
    if (!actor.permissions.has(P.respond) || !roles.some((r) => RESPONDERS.includes(r)))
      throw new AppError(
        'FORBIDDEN',
        'Only assessors and facilitators on the team may rate items or attach evidence',
      );
  }

  // ---- campaigns -------------------------------------------------------------------------

  async create(tx: TenantTx, tenantId: string, actor: Actor, input: C.CreateAssessmentInput, locale: Locale) {
    const fw = await this.framework(tx, input.frameworkLibraryId, locale);
    if (!fw)
      throw new AppError('UNPROCESSABLE', 'Unknown framework', [
        { path: 'frameworkLibraryId', message: 'no framework library with this id' },
      ]);
    const scaleUrn = input.scaleUrn ?? fw.defaultScale;
    if (!scaleUrn)
      throw new AppError('UNPROCESSABLE', 'Choose a rating scale', [
        { path: 'scaleUrn', message: 'the framework names no default scale' },
      ]);
    const libs = (await this.std.libraryRows(tx)).filter((l) => l.kind === 'scale' && !l.supersededAt);
    let scale: C.ScaleInfo | null = null;
    for (const l of libs) scale ??= this.scaleFrom(l, scaleUrn, locale);
    if (!scale)
      throw new AppError('UNPROCESSABLE', `Unknown rating scale ${scaleUrn}`, [
        { path: 'scaleUrn', message: 'no loaded scale has this URN' },
      ]);
    this.checkDates(input.startDate, input.endDate);
    await this.checkUnits(tx, input.scopeUnitIds);
    await this.checkPeople(
      tx,
      input.team.map((m) => m.userId),
      'team',
    );
    const a = await q.insertAssessment(tx, {
      tenantId,
      title: input.title,
      type: input.type,
      frameworkLibraryId: fw.libraryId,
      scaleLibraryId: scale.libraryId,
      scaleUrn: scale.urn,
      scopeUnitIds: [...new Set(input.scopeUnitIds)],
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
      createdBy: actor.userId,
    });
    await q.replaceTeam(tx, tenantId, a.id, dedupeTeam(input.team));
    await q.insertResponses(
      tx,
      fw.items.map((i) => ({ tenantId, assessmentId: a.id, itemUrn: i.urn, factor: i.factor })),
    );
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.assessment.created',
      entityType: 'assessment',
      entityId: a.id,
      data: { title: a.title, type: a.type, framework: `${fw.urn}@${fw.version}`, scale: scale.urn },
    });
    return this.detail(tx, actor, a.id, locale);
  }

  async edit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.UpdateAssessmentInput,
    locale: Locale,
  ) {
    const a = await this.load(tx, id, true);
    if (!HEADER_EDITABLE.includes(a.status)) throw readOnly(a, 'The campaign');
    const { version, ...changes } = input;
    this.checkDates(
      changes.startDate !== undefined ? changes.startDate : a.startDate,
      changes.endDate !== undefined ? changes.endDate : a.endDate,
    );
    if (changes.scopeUnitIds) await this.checkUnits(tx, changes.scopeUnitIds);
    await updateVersioned(tx, assessments, id, version, {
      ...changes,
      ...(changes.scopeUnitIds ? { scopeUnitIds: [...new Set(changes.scopeUnitIds)] } : {}),
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.assessment.updated',
      entityType: 'assessment',
      entityId: id,
      data: { changes },
    });
    return this.detail(tx, actor, id, locale);
  }

  async setTeam(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: { version: number; members: { userId: string; role: TeamRole }[] },
    locale: Locale,
  ) {
    const a = await this.load(tx, id, true);
    if (!HEADER_EDITABLE.includes(a.status)) throw readOnly(a, 'The team');
    await this.checkPeople(
      tx,
      input.members.map((m) => m.userId),
      'members',
    );
    await updateVersioned(tx, assessments, id, input.version, {});
    const before = await q.teamOf(tx, id);
    const members = dedupeTeam(input.members);
    await q.replaceTeam(tx, tenantId, id, members);
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.team.changed',
      entityType: 'assessment',
      entityId: id,
      data: { before: before.map((t) => ({ userId: t.userId, role: t.role })), after: members },
    });
    return this.detail(tx, actor, id, locale);
  }

  async transition(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: { to: 'in_progress' | 'in_review' | 'closed'; note?: string | null; version: number },
    locale: Locale,
  ) {
    const a = await this.load(tx, id, true);
    if (!MOVES[input.to]!.includes(a.status))
      throw new AppError('CONFLICT', `An assessment cannot move from ${a.status} to ${input.to}`, [
        { path: 'to', message: `not allowed from ${a.status}` },
      ]);
    await updateVersioned(tx, assessments, id, input.version, {
      status: input.to,
      ...(input.to === 'closed' ? { closedAt: new Date() } : {}),
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.assessment.transitioned',
      entityType: 'assessment',
      entityId: id,
      data: { from: a.status, to: input.to, note: input.note ?? null },
    });
    return this.detail(tx, actor, id, locale);
  }

  /** Executive sign-off: records who and when, freezes the scores; the assessment is read-only after. */
  async validate(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: { note?: string | null; version: number },
    locale: Locale,
  ) {
    const a = await this.load(tx, id, true);
    if (a.status !== 'in_review')
      throw new AppError(
        'CONFLICT',
        `Only an assessment in review can be validated (this one is ${a.status})`,
        [{ path: 'status', message: a.status }],
      );
    const team = await q.teamOf(tx, id);
    const sponsors = team.filter((t) => t.role === 'executive_sponsor').map((t) => t.userId);
    if (sponsors.length > 0 && !sponsors.includes(actor.userId))
      throw new AppError(
        'FORBIDDEN',
        'Only the executive sponsor named on the team may validate this assessment',
      );
    const fw = await this.requireFramework(tx, a, locale);
    const scale = await this.scale(tx, a, locale);
    const scores = this.compute(fw, scale, await q.responsesOf(tx, [id]));
    const open = scores.progress.total - scores.progress.done;
    if (open > 0)
      throw new AppError('UNPROCESSABLE', `${open} item(s) are neither rated nor marked N/A`, [
        { path: 'items', message: `${open} open` },
      ]);
    const now = new Date();
    await updateVersioned(tx, assessments, id, input.version, {
      status: 'validated',
      validatedAt: now,
      validatedBy: actor.userId,
      validationNote: input.note ?? null,
      scores,
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.assessment.validated',
      entityType: 'assessment',
      entityId: id,
      data: {
        note: input.note ?? null,
        overall: scores.overall,
        factors: scores.factors.map((f) => [f.factor, f.score]),
      },
    });
    return this.detail(tx, actor, id, locale);
  }

  /** Corrections of a validated (or closed) assessment: a new revision, in progress, with the responses copied. */
  async revise(tx: TenantTx, tenantId: string, actor: Actor, id: string, locale: Locale) {
    const a = await this.load(tx, id, true);
    if (!isValidated(a))
      throw new AppError('CONFLICT', 'Only a validated assessment is revised; edit this one directly', [
        { path: 'status', message: a.status },
      ]);
    const existing = await q.revisionsOf(tx, id);
    if (existing.length)
      throw new AppError('CONFLICT', 'This assessment already has a revision; correct that one', [
        { path: 'revision', message: existing[0]!.id },
      ]);
    const b = await q.insertAssessment(tx, {
      tenantId,
      title: a.title,
      type: a.type,
      status: 'in_progress',
      frameworkLibraryId: a.frameworkLibraryId,
      scaleLibraryId: a.scaleLibraryId,
      scaleUrn: a.scaleUrn,
      scopeUnitIds: a.scopeUnitIds,
      startDate: a.startDate,
      endDate: a.endDate,
      revisionOf: a.id,
      revision: a.revision + 1,
      createdBy: actor.userId,
    });
    await q.replaceTeam(
      tx,
      tenantId,
      b.id,
      (await q.teamOf(tx, id)).map((t) => ({ userId: t.userId, role: t.role })),
    );
    await q.insertResponses(
      tx,
      (await q.responsesOf(tx, [id])).map((r) => ({
        tenantId,
        assessmentId: b.id,
        itemUrn: r.itemUrn,
        factor: r.factor,
        rating: r.rating,
        notApplicable: r.notApplicable,
        naReason: r.naReason,
        narrative: r.narrative,
        strengths: r.strengths,
        weaknesses: r.weaknesses,
        sources: r.sources,
        confidence: r.confidence,
        updatedBy: r.updatedBy,
      })),
    );
    // Evidence rows are copied and point at the same stored files (deleting one keeps the other's file).
    await q.insertEvidence(
      tx,
      (await q.evidenceOf(tx, id)).map(({ id: _id, createdAt: _c, assessmentId: _a, ...e }) => ({
        ...e,
        assessmentId: b.id,
      })),
    );
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.assessment.revised',
      entityType: 'assessment',
      entityId: b.id,
      data: { revisionOf: a.id, revision: b.revision },
    });
    return this.detail(tx, actor, b.id, locale);
  }

  // ---- responses and comments -------------------------------------------------------------

  private itemOf(fw: Framework, itemId: string) {
    const item = fw.items.find((i) => i.id === itemId);
    if (!item) throw new AppError('NOT_FOUND', "item not found in this assessment's framework");
    return item;
  }

  async saveResponse(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    itemId: string,
    input: C.ResponseInput,
    locale: Locale,
  ): Promise<C.ItemResponse> {
    const a = await this.load(tx, id);
    const fw = await this.requireFramework(tx, a, locale);
    const item = this.itemOf(fw, itemId);
    if (a.status !== 'in_progress') throw readOnly(a, 'Responses');
    await this.requireResponder(tx, a, actor);
    const scale = await this.scale(tx, a, locale);
    const problems: { path: string; message: string }[] = [];
    if (input.rating !== null && !scale.levels.some((l) => l.value === input.rating))
      problems.push({
        path: 'rating',
        message: `must be one of ${scale.levels.map((l) => l.value).join(', ')} (${scale.name})`,
      });
    if (input.notApplicable && input.rating !== null)
      problems.push({ path: 'rating', message: 'an item marked N/A has no rating' });
    if (input.notApplicable && !input.naReason?.trim())
      problems.push({ path: 'naReason', message: 'say why the item does not apply' });
    if (problems.length)
      throw new AppError(
        'UNPROCESSABLE',
        problems.map((p) => `${p.path}: ${p.message}`).join('; '),
        problems,
      );
    const current = await q.findResponse(tx, id, item.urn);
    if (!current) throw new AppError('NOT_FOUND', 'response not found');
    const values = {
      rating: input.rating,
      notApplicable: input.notApplicable,
      naReason: input.notApplicable ? (input.naReason?.trim() ?? null) : null,
      narrative: input.narrative || null,
      strengths: input.strengths || null,
      weaknesses: input.weaknesses || null,
      sources: [...new Set(input.sources)],
      confidence: input.confidence ?? null,
      updatedBy: actor.userId,
    };
    let saved: q.ResponseRow;
    try {
      saved = await updateVersioned(tx, assessmentResponses, current.id, input.version, values);
    } catch (e) {
      if (e instanceof AppError && e.code === 'VERSION_CONFLICT') {
        const who = current.updatedBy
          ? (await directory.people(tx, [current.updatedBy])).get(current.updatedBy)
          : undefined;
        throw new AppError(
          'VERSION_CONFLICT',
          `${who?.name ?? 'Someone'} saved this item in the meantime (your version ${input.version}, current ${current.version}). Reload it; your text is kept in the form.`,
          [
            { path: 'version', message: String(current.version) },
            { path: 'updatedBy', message: who?.name ?? '' },
          ],
        );
      }
      throw e;
    }
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.response.saved',
      entityType: 'assessment_response',
      entityId: saved.id,
      data: {
        assessmentId: id,
        item: item.urn,
        rating: values.rating,
        notApplicable: values.notApplicable,
        before: { rating: current.rating, notApplicable: current.notApplicable },
      },
    });
    const names = await this.names(tx, [actor.userId]);
    return responseDto(saved, names);
  }

  async comment(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    itemId: string,
    input: { body: string; mentions: string[] },
    locale: Locale,
  ): Promise<C.Comment> {
    const a = await this.load(tx, id);
    const fw = await this.requireFramework(tx, a, locale);
    const item = this.itemOf(fw, itemId);
    if (!COMMENTABLE.includes(a.status)) throw readOnly(a, 'Comments');
    const roles = await this.rolesOf(tx, id, actor.userId);
    if (!roles.length && !actor.permissions.has(P.manage) && !actor.permissions.has(P.validate))
      throw new AppError('FORBIDDEN', 'Only the team, managers and validators comment on an assessment');
    const mentions = [...new Set(input.mentions)];
    await this.checkPeople(tx, mentions, 'mentions');
    const c = await q.insertComment(tx, {
      tenantId,
      assessmentId: id,
      itemUrn: item.urn,
      authorId: actor.userId,
      body: input.body,
      mentions,
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.comment.added',
      entityType: 'assessment_comment',
      entityId: c.id,
      data: { assessmentId: id, item: item.urn, mentions },
    });
    // In-app + e-mail, at most once per comment and recipient.
    const names = await this.names(tx, [actor.userId, ...mentions]);
    for (const userId of mentions.filter((m) => m !== actor.userId))
      await this.k.notify.send(tx, {
        tenantId,
        userId,
        kind: 'assessments.mention',
        messageKey: 'assessments.notify.mention',
        vars: { name: names.get(actor.userId)?.name ?? '', item: item.refId, title: a.title },
        link: `/assessments/${id}?item=${encodeURIComponent(item.refId)}`,
        dedupeKey: `assessments.mention:${c.id}`,
        email: true,
      });
    return commentDto(c, names);
  }

  // ---- evidence ---------------------------------------------------------------------------

  /** Stores the file under a key the platform chooses, then the row; the file is removed if the row is not written. */
  async addEvidence(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    itemId: string,
    file: UploadedFile,
    locale: Locale,
  ): Promise<C.Evidence> {
    const a = await this.load(tx, id);
    const fw = await this.requireFramework(tx, a, locale);
    const item = this.itemOf(fw, itemId);
    if (a.status !== 'in_progress') throw readOnly(a, 'Evidence');
    await this.requireResponder(tx, a, actor);
    const key = `assessments/${id}/${uuidv7()}`;
    await this.k.storage.put(tenantId, key, file.data);
    try {
      const [row] = await q.insertEvidence(tx, [
        {
          tenantId,
          assessmentId: id,
          itemUrn: item.urn,
          storageKey: key,
          filename: file.filename,
          mediaType: file.mediaType,
          size: file.size,
          sha256: file.sha256,
          uploadedBy: actor.userId,
        },
      ]);
      await this.k.audit.record(tx, tenantId, {
        actorId: actor.userId,
        action: 'assessments.evidence.added',
        entityType: 'assessment_evidence',
        entityId: row!.id,
        data: {
          assessmentId: id,
          item: item.urn,
          filename: file.filename,
          size: file.size,
          sha256: file.sha256,
        },
      });
      return evidenceDto(row!, await this.names(tx, [actor.userId]));
    } catch (e) {
      await this.k.storage.delete(tenantId, key).catch(() => {});
      throw e;
    }
  }

  async evidenceFile(tx: TenantTx, tenantId: string, id: string, evidenceId: string) {
    await this.load(tx, id);
    const e = await q.findEvidence(tx, id, evidenceId);
    if (!e) throw new AppError('NOT_FOUND', 'evidence not found');
    return {
      filename: e.filename,
      mediaType: e.mediaType,
      data: await this.k.storage.get(tenantId, e.storageKey),
    };
  }

  async deleteEvidence(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    evidenceId: string,
    afterCommit: (fn: () => void) => void,
  ) {
    const a = await this.load(tx, id);
    const e = await q.findEvidence(tx, id, evidenceId);
    if (!e) throw new AppError('NOT_FOUND', 'evidence not found');
    if (a.status !== 'in_progress') throw readOnly(a, 'Evidence');
    await this.requireResponder(tx, a, actor);
    await q.deleteEvidence(tx, e.id);
    // A revision shares its predecessor's files: the file goes only with its last row.
    if ((await q.evidenceKeyUses(tx, e.storageKey)) === 0)
      afterCommit(() => void this.k.storage.delete(tenantId, e.storageKey).catch(() => {}));
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.evidence.deleted',
      entityType: 'assessment_evidence',
      entityId: e.id,
      data: { assessmentId: id, item: e.itemUrn, filename: e.filename, sha256: e.sha256 },
    });
  }

  // ---- reads ------------------------------------------------------------------------------

  private async names(tx: TenantTx, ids: (string | null | undefined)[]) {
    const unique = [...new Set(ids.filter((x): x is string => !!x))];
    return directory.people(tx, unique);
  }

  /** The administration's active members, by name. */
  private async members(tx: TenantTx) {
    return (await directory.members(tx)).map((m) => ({ id: m.userId, name: m.name, email: m.email }));
  }

  /** The administration's units, by name. */
  private async units(tx: TenantTx) {
    return (await directory.units(tx)).map((u) => ({ id: u.id, name: u.name }));
  }

  compute(fw: Framework, scale: { min: number; max: number }, responses: q.ResponseRow[]): Scores {
    const byUrn = new Map(responses.map((r) => [r.itemUrn, r]));
    return computeScores(
      fw.items.map((i) => {
        const r = byUrn.get(i.urn);
        return {
          factor: i.factor,
          weight: i.weight,
          rating: r?.rating ?? null,
          notApplicable: r?.notApplicable ?? false,
        };
      }),
      fw.factors.map((f) => ({ factor: f.factor, weight: f.weight })),
      scale,
    );
  }

  /** Frozen scores once validated; computed from the responses before. */
  private async scoresOf(tx: TenantTx, a: q.AssessmentRow, locale: Locale, fw?: Framework) {
    if (a.scores) return a.scores as Scores;
    const f = fw ?? (await this.requireFramework(tx, a, locale));
    return this.compute(f, await this.scale(tx, a, locale), await q.responsesOf(tx, [a.id]));
  }

  async list(tx: TenantTx, locale: Locale): Promise<C.AssessmentSummary[]> {
    const all = await q.listAssessments(tx);
    // Frameworks and scales are loaded once each, however many campaigns share them.
    const fws = new Map<string, Framework | null>();
    const scales = new Map<string, C.ScaleInfo>();
    const responses = new Map<string, q.ResponseRow[]>();
    const open = all.filter((a) => !a.scores).map((a) => a.id);
    for (const r of await q.responsesOf(tx, open)) {
      const mine = responses.get(r.assessmentId);
      if (mine) mine.push(r);
      else responses.set(r.assessmentId, [r]);
    }
    const out: C.AssessmentSummary[] = [];
    for (const a of all) {
      if (!fws.has(a.frameworkLibraryId))
        fws.set(a.frameworkLibraryId, await this.framework(tx, a.frameworkLibraryId, locale));
      const fw = fws.get(a.frameworkLibraryId);
      if (!fw) continue;
      let scores = a.scores as Scores | null;
      if (!scores) {
        const key = `${a.scaleLibraryId} ${a.scaleUrn}`;
        if (!scales.has(key)) scales.set(key, await this.scale(tx, a, locale));
        scores = this.compute(fw, scales.get(key)!, responses.get(a.id) ?? []);
      }
      out.push(summaryDto(a, fw, scores));
    }
    return out;
  }

  async detail(tx: TenantTx, actor: Actor, id: string, locale: Locale): Promise<C.AssessmentDetail> {
    const a = await this.load(tx, id);
    const fw = await this.requireFramework(tx, a, locale);
    const scale = await this.scale(tx, a, locale);
    const scores = await this.scoresOf(tx, a, locale, fw);
    const team = await q.teamOf(tx, id);
    const names = await this.names(tx, [...team.map((t) => t.userId), a.validatedBy]);
    const unitNames = new Map((await this.units(tx)).map((u) => [u.id, u.name]));
    const myRoles = team.filter((t) => t.userId === actor.userId).map((t) => t.role);
    const sponsors = team.filter((t) => t.role === 'executive_sponsor').map((t) => t.userId);
    const revisions = await q.revisionsOf(tx, id);
    const shares = await q.shareOf(tx, fw.urn);
    const has = (p: string) => actor.permissions.has(p);
    const manage = has(P.manage);
    return {
      ...summaryDto(a, fw, scores),
      scale,
      scopeUnits: a.scopeUnitIds.map((u) => ({ id: u, name: unitNames.get(u) ?? '—' })),
      team: team
        .map((t) => ({
          id: t.userId,
          name: names.get(t.userId)?.name ?? '—',
          email: names.get(t.userId)?.email ?? '',
          role: t.role,
        }))
        .sort((x, y) => x.role.localeCompare(y.role) || x.name.localeCompare(y.name)),
      validatedBy: a.validatedBy
        ? {
            id: a.validatedBy,
            name: names.get(a.validatedBy)?.name ?? '—',
            email: names.get(a.validatedBy)?.email ?? '',
          }
        : null,
      validationNote: a.validationNote,
      closedAt: iso(a.closedAt),
      can: {
        edit: manage && HEADER_EDITABLE.includes(a.status),
        respond: a.status === 'in_progress' && has(P.respond) && myRoles.some((r) => RESPONDERS.includes(r)),
        comment: COMMENTABLE.includes(a.status) && (myRoles.length > 0 || manage || has(P.validate)),
        transition: manage
          ? (Object.keys(MOVES) as ('in_progress' | 'in_review' | 'closed')[]).filter((to) =>
              MOVES[to]!.includes(a.status),
            )
          : [],
        validate:
          a.status === 'in_review' &&
          has(P.validate) &&
          (sponsors.length === 0 || sponsors.includes(actor.userId)),
        revise: manage && isValidated(a) && revisions.length === 0,
        share: has(P.benchmark) && isValidated(a),
      },
      shared: shares?.assessmentId === a.id,
      supersededBy: revisions[0]?.id ?? null,
    };
  }

  async items(tx: TenantTx, id: string, locale: Locale): Promise<C.ItemsResult> {
    const a = await this.load(tx, id);
    const fw = await this.requireFramework(tx, a, locale);
    const responses = new Map((await q.responsesOf(tx, [id])).map((r) => [r.itemUrn, r]));
    const evidence = await q.evidenceOf(tx, id);
    const comments = await q.commentsOf(tx, id);
    const names = await this.names(tx, [
      ...[...responses.values()].map((r) => r.updatedBy),
      ...evidence.map((e) => e.uploadedBy),
      ...comments.flatMap((c) => [c.authorId, ...c.mentions]),
    ]);
    return {
      factors: fw.factors.map((f) => ({
        factor: f.factor,
        name: f.name,
        weight: f.weight,
        items: fw.items
          .filter((i) => i.factor === f.factor)
          .flatMap((i) => {
            const r = responses.get(i.urn);
            if (!r) return [];
            return [
              {
                ...i,
                response: responseDto(r, names),
                evidence: evidence.filter((e) => e.itemUrn === i.urn).map((e) => evidenceDto(e, names)),
                comments: comments.filter((c) => c.itemUrn === i.urn).map((c) => commentDto(c, names)),
              },
            ];
          })
          .map(({ factor: _f, ...rest }) => rest),
      })),
    };
  }

  // ---- history: comparison and trend ------------------------------------------------------

  /**
   * Validated iterations of one framework, one per lineage (a revision replaces its
   * predecessor), in the order they were first validated.
   */
  private async iterations(tx: TenantTx, frameworkUrn: string) {
    const all = await q.listAssessments(tx);
    const libs = new Map((await this.std.libraryRows(tx)).map((l) => [l.id, l.urn]));
    const byId = new Map(all.map((a) => [a.id, a]));
    const root = (a: q.AssessmentRow) => {
      let cur = a;
      for (let i = 0; i < 100 && cur.revisionOf && byId.has(cur.revisionOf); i++)
        cur = byId.get(cur.revisionOf)!;
      return cur.id;
    };
    const lineages = new Map<string, { first: Date; latest: q.AssessmentRow }>();
    for (const a of all) {
      if (!a.validatedAt || libs.get(a.frameworkLibraryId) !== frameworkUrn) continue;
      const r = root(a);
      const l = lineages.get(r);
      if (!l) lineages.set(r, { first: a.validatedAt, latest: a });
      else {
        if (a.validatedAt < l.first) l.first = a.validatedAt;
        if (a.revision > l.latest.revision) l.latest = a;
      }
    }
    const ordered = [...lineages.entries()]
      .map(([rootId, l]) => ({ rootId, ...l }))
      .sort((x, y) => x.first.getTime() - y.first.getTime());
    return { ordered, root };
  }

  /** The latest validated assessment of another lineage, validated before this one (or before now). */
  async previousOf(tx: TenantTx, a: q.AssessmentRow) {
    const urn = (await this.std.libraryRows(tx)).find((l) => l.id === a.frameworkLibraryId)?.urn;
    if (!urn) return null;
    const { ordered, root } = await this.iterations(tx, urn);
    const mine = root(a);
    const myTime = ordered.find((o) => o.rootId === mine)?.first ?? a.validatedAt ?? new Date(8.64e15);
    const earlier = ordered.filter((o) => o.rootId !== mine && o.first < myTime);
    return earlier.length ? earlier[earlier.length - 1]!.latest : null;
  }

  async scores(tx: TenantTx, id: string, locale: Locale): Promise<C.ScoresResult> {
    const a = await this.load(tx, id);
    const fw = await this.requireFramework(tx, a, locale);
    const s = await this.scoresOf(tx, a, locale, fw);
    const prev = await this.previousOf(tx, a);
    const ps = prev?.scores as Scores | null | undefined;
    return {
      factors: fw.factors.map((f) => {
        const cur = s.factors.find((x) => x.factor === f.factor);
        const p = ps?.factors.find((x) => x.factor === f.factor)?.score ?? null;
        return {
          factor: f.factor,
          name: f.name,
          score: cur?.score ?? null,
          scored: cur?.scored ?? 0,
          notApplicable: cur?.notApplicable ?? 0,
          items: cur?.items ?? 0,
          previous: p,
          delta: delta(cur?.score ?? null, p),
        };
      }),
      overall: s.overall,
      previousOverall: ps?.overall ?? null,
      overallDelta: delta(s.overall, ps?.overall),
      progress: s.progress,
      previous: prev
        ? { id: prev.id, title: prev.title, validatedAt: prev.validatedAt!.toISOString() }
        : null,
      frozen: !!a.scores,
    };
  }

  async trend(tx: TenantTx, locale: Locale, frameworkUrn = RAD_URN): Promise<C.TrendResult> {
    const { ordered } = await this.iterations(tx, frameworkUrn);
    const latestLib = (await this.std.libraryRows(tx)).find((l) => l.urn === frameworkUrn && !l.supersededAt);
    const libId = ordered.at(-1)?.latest.frameworkLibraryId ?? latestLib?.id;
    const fw = libId ? await this.framework(tx, libId, locale) : null;
    return {
      frameworkUrn,
      factorNames: (fw?.factors ?? []).map((f) => ({ factor: f.factor, name: f.name })),
      items: ordered.map(({ latest: a }) => {
        const s = a.scores as Scores;
        return {
          id: a.id,
          title: a.title,
          validatedAt: a.validatedAt!.toISOString(),
          overall: s?.overall ?? null,
          factors: (s?.factors ?? []).map((f) => ({ factor: f.factor, score: f.score })),
        };
      }),
    };
  }

  // ---- peer benchmark -----------------------------------------------------------------------

  async share(tx: TenantTx, tenantId: string, actor: Actor, id: string): Promise<C.ShareResult> {
    const a = await this.load(tx, id);
    if (!isValidated(a) || !a.scores)
      throw new AppError('CONFLICT', 'Only the scores of a validated assessment can be shared', [
        { path: 'status', message: a.status },
      ]);
    const urn = (await this.std.libraryRows(tx)).find((l) => l.id === a.frameworkLibraryId)?.urn;
    if (!urn) throw new AppError('UNAVAILABLE', 'framework not readable');
    const s = a.scores as Scores;
    const factors: Record<string, number> = {};
    for (const f of s.factors) if (f.score !== null && f.factor > 0) factors[String(f.factor)] = f.score;
    const org = await directory.organisation(tx);
    const row = await q.upsertShare(tx, {
      tenantId,
      assessmentId: id,
      frameworkUrn: urn,
      wcoRegion: org?.wcoRegion ?? null,
      factorScores: factors,
      overall: s.overall,
      sharedBy: actor.userId,
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.benchmark.shared',
      entityType: 'assessment',
      entityId: id,
      data: { frameworkUrn: urn, region: row.wcoRegion, factors, overall: s.overall },
    });
    return { frameworkUrn: urn, wcoRegion: row.wcoRegion, factors, overall: s.overall };
  }

  async unshare(tx: TenantTx, tenantId: string, actor: Actor, id: string): Promise<void> {
    await this.load(tx, id);
    const removed = await q.deleteShare(tx, id);
    if (!removed.length) throw new AppError('NOT_FOUND', 'this assessment is not shared');
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'assessments.benchmark.withdrawn',
      entityType: 'assessment',
      entityId: id,
      data: { frameworkUrn: removed[0]!.frameworkUrn },
    });
  }

  async benchmark(tx: TenantTx, locale: Locale, frameworkUrn = RAD_URN): Promise<C.BenchmarkResult> {
    const own = await q.shareOf(tx, frameworkUrn);
    const org = await directory.organisation(tx);
    const groups = await q.benchmark(tx, frameworkUrn);
    const lib = (await this.std.libraryRows(tx)).find((l) => l.urn === frameworkUrn && !l.supersededAt);
    const fw = lib ? await this.framework(tx, lib.id, locale) : null;
    const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    return {
      frameworkUrn,
      minGroupSize: MIN_BENCHMARK_GROUP,
      sharing: !!own,
      secretariat: org?.type === 'secretariat',
      own: own ? { factors: own.factorScores, overall: own.overall } : null,
      ownRegion: org?.wcoRegion ?? null,
      factorNames: (fw?.factors ?? []).map((f) => ({ factor: f.factor, name: f.name })),
      groups: groups.map((g) => ({
        region: g.region,
        factor: Number(g.factor),
        n: Number(g.n),
        mean: num(g.mean),
        min: num(g.min),
        q1: num(g.q1),
        median: num(g.median),
        q3: num(g.q3),
        max: num(g.max),
      })),
    };
  }

  // ---- for other modules --------------------------------------------------------------------

  async find(tx: TenantTx, id: string) {
    return this.load(tx, id);
  }

  async responses(tx: TenantTx, id: string) {
    return q.responsesOf(tx, [id]);
  }

  async evidenceRows(tx: TenantTx, id: string) {
    return q.evidenceOf(tx, id);
  }

  async teamRows(tx: TenantTx, id: string) {
    return q.teamOf(tx, id);
  }

  async unitNames(tx: TenantTx) {
    return new Map((await this.units(tx)).map((u) => [u.id, u.name]));
  }

  async peopleById(tx: TenantTx, ids: (string | null | undefined)[]) {
    return this.names(tx, ids);
  }
}

function dedupeTeam(members: { userId: string; role: TeamRole }[]) {
  const seen = new Set<string>();
  return members.filter((m) => {
    const k = `${m.userId}:${m.role}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function summaryDto(a: q.AssessmentRow, fw: Framework, s: Scores): C.AssessmentSummary {
  return {
    id: a.id,
    title: a.title,
    type: a.type,
    status: a.status,
    framework: { libraryId: fw.libraryId, urn: fw.urn, version: fw.version, name: fw.name },
    scaleUrn: a.scaleUrn,
    startDate: a.startDate,
    endDate: a.endDate,
    revision: a.revision,
    revisionOf: a.revisionOf,
    progress: s.progress,
    overall: s.overall,
    validatedAt: iso(a.validatedAt),
    createdAt: a.createdAt.toISOString(),
    version: a.version,
  };
}

type Names = Map<string, DirectoryPerson>;

function responseDto(r: q.ResponseRow, names: Names): C.ItemResponse {
  return {
    id: r.id,
    rating: r.rating,
    notApplicable: r.notApplicable,
    naReason: r.naReason,
    narrative: r.narrative,
    strengths: r.strengths,
    weaknesses: r.weaknesses,
    sources: r.sources as C.ItemResponse['sources'],
    confidence: r.confidence,
    updatedBy: r.updatedBy ? (names.get(r.updatedBy)?.name ?? '—') : null,
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

function evidenceDto(e: q.EvidenceRow, names: Names) {
  return {
    id: e.id,
    filename: e.filename,
    mediaType: e.mediaType,
    size: e.size,
    sha256: e.sha256,
    uploadedBy: names.get(e.uploadedBy)?.name ?? '—',
    createdAt: e.createdAt.toISOString(),
  };
}

function commentDto(c: q.CommentRow, names: Names): C.Comment {
  return {
    id: c.id,
    author: names.get(c.authorId)?.name ?? '—',
    authorId: c.authorId,
    body: c.body,
    mentions: c.mentions.map((m) => ({ id: m, name: names.get(m)?.name ?? '—' })),
    createdAt: c.createdAt.toISOString(),
  };
}
