import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, type ProblemDetail } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { t, type Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory } from '../identity/index.ts';
import { builtInMatrix, MATRIX_5X5_URN } from '../standards/index.ts';
import type * as C from './risks.contract.ts';
import {
  controlsCell,
  headerErrors,
  type ParsedRow,
  parseRow,
  type RegisterRow,
  type RowError,
} from './risks.io.ts';
import {
  bandsFromLibrary,
  consistencyFlags,
  DEFAULT_REVIEW_DAYS,
  inAxis,
  isIsoDate,
  type LevelBand,
  type LText,
  levelOf,
  matrixProblems,
  nextReviewOn,
  type RiskMatrix,
} from './risks.levels.ts';
import { riskControls, riskProcesses, risks, riskSettings, riskSnapshots } from './risks.schema.ts';
import { DEFAULT_PROCESSES, type RiskScheme } from './risks.vocab.ts';
import { isoDay } from '../../platform/dates.ts';

const directory = new Directory();

type RiskRow = typeof risks.$inferSelect;
/** A unit and a member as the register's pickers and import know them. */
interface UnitRow {
  id: string;
  name: string;
  code: string | null;
}
interface MemberRow {
  userId: string;
  name: string;
  email: string;
}
type ControlRow = typeof riskControls.$inferSelect;
type ProcessRow = typeof riskProcesses.$inferSelect;

export const tr = (text: LText | undefined | null, locale: Locale): string =>
  text?.[locale as 'fr'] ?? text?.en ?? '';

/** A stable id for a pre-loaded process, so the catalogue can be shown before it is stored. */
export function defaultProcessId(tenantId: string, code: string): string {
  const h = createHash('sha256').update(`risk-process:${tenantId}:${code}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface SettingsState {
  matrix: RiskMatrix;
  reviewDays: Record<string, number>;
  matrixUrn: string | null;
  version: number;
}

interface Ctx {
  tenantId: string;
  settings: SettingsState;
  processes: ProcessRow[];
  units: UnitRow[];
  members: MemberRow[];
  today: string;
  locale: Locale;
}

export interface SnapshotData {
  levels: { id: string; label: LText; color: string; min: number; max: number }[];
  risks: C.SnapshotRisk[];
}

const levelView = (b: LevelBand, locale: Locale) => ({
  id: b.id,
  label: tr(b.label, locale),
  color: b.color,
});
/** The register filters that the database applies (list and heat map). */
const registerFilter = (f: Partial<Pick<C.ListQuery, 'processId' | 'orgUnitId' | 'status' | 'factor'>>) =>
  and(
    f.processId ? eq(risks.processId, f.processId) : undefined,
    f.orgUnitId ? eq(risks.orgUnitId, f.orgUnitId) : undefined,
    f.status ? eq(risks.status, f.status) : undefined,
    f.factor ? sql`${risks.factors} @> ${JSON.stringify([f.factor])}::jsonb` : undefined,
  );
const unprocessable = (details: ProblemDetail[]) =>
  new AppError('UNPROCESSABLE', `${details[0]!.path}: ${details[0]!.message}`, details);

/**
 * The process and ratings of a risk past its draft: the database check risks_rated_unless_draft
 * keeps them on every open and closed risk, so their absence here is a bug, not a user's error.
 */
function complete(r: RiskRow) {
  const {
    processId,
    inherentLikelihood: il,
    inherentImpact: ii,
    residualLikelihood: rl,
    residualImpact: ri,
  } = r;
  if (processId === null || il === null || ii === null || rl === null || ri === null)
    throw new Error(`risk ${r.id} (${r.status}) has no process or ratings`);
  return { processId, inh: [il, ii] as [number, number], res: [rl, ri] as [number, number] };
}
/** The four ratings a risk must have once it leaves the draft status (update and import). */
const RATINGS = ['inherentLikelihood', 'inherentImpact', 'residualLikelihood', 'residualImpact'] as const;

/** What another module knows of a risk it identified (RisksApi.createFromSource). */
export interface RiskFromSource {
  /** The identifying module ('analytics') and its object's id (an alert). */
  sourceModule: string;
  sourceRef: string;
  title: string;
  description: string;
  scheme: RiskScheme;
  /** RAD key factors, 1–10. */
  factors: number[];
  /** A code of the administration's process catalogue, when the source knows the process. */
  processCode?: string;
  /** The code of the organisation unit concerned (e.g. a Customs office code), when known. */
  orgUnitCode?: string;
  actors?: string[];
}

export class RisksService {
  constructor(
    private readonly k: Kernel,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  today(): string {
    return isoDay(this.clock());
  }

  // ---- settings ---------------------------------------------------------------------------
  async defaultMatrix(tx: TenantTx): Promise<RiskMatrix> {
    const lib = await builtInMatrix(tx, MATRIX_5X5_URN);
    if (!lib) throw new AppError('UNAVAILABLE', 'The default risk matrix library is not loaded');
    return bandsFromLibrary(lib as never);
  }

  /** The stored settings, or (before the first change) the defaults they will be created with. */
  async settings(tx: TenantTx): Promise<SettingsState> {
    const [row] = await tx.select().from(riskSettings);
    if (row)
      return {
        matrix: row.matrix as RiskMatrix,
        reviewDays: row.reviewDays,
        matrixUrn: row.matrixUrn,
        version: row.version,
      };
    return {
      matrix: await this.defaultMatrix(tx),
      reviewDays: { ...DEFAULT_REVIEW_DAYS },
      matrixUrn: MATRIX_5X5_URN,
      version: 1,
    };
  }

  async ensureSettings(tx: TenantTx, tenantId: string): Promise<SettingsState> {
    const [row] = await tx.select({ v: riskSettings.version }).from(riskSettings);
    if (!row) {
      const s = await this.settings(tx);
      await tx
        .insert(riskSettings)
        .values({ tenantId, matrix: s.matrix, matrixUrn: s.matrixUrn, reviewDays: s.reviewDays })
        .onConflictDoNothing();
    }
    return this.settings(tx);
  }

  settingsView(s: SettingsState, locale: Locale): C.Settings {
    return {
      matrix: s.matrix as C.MatrixInput,
      view: this.matrixView(s.matrix, locale),
      matrixUrn: s.matrixUrn,
      reviewDays: s.reviewDays,
      version: s.version,
    };
  }

  matrixView(m: RiskMatrix, locale: Locale): C.MatrixView {
    const axis = (a: RiskMatrix['likelihood']) =>
      a.map((l) => ({
        value: l.value,
        label: tr(l.label, locale),
        description: l.description ? tr(l.description, locale) || null : null,
      }));
    return {
      likelihood: axis(m.likelihood),
      impact: axis(m.impact),
      levels: m.levels.map((b) => ({ ...levelView(b, locale), min: b.min, max: b.max })),
    };
  }

  async updateSettings(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: { matrix: C.MatrixInput; reviewDays: Record<string, number>; version: number },
  ): Promise<SettingsState> {
    const before = await this.ensureSettings(tx, tenantId);
    const matrix = input.matrix as RiskMatrix;
    const problems = matrixProblems(matrix).map((p) => ({
      path: `body.matrix.${p.path}`,
      message: p.message,
    }));
    const ids = new Set(matrix.levels.map((l) => l.id));
    for (const id of ids)
      if (!(id in input.reviewDays))
        problems.push({ path: `body.reviewDays.${id}`, message: 'a review interval (days) for every level' });
    for (const id of Object.keys(input.reviewDays))
      if (!ids.has(id)) problems.push({ path: `body.reviewDays.${id}`, message: `no level ${id}` });
    if (problems.length) throw unprocessable(problems);
    // A smaller matrix cannot hold the ratings already given.
    const [maxes] = await tx
      .select({
        l: sql<number>`coalesce(max(greatest(${risks.inherentLikelihood}, ${risks.residualLikelihood})), 0)`,
        i: sql<number>`coalesce(max(greatest(${risks.inherentImpact}, ${risks.residualImpact})), 0)`,
      })
      .from(risks);
    const conflicts: ProblemDetail[] = [];
    if (Number(maxes!.l) > matrix.likelihood.length)
      conflicts.push({
        path: 'body.matrix.likelihood',
        message: `risks are rated up to likelihood ${maxes!.l}`,
      });
    if (Number(maxes!.i) > matrix.impact.length)
      conflicts.push({ path: 'body.matrix.impact', message: `risks are rated up to impact ${maxes!.i}` });
    if (conflicts.length)
      throw new AppError('CONFLICT', 'Re-rate the risks above the new matrix first', conflicts);
    const [row] = await tx
      .update(riskSettings)
      .set({
        matrix,
        reviewDays: input.reviewDays,
        version: sql`${riskSettings.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(riskSettings.tenantId, tenantId), eq(riskSettings.version, input.version)))
      .returning();
    if (!row)
      throw new AppError(
        'VERSION_CONFLICT',
        `The settings were changed by someone else (your version ${input.version}, current ${before.version}). Reload and try again.`,
      );
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.settings.updated',
      entityType: 'risk_settings',
      entityId: tenantId,
      data: {
        before: { levels: before.matrix.levels, reviewDays: before.reviewDays },
        after: { levels: matrix.levels, reviewDays: input.reviewDays },
      },
    });
    return this.settings(tx);
  }

  // ---- processes --------------------------------------------------------------------------
  private virtualProcesses(tenantId: string): ProcessRow[] {
    const now = new Date(0);
    return DEFAULT_PROCESSES.map((code, i) => ({
      id: defaultProcessId(tenantId, code),
      tenantId,
      code,
      name: null,
      description: null,
      position: (i + 1) * 10,
      archived: false,
      createdAt: now,
      updatedAt: now,
      version: 1,
    }));
  }

  async processRows(tx: TenantTx, tenantId: string): Promise<ProcessRow[]> {
    const rows = await tx
      .select()
      .from(riskProcesses)
      .orderBy(asc(riskProcesses.position), asc(riskProcesses.code));
    return rows.length ? rows : this.virtualProcesses(tenantId);
  }

  /** Pre-loads the catalogue (idempotent): every mutation calls it first. */
  async ensureProcesses(tx: TenantTx, tenantId: string): Promise<void> {
    const [one] = await tx.select({ id: riskProcesses.id }).from(riskProcesses).limit(1);
    if (one) return;
    await tx
      .insert(riskProcesses)
      .values(this.virtualProcesses(tenantId).map(({ createdAt: _c, updatedAt: _u, ...p }) => p))
      .onConflictDoNothing();
  }

  processName = (p: Pick<ProcessRow, 'name' | 'code'>, locale: Locale) =>
    p.name ?? t(locale, `risks.processes.${p.code}`);

  async processes(tx: TenantTx, tenantId: string, locale: Locale): Promise<C.Process[]> {
    const counts = await tx
      .select({ processId: risks.processId, n: sql<number>`count(*)::int` })
      .from(risks)
      .groupBy(risks.processId);
    const byId = new Map(counts.map((c) => [c.processId, Number(c.n)]));
    return (await this.processRows(tx, tenantId)).map((p) =>
      this.processView(p, locale, byId.get(p.id) ?? 0),
    );
  }

  private processView(p: ProcessRow, locale: Locale, riskCount: number): C.Process {
    return {
      id: p.id,
      code: p.code,
      name: this.processName(p, locale),
      customName: p.name,
      description: p.description,
      position: p.position,
      archived: p.archived,
      riskCount,
      version: p.version,
    };
  }

  async createProcess(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: { code: string; name: string; description?: string | null },
    locale: Locale,
  ) {
    await this.ensureProcesses(tx, tenantId);
    const [exists] = await tx
      .select({ id: riskProcesses.id })
      .from(riskProcesses)
      .where(eq(riskProcesses.code, input.code));
    if (exists)
      throw new AppError('ALREADY_EXISTS', `A process with the code ${input.code} exists`, [
        { path: 'body.code', message: 'already used' },
      ]);
    const [{ max } = { max: 0 }] = await tx
      .select({ max: sql<number>`coalesce(max(${riskProcesses.position}), 0)::int` })
      .from(riskProcesses);
    const [row] = await tx
      .insert(riskProcesses)
      .values({
        tenantId,
        code: input.code,
        name: input.name,
        description: input.description ?? null,
        position: Number(max) + 10,
      })
      .returning();
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.process.created',
      entityType: 'risk_process',
      entityId: row!.id,
      data: { code: input.code, name: input.name },
    });
    return this.processView(row!, locale, 0);
  }

  async updateProcess(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.UpdateProcessInputT,
    locale: Locale,
  ) {
    await this.ensureProcesses(tx, tenantId);
    const [before] = await tx.select().from(riskProcesses).where(eq(riskProcesses.id, id));
    if (!before) throw new AppError('NOT_FOUND', 'process not found');
    const { version, ...values } = input;
    const row = await updateVersioned(tx, riskProcesses, id, version, values);
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.process.updated',
      entityType: 'risk_process',
      entityId: id,
      data: {
        before: {
          name: before.name,
          description: before.description,
          archived: before.archived,
          position: before.position,
        },
        after: values,
      },
    });
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(risks)
      .where(eq(risks.processId, id));
    return this.processView(row, locale, Number(n));
  }

  // ---- context and views ------------------------------------------------------------------
  async context(tx: TenantTx, tenantId: string, locale: Locale): Promise<Ctx> {
    const settings = await this.settings(tx);
    const processes = await this.processRows(tx, tenantId);
    const { units, members } = await this.people(tx);
    return { tenantId, settings, processes, units, members, today: this.today(), locale };
  }

  riskView(ctx: Ctx, r: RiskRow, controls: ControlRow[]): C.Risk {
    const m = ctx.settings.matrix;
    const rating = (l: number | null, i: number | null) =>
      l === null || i === null
        ? null
        : { likelihood: l, impact: i, score: l * i, level: levelView(levelOf(m, l, i), ctx.locale) };
    const p = ctx.processes.find((x) => x.id === r.processId);
    const pair = (l: number | null, i: number | null) =>
      l === null || i === null ? null : { likelihood: l, impact: i };
    const decidedBy = r.acceptanceDecidedBy
      ? ctx.members.find((x) => x.userId === r.acceptanceDecidedBy)
      : undefined;
    const flags = consistencyFlags(
      {
        inherent: pair(r.inherentLikelihood, r.inherentImpact),
        residual: pair(r.residualLikelihood, r.residualImpact),
        controls,
        treatment: r.treatment,
        acceptance: r.acceptance,
        status: r.status,
        nextReviewOn: r.nextReviewOn,
      },
      ctx.today,
    );
    return {
      id: r.id,
      ref: r.ref,
      processId: r.processId,
      process: p ? this.processName(p, ctx.locale) : '',
      processCode: p?.code ?? '',
      title: r.title,
      description: r.description,
      scheme: r.scheme,
      actors: r.actors,
      drivers: r.drivers,
      factors: r.factors,
      orgUnitId: r.orgUnitId,
      orgUnit: ctx.units.find((u) => u.id === r.orgUnitId)?.name ?? null,
      ownerUserId: r.ownerUserId,
      owner: ctx.members.find((u) => u.userId === r.ownerUserId)?.name ?? null,
      inherent: rating(r.inherentLikelihood, r.inherentImpact),
      residual: rating(r.residualLikelihood, r.residualImpact),
      treatment: r.treatment,
      treatmentNote: r.treatmentNote,
      acceptance: r.acceptance,
      acceptanceDecidedBy: decidedBy?.name ?? (r.acceptanceDecidedBy ? r.acceptanceDecidedBy : null),
      acceptanceDecidedAt: r.acceptanceDecidedAt?.toISOString() ?? null,
      acceptanceNote: r.acceptanceNote,
      status: r.status,
      lastReviewedAt: r.lastReviewedAt?.toISOString() ?? null,
      nextReviewOn: r.nextReviewOn,
      overdue: flags.includes('overdue_review'),
      flags,
      controls: controls.map((c) => ({
        id: c.id,
        description: c.description,
        kind: c.kind,
        automated: c.automated,
        effectiveness: c.effectiveness,
        lastTestedOn: c.lastTestedOn,
      })),
      source: r.sourceModule && r.sourceRef ? { module: r.sourceModule, ref: r.sourceRef } : null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      version: r.version,
    };
  }

  private async controlsOf(tx: TenantTx, ids: string[]): Promise<Map<string, ControlRow[]>> {
    const out = new Map<string, ControlRow[]>();
    if (!ids.length) return out;
    const rows = await tx
      .select()
      .from(riskControls)
      .where(inArray(riskControls.riskId, ids))
      .orderBy(asc(riskControls.createdAt), asc(riskControls.id));
    for (const c of rows) out.set(c.riskId, [...(out.get(c.riskId) ?? []), c]);
    return out;
  }

  async list(
    tx: TenantTx,
    tenantId: string,
    locale: Locale,
    f: Partial<C.ListQuery> = {},
  ): Promise<C.Risk[]> {
    const ctx = await this.context(tx, tenantId, locale);
    return this.listIn(tx, ctx, f);
  }

  private async listIn(tx: TenantTx, ctx: Ctx, f: Partial<C.ListQuery>): Promise<C.Risk[]> {
    const rows = await tx.select().from(risks).where(registerFilter(f)).orderBy(asc(risks.ref));
    const controls = await this.controlsOf(
      tx,
      rows.map((r) => r.id),
    );
    const needle = f.q?.trim().toLowerCase();
    return rows
      .map((r) => this.riskView(ctx, r, controls.get(r.id) ?? []))
      .filter((r) => !f.level || r.residual?.level.id === f.level)
      .filter((r) => !f.flag || r.flags.includes(f.flag))
      .filter((r) => !needle || `${r.ref} ${r.title} ${r.description ?? ''}`.toLowerCase().includes(needle));
  }

  async get(tx: TenantTx, tenantId: string, id: string, locale: Locale): Promise<C.Risk> {
    return this.getIn(tx, await this.context(tx, tenantId, locale), id);
  }

  private async getIn(tx: TenantTx, ctx: Ctx, id: string): Promise<C.Risk> {
    const r = await this.riskRow(tx, id);
    return this.riskView(ctx, r, (await this.controlsOf(tx, [id])).get(id) ?? []);
  }

  private async riskRow(tx: TenantTx, id: string): Promise<RiskRow> {
    const [r] = await tx.select().from(risks).where(eq(risks.id, id));
    if (!r) throw new AppError('NOT_FOUND', 'risk not found');
    return r;
  }

  private async assertRefFree(tx: TenantTx, ref: string): Promise<void> {
    const [dup] = await tx.select({ id: risks.id }).from(risks).where(eq(risks.ref, ref));
    if (dup)
      throw new AppError('ALREADY_EXISTS', `The reference ${ref} is already used`, [
        { path: 'body.ref', message: 'already used' },
      ]);
  }

  // ---- create / update --------------------------------------------------------------------
  /** Checks references, ratings and dates against the administration's data; every problem listed. */
  private check(
    ctx: Ctx,
    v: {
      processId?: string;
      orgUnitId?: string | null;
      ownerUserId?: string | null;
      inherentLikelihood?: number;
      inherentImpact?: number;
      residualLikelihood?: number;
      residualImpact?: number;
      nextReviewOn?: string | null;
      controls?: C.ControlInput[];
    },
    opts: { processWas?: string; lastReviewedOn?: string | null; nextReviewWas?: string | null } = {},
  ): ProblemDetail[] {
    const out: ProblemDetail[] = [];
    const m = ctx.settings.matrix;
    if (v.processId !== undefined) {
      const p = ctx.processes.find((x) => x.id === v.processId);
      if (!p) out.push({ path: 'body.processId', message: 'unknown process' });
      else if (p.archived && v.processId !== opts.processWas)
        out.push({ path: 'body.processId', message: 'this process is archived' });
    }
    if (v.orgUnitId && !ctx.units.some((u) => u.id === v.orgUnitId))
      out.push({ path: 'body.orgUnitId', message: 'unknown organisation unit' });
    if (v.ownerUserId && !ctx.members.some((u) => u.userId === v.ownerUserId))
      out.push({ path: 'body.ownerUserId', message: 'the owner must be a member of the organisation' });
    for (const [key, axis] of [
      ['inherentLikelihood', 'likelihood'],
      ['inherentImpact', 'impact'],
      ['residualLikelihood', 'likelihood'],
      ['residualImpact', 'impact'],
    ] as const) {
      const x = v[key];
      if (x !== undefined && !inAxis(m, axis, x))
        out.push({ path: `body.${key}`, message: `outside the matrix: ${axis} is 1–${m[axis].length}` });
    }
    if (v.nextReviewOn) {
      if (!isIsoDate(v.nextReviewOn)) out.push({ path: 'body.nextReviewOn', message: 'not a calendar date' });
      else if (v.nextReviewOn !== opts.nextReviewWas && v.nextReviewOn < ctx.today)
        out.push({
          path: 'body.nextReviewOn',
          message: `the next review (${v.nextReviewOn}) is before today (${ctx.today})`,
        });
      else if (opts.lastReviewedOn && v.nextReviewOn < opts.lastReviewedOn)
        out.push({
          path: 'body.nextReviewOn',
          message: `the next review (${v.nextReviewOn}) is before the last review (${opts.lastReviewedOn})`,
        });
    }
    v.controls?.forEach((c, i) => {
      if (c.lastTestedOn && !isIsoDate(c.lastTestedOn))
        out.push({ path: `body.controls.${i}.lastTestedOn`, message: 'not a calendar date' });
      else if (c.lastTestedOn && c.lastTestedOn > ctx.today)
        out.push({
          path: `body.controls.${i}.lastTestedOn`,
          message: `a test date in the future (${c.lastTestedOn})`,
        });
    });
    return out;
  }

  private async nextRef(tx: TenantTx): Promise<string> {
    const [row] = await tx
      .select({
        n: sql<number>`coalesce(max((substring(${risks.ref} from '^R-([0-9]{1,9})$'))::int), 0)::int`,
      })
      .from(risks);
    return `R-${String(Number(row?.n ?? 0) + 1).padStart(3, '0')}`;
  }

  private async replaceControls(tx: TenantTx, tenantId: string, riskId: string, controls: C.ControlInput[]) {
    await tx.delete(riskControls).where(eq(riskControls.riskId, riskId));
    // The list order is kept through created_at (one statement shares now()): one millisecond apart.
    const base = Date.now();
    if (controls.length)
      await tx.insert(riskControls).values(
        controls.map((c, i) => ({
          createdAt: new Date(base + i),
          tenantId,
          riskId,
          description: c.description,
          kind: c.kind,
          automated: c.automated,
          effectiveness: c.effectiveness,
          lastTestedOn: c.lastTestedOn ?? null,
        })),
      );
  }

  async create(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: C.CreateRiskInput,
    locale: Locale,
  ): Promise<C.Risk> {
    await this.ensureSettings(tx, tenantId);
    await this.ensureProcesses(tx, tenantId);
    const ctx = await this.context(tx, tenantId, locale);
    const problems = this.check(ctx, input);
    if (problems.length) throw unprocessable(problems);
    const ref = input.ref ?? (await this.nextRef(tx));
    await this.assertRefFree(tx, ref);
    const treatment = input.treatment ?? 'reduce';
    const [row] = await tx
      .insert(risks)
      .values({
        tenantId,
        ref,
        processId: input.processId,
        title: input.title,
        description: input.description ?? null,
        scheme: input.scheme,
        actors: input.actors ?? [],
        drivers: input.drivers ?? null,
        factors: [...(input.factors ?? [])].sort((a, b) => a - b),
        orgUnitId: input.orgUnitId ?? null,
        ownerUserId: input.ownerUserId ?? null,
        inherentLikelihood: input.inherentLikelihood,
        inherentImpact: input.inherentImpact,
        residualLikelihood: input.residualLikelihood,
        residualImpact: input.residualImpact,
        treatment,
        treatmentNote: input.treatmentNote ?? null,
        acceptance: treatment === 'accept' ? 'pending' : 'none',
        status: input.status ?? 'open',
        nextReviewOn: input.nextReviewOn ?? null,
        createdBy: actor.userId,
      })
      .returning();
    await this.replaceControls(tx, tenantId, row!.id, input.controls ?? []);
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.risk.created',
      entityType: 'risk',
      entityId: row!.id,
      data: {
        ref,
        title: input.title,
        inherent: [input.inherentLikelihood, input.inherentImpact],
        residual: [input.residualLikelihood, input.residualImpact],
      },
    });
    return this.getIn(tx, ctx, row!.id);
  }

  /**
   * A draft risk identified by another module (an analytics alert, say), once per source object:
   * the same source again returns the risk already there. Its process and unit when the source
   * knows them (an archived or unknown process, or an office code no unit carries, leaves them
   * empty); no owner and no ratings — the risk owner rates it and opens it (updateRisk).
   */
  async createFromSource(tx: TenantTx, tenantId: string, actor: Actor, input: RiskFromSource) {
    const [existing] = await tx
      .select()
      .from(risks)
      .where(and(eq(risks.sourceModule, input.sourceModule), eq(risks.sourceRef, input.sourceRef)));
    if (existing) return { id: existing.id, ref: existing.ref, created: false };
    await this.ensureSettings(tx, tenantId);
    await this.ensureProcesses(tx, tenantId);
    const processes = await this.processRows(tx, tenantId);
    const proc = processes.find((p) => p.code === input.processCode && !p.archived);
    const unit = input.orgUnitCode
      ? (await directory.units(tx)).find((u) => u.code === input.orgUnitCode)
      : undefined;
    const ref = await this.nextRef(tx);
    const [row] = await tx
      .insert(risks)
      .values({
        tenantId,
        ref,
        processId: proc?.id ?? null,
        title: input.title.slice(0, 300),
        description: input.description.slice(0, 5000),
        scheme: input.scheme,
        actors: input.actors ?? [],
        factors: [...new Set(input.factors)].sort((a, b) => a - b),
        orgUnitId: unit?.id ?? null,
        status: 'draft',
        sourceModule: input.sourceModule,
        sourceRef: input.sourceRef,
        createdBy: actor.userId,
      })
      .returning();
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.risk.identified',
      entityType: 'risk',
      entityId: row!.id,
      data: {
        ref,
        title: row!.title,
        status: 'draft',
        sourceModule: input.sourceModule,
        sourceRef: input.sourceRef,
        process: proc?.code ?? null,
        orgUnitId: row!.orgUnitId,
      },
    });
    return { id: row!.id, ref, created: true };
  }

  /** The status and reference of these risks (of this tenant; unknown ids are left out). */
  async statuses(tx: TenantTx, ids: string[]) {
    const valid = [...new Set(ids)].filter(isUuid);
    if (!valid.length) return [];
    return tx
      .select({ id: risks.id, ref: risks.ref, status: risks.status })
      .from(risks)
      .where(inArray(risks.id, valid));
  }

  /** Acceptance after a change: leaving 'accept' clears it; entering it, or re-rating an accepted risk, asks again. */
  private acceptanceAfter(before: RiskRow, treatment: RiskRow['treatment'], residualChanged: boolean) {
    const cleared = { acceptanceDecidedBy: null, acceptanceDecidedAt: null, acceptanceNote: null };
    if (treatment !== 'accept')
      return before.acceptance === 'none' ? {} : { acceptance: 'none' as const, ...cleared };
    if (before.treatment !== 'accept') return { acceptance: 'pending' as const, ...cleared };
    if (residualChanged && before.acceptance !== 'pending')
      return { acceptance: 'pending' as const, ...cleared };
    return {};
  }

  /**
   * A draft leaves its status only complete: with a process and all four ratings (in the change
   * or already stored). A risk in the register does not go back to draft.
   */
  private draftProblems(before: RiskRow, input: C.UpdateRiskInput): ProblemDetail[] {
    const status = input.status ?? before.status;
    if (status === 'draft')
      return before.status === 'draft'
        ? []
        : [{ path: 'body.status', message: 'a risk in the register does not go back to draft' }];
    const out: ProblemDetail[] = [];
    if ((input.processId ?? before.processId) === null)
      out.push({ path: 'body.processId', message: `a ${status} risk needs a process` });
    for (const k of RATINGS)
      if ((input[k] ?? before[k]) === null)
        out.push({ path: `body.${k}`, message: `rate the risk before it becomes ${status}` });
    return out;
  }

  async updateRisk(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.UpdateRiskInput,
    locale: Locale,
  ): Promise<C.Risk> {
    const before = await this.riskRow(tx, id);
    await this.ensureProcesses(tx, tenantId);
    const ctx = await this.context(tx, tenantId, locale);
    const problems = this.check(ctx, input, {
      processWas: before.processId ?? undefined,
      lastReviewedOn: before.lastReviewedAt ? isoDay(before.lastReviewedAt) : null,
      nextReviewWas: before.nextReviewOn,
    });
    problems.push(...this.draftProblems(before, input));
    if (problems.length) throw unprocessable(problems);
    if (input.ref && input.ref !== before.ref) await this.assertRefFree(tx, input.ref);
    const { version, controls, ...fields } = input;
    const values: Partial<typeof risks.$inferInsert> = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined),
    );
    if (values.factors) values.factors = [...values.factors].sort((a, b) => a - b);
    const residualChanged =
      (input.residualLikelihood !== undefined && input.residualLikelihood !== before.residualLikelihood) ||
      (input.residualImpact !== undefined && input.residualImpact !== before.residualImpact);
    Object.assign(values, this.acceptanceAfter(before, input.treatment ?? before.treatment, residualChanged));
    const row = await updateVersioned(tx, risks, id, version, values);
    if (controls) await this.replaceControls(tx, tenantId, id, controls);
    const changed = Object.keys(values).filter(
      (k) =>
        JSON.stringify((before as Record<string, unknown>)[k]) !==
        JSON.stringify((row as Record<string, unknown>)[k]),
    );
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.risk.updated',
      entityType: 'risk',
      entityId: id,
      data: {
        ref: row.ref,
        changed: controls ? [...changed, 'controls'] : changed,
        before: Object.fromEntries(changed.map((k) => [k, (before as Record<string, unknown>)[k]])),
      },
    });
    return this.getIn(tx, ctx, id);
  }

  async decideAcceptance(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: { decision: 'approve' | 'reject'; note?: string | null; version: number },
    locale: Locale,
  ): Promise<C.Risk> {
    const before = await this.riskRow(tx, id);
    if (before.treatment !== 'accept' || before.acceptance !== 'pending')
      throw new AppError(
        'CONFLICT',
        'Only a risk whose treatment is "accept" and whose acceptance is pending can be decided',
      );
    const acceptance = input.decision === 'approve' ? 'approved' : 'rejected';
    await updateVersioned(tx, risks, id, input.version, {
      acceptance,
      acceptanceDecidedBy: actor.userId,
      acceptanceDecidedAt: this.clock(),
      acceptanceNote: input.note ?? null,
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: `risks.risk.acceptance_${acceptance}`,
      entityType: 'risk',
      entityId: id,
      data: {
        ref: before.ref,
        residual: [before.residualLikelihood, before.residualImpact],
        note: input.note ?? null,
      },
    });
    return this.get(tx, tenantId, id, locale);
  }

  async review(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: { note?: string | null; version: number },
    locale: Locale,
  ) {
    const before = await this.riskRow(tx, id);
    if (before.status === 'draft')
      throw new AppError('CONFLICT', 'A draft is reviewed once it is rated and open');
    const s = await this.ensureSettings(tx, tenantId);
    const level = levelOf(s.matrix, ...complete(before).res);
    const next = nextReviewOn(this.today(), level.id, s.reviewDays);
    await updateVersioned(tx, risks, id, input.version, { lastReviewedAt: this.clock(), nextReviewOn: next });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.risk.reviewed',
      entityType: 'risk',
      entityId: id,
      data: {
        ref: before.ref,
        residualLevel: level.id,
        nextReviewOn: next,
        previousNextReviewOn: before.nextReviewOn,
        note: input.note ?? null,
      },
    });
    return this.get(tx, tenantId, id, locale);
  }

  // ---- heat map ---------------------------------------------------------------------------
  async heatmap(
    tx: TenantTx,
    _tenantId: string,
    locale: Locale,
    f: Partial<C.HeatmapQuery> = {},
  ): Promise<C.HeatmapResult> {
    let matrix = (await this.settings(tx)).matrix;
    let points: { id: string; inh: [number, number]; res: [number, number] }[];
    let snapshot: C.HeatmapResult['snapshot'] = null;
    if (f.snapshotId) {
      const [s] = await tx.select().from(riskSnapshots).where(eq(riskSnapshots.id, f.snapshotId));
      if (!s) throw new AppError('NOT_FOUND', 'snapshot not found');
      const data = s.data as SnapshotData & { matrix?: RiskMatrix };
      if (data.matrix) matrix = data.matrix;
      snapshot = { id: s.id, label: s.label, createdAt: s.createdAt.toISOString() };
      points = data.risks
        .filter((r) => !f.processId || r.processId === f.processId)
        .filter((r) => !f.orgUnitId || r.orgUnitId === f.orgUnitId)
        .filter((r) => !f.factor || r.factors.includes(f.factor))
        .map((r) => ({
          id: r.id,
          inh: [r.inherent.likelihood, r.inherent.impact],
          res: [r.residual.likelihood, r.residual.impact],
        }));
    } else {
      const rows = await tx
        .select()
        .from(risks)
        .where(registerFilter({ ...f, status: 'open' }))
        .orderBy(asc(risks.ref));
      points = rows.map((r) => {
        const { inh, res } = complete(r);
        return { id: r.id, inh, res };
      });
    }
    const cells: C.HeatmapResult['cells'] = [];
    for (const lk of matrix.likelihood)
      for (const im of matrix.impact) {
        const band = levelOf(matrix, lk.value, im.value);
        const at = (p: [number, number]) => p[0] === lk.value && p[1] === im.value;
        const inherentRiskIds = points.filter((p) => at(p.inh)).map((p) => p.id);
        const residualRiskIds = points.filter((p) => at(p.res)).map((p) => p.id);
        cells.push({
          likelihood: lk.value,
          impact: im.value,
          score: lk.value * im.value,
          levelId: band.id,
          color: band.color,
          inherentCount: inherentRiskIds.length,
          residualCount: residualRiskIds.length,
          riskIds: [...new Set([...inherentRiskIds, ...residualRiskIds])],
          inherentRiskIds,
          residualRiskIds,
        });
      }
    const view = this.matrixView(matrix, locale);
    return {
      likelihood: view.likelihood.map(({ value, label }) => ({ value, label })),
      impact: view.impact.map(({ value, label }) => ({ value, label })),
      levels: view.levels,
      cells,
      total: points.length,
      snapshot,
    };
  }

  // ---- snapshots --------------------------------------------------------------------------
  async takeSnapshot(tx: TenantTx, tenantId: string, actor: Actor, label: string) {
    const s = await this.ensureSettings(tx, tenantId);
    const processes = await this.processRows(tx, tenantId);
    const rows = await tx.select().from(risks).where(eq(risks.status, 'open')).orderBy(asc(risks.ref));
    const rating = (l: number, i: number) => ({
      likelihood: l,
      impact: i,
      score: l * i,
      levelId: levelOf(s.matrix, l, i).id,
    });
    const data: SnapshotData & { matrix: RiskMatrix } = {
      matrix: s.matrix,
      levels: s.matrix.levels,
      risks: rows.map((r) => {
        const { processId, inh, res } = complete(r);
        return {
          id: r.id,
          ref: r.ref,
          title: r.title,
          processId,
          processCode: processes.find((p) => p.id === processId)?.code ?? '',
          factors: r.factors,
          orgUnitId: r.orgUnitId,
          inherent: rating(...inh),
          residual: rating(...res),
        };
      }),
    };
    const [row] = await tx
      .insert(riskSnapshots)
      .values({ tenantId, label, data, takenBy: actor.userId, createdAt: this.clock() })
      .returning();
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.snapshot.taken',
      entityType: 'risk_snapshot',
      entityId: row!.id,
      data: { label, risks: data.risks.length },
    });
    return this.snapshotSummary(row!);
  }

  private snapshotSummary(s: typeof riskSnapshots.$inferSelect): C.SnapshotSummaryT {
    const data = s.data as SnapshotData;
    const count = (k: 'inherent' | 'residual') =>
      Object.fromEntries(
        data.levels.map((l) => [l.id, data.risks.filter((r) => r[k].levelId === l.id).length]),
      );
    return {
      id: s.id,
      label: s.label,
      createdAt: s.createdAt.toISOString(),
      riskCount: data.risks.length,
      inherent: count('inherent'),
      residual: count('residual'),
    };
  }

  async snapshots(tx: TenantTx) {
    const rows = await tx.select().from(riskSnapshots).orderBy(desc(riskSnapshots.createdAt));
    return rows.map((r) => this.snapshotSummary(r));
  }

  async snapshot(tx: TenantTx, id: string, locale: Locale) {
    const [s] = await tx.select().from(riskSnapshots).where(eq(riskSnapshots.id, id));
    if (!s) throw new AppError('NOT_FOUND', 'snapshot not found');
    const data = s.data as SnapshotData;
    return {
      ...this.snapshotSummary(s),
      levels: data.levels.map((l) => levelView(l as LevelBand, locale)),
      risks: data.risks,
    };
  }

  async trend(tx: TenantTx, fromId: string, toId: string, locale: Locale): Promise<C.TrendResult> {
    const [a] = await tx.select().from(riskSnapshots).where(eq(riskSnapshots.id, fromId));
    const [b] = await tx.select().from(riskSnapshots).where(eq(riskSnapshots.id, toId));
    if (!a || !b) throw new AppError('NOT_FOUND', 'snapshot not found');
    if (a.createdAt > b.createdAt)
      throw new AppError(
        'UNPROCESSABLE',
        'The first snapshot is more recent than the second: dates out of order',
        [
          {
            path: 'query.from',
            message: `taken ${a.createdAt.toISOString()}, after ${b.createdAt.toISOString()}`,
          },
        ],
      );
    const da = a.data as SnapshotData;
    const db = b.data as SnapshotData;
    const rank = (levels: SnapshotData['levels'], id: string) => levels.findIndex((l) => l.id === id);
    const before = new Map(da.risks.map((r) => [r.id, r]));
    const after = new Map(db.risks.map((r) => [r.id, r]));
    const moved: C.TrendResult['moved'] = [];
    for (const r of db.risks) {
      const o = before.get(r.id);
      if (!o || o.residual.levelId === r.residual.levelId) continue;
      const up =
        rank(db.levels, r.residual.levelId) > rank(db.levels, o.residual.levelId) ||
        (rank(db.levels, o.residual.levelId) < 0 && r.residual.score > o.residual.score);
      moved.push({
        id: r.id,
        ref: r.ref,
        title: r.title,
        fromLevel: o.residual.levelId,
        toLevel: r.residual.levelId,
        direction: up ? 'up' : 'down',
      });
    }
    const brief = (r: C.SnapshotRisk) => ({ id: r.id, ref: r.ref, title: r.title });
    return {
      from: this.snapshotSummary(a),
      to: this.snapshotSummary(b),
      levels: db.levels.map((l) => levelView(l as LevelBand, locale)),
      moved,
      added: db.risks.filter((r) => !before.has(r.id)).map(brief),
      closed: da.risks.filter((r) => !after.has(r.id)).map(brief),
    };
  }

  /**
   * The organisation's units and members (disabled accounts included: a risk may still name
   * them as owner or decider), by name.
   */
  async people(tx: TenantTx): Promise<{ units: UnitRow[]; members: MemberRow[] }> {
    const units = await directory.units(tx);
    const members = await directory.members(tx, { includeDisabled: true });
    return {
      units: units.map((u) => ({ id: u.id, name: u.name, code: u.code })),
      members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email })),
    };
  }

  // ---- register as a table: export and import ---------------------------------------------
  async registerRows(tx: TenantTx, tenantId: string, locale: Locale): Promise<RegisterRow[]> {
    const ctx = await this.context(tx, tenantId, locale);
    const list = await this.listIn(tx, ctx, {});
    return list.map((r) => this.toRow(ctx, r));
  }

  private toRow(ctx: Ctx, r: C.Risk): RegisterRow {
    const unit = ctx.units.find((u) => u.id === r.orgUnitId);
    const owner = ctx.members.find((u) => u.userId === r.ownerUserId);
    return {
      ref: r.ref,
      process: r.processCode,
      title: r.title,
      description: r.description,
      scheme: r.scheme,
      actors: r.actors.join('; ') || null,
      drivers: r.drivers,
      factors: r.factors.join(', ') || null,
      org_unit: unit ? (unit.code ?? unit.name) : null,
      owner: owner?.email ?? null,
      inherent_likelihood: r.inherent?.likelihood ?? null,
      inherent_impact: r.inherent?.impact ?? null,
      inherent_score: r.inherent?.score ?? null,
      inherent_level: r.inherent?.level.label ?? null,
      residual_likelihood: r.residual?.likelihood ?? null,
      residual_impact: r.residual?.impact ?? null,
      residual_score: r.residual?.score ?? null,
      residual_level: r.residual?.level.label ?? null,
      treatment: r.treatment,
      treatment_note: r.treatmentNote,
      acceptance: r.acceptance,
      acceptance_note: r.acceptanceNote,
      status: r.status,
      last_reviewed_on: r.lastReviewedAt ? r.lastReviewedAt.slice(0, 10) : null,
      next_review_on: r.nextReviewOn,
      flags: r.flags.join(', ') || null,
      controls: controlsCell(r.controls.map((c) => ({ ...c }))) || null,
    };
  }

  /**
   * All or nothing: every row is checked first; one bad row stores nothing, and the report
   * lists every bad row with its sheet row number (the header is row 1). An existing ref is
   * replaced by its row (an explicit bulk replace, audited), a new ref is created.
   */
  async importRows(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    table: { headers: string[]; rows: Record<string, unknown>[] },
    opts: { dryRun: boolean; locale: Locale },
  ): Promise<C.ImportReport> {
    const report: C.ImportReport = {
      dryRun: opts.dryRun,
      rows: table.rows.length,
      created: [],
      updated: [],
      unchanged: [],
      errors: [],
    };
    const errors: RowError[] = headerErrors(table.headers);
    if (table.rows.length === 0) errors.push({ row: 2, column: null, message: 'the file has no data rows' });
    if (table.rows.length > 5000)
      errors.push({ row: 5002, column: null, message: 'at most 5000 risks per import' });
    if (errors.length) return this.finishImport(report, errors, opts.dryRun);

    const ctx = await this.context(tx, tenantId, opts.locale);
    const existing = await tx.select().from(risks);
    const byRef = new Map(existing.map((r) => [r.ref, r]));
    const seen = new Map<string, number>();
    const canApprove = actor.permissions.has('risks.approve');
    const plans: {
      p: ParsedRow;
      values: Omit<typeof risks.$inferInsert, 'tenantId' | 'createdBy'>;
      before?: RiskRow;
    }[] = [];
    table.rows.forEach((raw, i) => {
      const row = i + 2;
      const { value: p, errors: rowErrors } = parseRow(raw, row);
      errors.push(...rowErrors);
      const err = (column: string | null, message: string) => errors.push({ row, column, message });
      /** The row's process, unit and owner; an unknown one is reported. */
      const resolve = (processCode: string, orgUnit: string, ownerEmail: string) => {
        const proc = ctx.processes.find((x) => x.code === processCode);
        if (processCode && !proc) err('process', `unknown process "${processCode.slice(0, 40)}"`);
        const unit = orgUnit
          ? (ctx.units.find((u) => u.code === orgUnit) ?? ctx.units.find((u) => u.name === orgUnit))
          : undefined;
        if (orgUnit && !unit) err('org_unit', `unknown organisation unit "${orgUnit.slice(0, 60)}"`);
        const owner = ownerEmail ? ctx.members.find((u) => u.email.toLowerCase() === ownerEmail) : undefined;
        if (ownerEmail && !owner)
          err('owner', `${ownerEmail.slice(0, 80)} is not a member of the organisation`);
        return { proc, unit, owner };
      };
      if (!p) {
        // Still report the references of a row that has other problems, so one pass lists them all.
        const cell = (k: string) => (raw[k] === null || raw[k] === undefined ? '' : String(raw[k]).trim());
        resolve(cell('process'), cell('org_unit'), cell('owner').toLowerCase());
        return;
      }
      if (seen.has(p.ref)) err('ref', `ref ${p.ref} is also on row ${seen.get(p.ref)}`);
      seen.set(p.ref, row);
      const { proc, unit, owner } = resolve(p.processCode, p.orgUnit ?? '', p.owner ?? '');
      const m = ctx.settings.matrix;
      for (const [k, col, axis] of [
        ['inherentLikelihood', 'inherent_likelihood', 'likelihood'],
        ['inherentImpact', 'inherent_impact', 'impact'],
        ['residualLikelihood', 'residual_likelihood', 'likelihood'],
        ['residualImpact', 'residual_impact', 'impact'],
      ] as const) {
        const x = p[k];
        if (x !== null && !inAxis(m, axis, x))
          err(col, `${x} is outside the matrix (${axis} 1–${m[axis].length})`);
      }
      if (p.lastReviewedOn && p.lastReviewedOn > ctx.today)
        err('last_reviewed_on', `${p.lastReviewedOn} is in the future`);
      p.controls.forEach((c, j) => {
        if (c.lastTestedOn && c.lastTestedOn > ctx.today)
          err('controls', `control ${j + 1}: tested on ${c.lastTestedOn}, in the future`);
      });
      const before = byRef.get(p.ref);
      if (before && before.status !== 'draft' && p.status === 'draft')
        err('status', `${p.ref} is ${before.status}: a risk in the register does not go back to draft`);
      let acceptance: RiskRow['acceptance'] = 'none';
      let decided = { acceptanceDecidedBy: null as string | null, acceptanceDecidedAt: null as Date | null };
      if (p.treatment !== 'accept') {
        if (p.acceptance && p.acceptance !== 'none')
          err('acceptance', 'acceptance applies only to the treatment accept');
      } else if (p.acceptance === 'approved' || p.acceptance === 'rejected') {
        const same =
          before &&
          before.acceptance === p.acceptance &&
          before.residualLikelihood === p.residualLikelihood &&
          before.residualImpact === p.residualImpact;
        acceptance = p.acceptance;
        if (same)
          decided = {
            acceptanceDecidedBy: before.acceptanceDecidedBy,
            acceptanceDecidedAt: before.acceptanceDecidedAt,
          };
        else if (canApprove)
          decided = { acceptanceDecidedBy: actor.userId, acceptanceDecidedAt: this.clock() };
        else err('acceptance', `"${p.acceptance}" is a decision that needs the permission risks.approve`);
      } else acceptance = 'pending';
      if (!proc && p.status !== 'draft') return;
      plans.push({
        p,
        before,
        values: {
          ref: p.ref,
          processId: proc?.id ?? null,
          title: p.title,
          description: p.description,
          scheme: p.scheme,
          actors: p.actors,
          drivers: p.drivers,
          factors: [...p.factors].sort((a, b) => a - b),
          orgUnitId: unit?.id ?? null,
          ownerUserId: owner?.userId ?? null,
          inherentLikelihood: p.inherentLikelihood,
          inherentImpact: p.inherentImpact,
          residualLikelihood: p.residualLikelihood,
          residualImpact: p.residualImpact,
          treatment: p.treatment,
          treatmentNote: p.treatmentNote,
          acceptance,
          acceptanceNote: acceptance === 'approved' || acceptance === 'rejected' ? p.acceptanceNote : null,
          ...decided,
          status: p.status,
          lastReviewedAt: p.lastReviewedOn
            ? before?.lastReviewedAt && isoDay(before.lastReviewedAt) === p.lastReviewedOn
              ? before.lastReviewedAt
              : new Date(`${p.lastReviewedOn}T00:00:00Z`)
            : null,
          nextReviewOn: p.nextReviewOn,
        },
      });
    });
    if (errors.length) return this.finishImport(report, errors, opts.dryRun);

    // Nothing is wrong: compare each row with what is stored, then write (unless a dry run).
    const controls = await this.controlsOf(
      tx,
      existing.map((r) => r.id),
    );
    const imported: string[] = [];
    for (const { p, values, before } of plans) {
      if (!before) {
        report.created.push(p.ref);
        continue;
      }
      const cur = this.toRow(ctx, this.riskView(ctx, before, controls.get(before.id) ?? []));
      const next = this.toRow(
        ctx,
        this.riskView(
          ctx,
          { ...before, ...values } as RiskRow,
          p.controls.map((c) => ({ ...c, id: '00000000-0000-4000-8000-000000000000' })) as never,
        ),
      );
      if (JSON.stringify(cur) === JSON.stringify(next) && before.acceptanceNote === values.acceptanceNote)
        report.unchanged.push(p.ref);
      else report.updated.push(p.ref);
    }
    if (opts.dryRun) return report;
    await this.ensureSettings(tx, tenantId);
    await this.ensureProcesses(tx, tenantId);
    for (const { p, values, before } of plans) {
      if (report.unchanged.includes(p.ref)) continue;
      let id: string;
      if (before) {
        await tx
          .update(risks)
          .set({ ...values, version: sql`${risks.version} + 1`, updatedAt: new Date() })
          .where(eq(risks.id, before.id));
        id = before.id;
      } else {
        const [row] = await tx
          .insert(risks)
          .values({ ...values, tenantId, createdBy: actor.userId })
          .returning({ id: risks.id });
        id = row!.id;
      }
      await this.replaceControls(tx, tenantId, id, p.controls);
      imported.push(id);
    }
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'risks.register.imported',
      entityType: 'risk_register',
      entityId: null,
      data: {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged.length,
        riskIds: imported,
      },
    });
    return report;
  }

  private finishImport(report: C.ImportReport, errors: RowError[], dryRun: boolean): C.ImportReport {
    const sorted = [...errors].sort((a, b) => a.row - b.row);
    if (dryRun) return { ...report, errors: sorted };
    const rowsWithErrors = new Set(sorted.map((e) => e.row)).size;
    throw new AppError(
      'UNPROCESSABLE',
      `Nothing was imported: ${rowsWithErrors} row(s) have problems; the first: row ${sorted[0]!.row}${sorted[0]!.column ? ` (${sorted[0]!.column})` : ''}: ${sorted[0]!.message}`,
      sorted
        .slice(0, 1000)
        .map((e) => ({ path: `row ${e.row}${e.column ? `.${e.column}` : ''}`, message: e.message })),
    );
  }

  // ---- for other modules ------------------------------------------------------------------
  async topResidual(tx: TenantTx, tenantId: string, limit: number, locale: Locale) {
    const list = (await this.list(tx, tenantId, locale, { status: 'open' })).map((r) => {
      const { inherent, residual } = r;
      if (!inherent || !residual) throw new Error(`open risk ${r.id} without ratings`);
      return { ...r, inherent, residual };
    });
    return list
      .sort(
        (a, b) =>
          b.residual.score - a.residual.score ||
          b.inherent.score - a.inherent.score ||
          a.ref.localeCompare(b.ref),
      )
      .slice(0, Math.max(0, limit))
      .map((r) => ({
        id: r.id,
        ref: r.ref,
        title: r.title,
        process: r.process,
        factors: r.factors,
        residualScore: r.residual.score,
        residualLevel: r.residual.level,
        inherentScore: r.inherent.score,
        ownerUserId: r.ownerUserId,
        nextReviewOn: r.nextReviewOn,
        overdue: r.overdue,
      }));
  }

  async exists(tx: TenantTx, ids: string[]): Promise<string[]> {
    return (await this.statuses(tx, ids)).map((r) => r.id);
  }
}
