import type { Actor } from '../../platform/auth/actor.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import { addDays, isoDay } from '../../platform/dates.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { type DirectoryMember, type DirectoryUnit, unitSubtree } from '../identity/index.ts';
import type * as C from './declarations.contract.ts';
import { MIN_CELL } from './declarations.contract.ts';
import { P } from './declarations.permissions.ts';
import * as q from './declarations.queries.ts';
import {
  assetGrowthRule,
  conflictUnmitigatedRule,
  giftOverThresholdRule,
  type HandledDeclarationsSource,
  lateRule,
  missingRule,
  NO_ANALYTICS,
  type RaisedFlag,
  relatedPartyHandledRule,
  repeatedGiverRule,
  round2,
  totals,
} from './declarations.rules.ts';
import {
  declarationCycles,
  declarationFlags,
  declarations,
  declarationSettings,
} from './declarations.schema.ts';
import { DECLARATION_TYPES, FLAG_RULES, REVIEW_TRANSITIONS } from './declarations.vocab.ts';

const DUE_SOON_DAYS = 7;
/** The SecretBox purpose of asset values (the key derived from SECRET_KEY for them only). */
export const ASSET_BOX_PURPOSE = 'declarations-asset-values-v1';

/** What an administration starts with until it saves its own settings. */
export const DEFAULT_SETTINGS = {
  enabledTypes: [...DECLARATION_TYPES],
  baseCurrency: 'USD',
  rates: {} as Record<string, number>,
  giftThreshold: 100,
  repeatGiftCount: 3,
  repeatGiftWindowDays: 365,
  growthFactor: 1.5,
  officerCodes: {} as Record<string, string>,
  version: 0,
};

/** The directory a request reads once: members and units (cycle targets, line managers). */
interface People {
  members: DirectoryMember[];
  units: DirectoryUnit[];
}

/**
 * Opens a case for a referred flag: the cases module's CasesApi (wired in index.ts). Without it,
 * a referral needs a reference to a case kept elsewhere.
 */
export interface FlagReferrals {
  /** A case opened from a declaration a reviewer refers (once per declaration). */
  openFromSource(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: {
      title: string;
      sourceKind: 'other';
      sourceRef: string;
      orgUnitId?: string;
      subjects: { kind: 'staff'; userId: string; name: string }[];
    },
  ): Promise<{ id: string; reference: string }>;
  openFromDeclarationFlag(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    flag: { id: string; rule: string; userId: string; name: string; unitId: string | null },
    locale: Locale,
  ): Promise<{ id: string; reference: string }>;
}

interface Sealed {
  currency: string;
  items: { value: number }[];
  liabilities: { description: string; amount: number }[];
  income: { description: string; amount: number }[];
}

export class DeclarationsService {
  // Asset values, liabilities, income and the growth flag's amounts: sealed with a key derived
  // from SECRET_KEY for this purpose only (the platform SecretBox, like learning's signing key).
  private readonly box: SecretBox;

  constructor(
    private readonly k: Kernel,
    readonly now: () => Date = () => new Date(),
    private readonly handled: HandledDeclarationsSource = NO_ANALYTICS,
    private readonly referrals: FlagReferrals | null = null,
  ) {
    this.box = new SecretBox(k.config.SECRET_KEY, ASSET_BOX_PURPOSE);
  }

  // ---- settings -------------------------------------------------------------------------------
  async settings(tx: TenantTx): Promise<C.Settings> {
    const row = await q.settings(tx);
    if (!row)
      return { ...DEFAULT_SETTINGS, enabledTypes: [...DEFAULT_SETTINGS.enabledTypes], officerCodes: {} };
    return {
      enabledTypes: row.enabledTypes as C.Settings['enabledTypes'],
      baseCurrency: row.baseCurrency,
      rates: row.rates,
      giftThreshold: row.giftThreshold,
      repeatGiftCount: row.repeatGiftCount,
      repeatGiftWindowDays: row.repeatGiftWindowDays,
      growthFactor: row.growthFactor,
      officerCodes: row.officerCodes,
      version: row.version,
    };
  }

  async updateSettings(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: C.SettingsInputT,
  ): Promise<C.Settings> {
    const { version, ...values } = input;
    const rates = Object.fromEntries(Object.entries(values.rates).filter(([c]) => c !== values.baseCurrency));
    const row = await q.settings(tx);
    const officerCodes = values.officerCodes
      ? Object.fromEntries(Object.entries(values.officerCodes).map(([e, c]) => [e.trim().toLowerCase(), c]))
      : (row?.officerCodes ?? {});
    if (!row) {
      if (version !== 0)
        throw new AppError('VERSION_CONFLICT', 'The settings were saved by someone else. Reload.');
      await tx.insert(declarationSettings).values({ tenantId, ...values, rates, officerCodes });
    } else {
      await updateVersioned(tx, declarationSettings, row.id, version, { ...values, rates, officerCodes });
    }
    await this.audit(
      tx,
      tenantId,
      actor.userId,
      'declarations.settings.updated',
      'declaration_settings',
      null,
      {
        ...values,
        rates,
        officerCodes: Object.keys(officerCodes).length,
      },
    );
    return this.settings(tx);
  }

  // ---- cycles ---------------------------------------------------------------------------------
  /** The members and units, read once per request for every cycle's targets. */
  private async directory(tx: TenantTx): Promise<People> {
    return { members: await q.members(tx), units: await q.units(tx) };
  }

  /** Who a cycle asks to file: holders of declarations.declare, in its units (with sub-units) if any. */
  private targets(cycle: q.CycleRow, people: People) {
    const declarers = people.members.filter((m) => this.k.permissions.permissionsOf(m.roles).has(P.declare));
    if (!cycle.unitIds.length) return declarers;
    const scope = unitSubtree(people.units, cycle.unitIds);
    return declarers.filter((m) => m.unitId && scope.has(m.unitId));
  }

  async listCycles(tx: TenantTx, actor: Actor): Promise<C.Cycle[]> {
    const list = await q.cycles(tx);
    const mine = await q.listDeclarations(tx, { userId: actor.userId });
    const people = await this.directory(tx);
    return list.map((c) => ({
      ...this.cycleView(c),
      filed: this.targets(c, people).some((m) => m.userId === actor.userId)
        ? mine.some((d) => d.cycleId === c.id)
        : null,
    }));
  }

  private cycleView(c: q.CycleRow): C.Cycle {
    return {
      id: c.id,
      title: c.title,
      type: c.type,
      assetKind: c.assetKind,
      year: c.year,
      unitIds: c.unitIds,
      dueDate: c.dueDate,
      escalate: c.escalate,
      filed: null,
      version: c.version,
    };
  }

  async createCycle(tx: TenantTx, tenantId: string, actor: Actor, input: C.CycleInputT): Promise<C.Cycle> {
    const known = new Set((await q.units(tx)).map((u) => u.id));
    const bad = input.unitIds.findIndex((u) => !known.has(u));
    if (bad >= 0)
      throw new AppError('VALIDATION_FAILED', 'unknown unit', [
        { path: `unitIds.${bad}`, message: 'unknown unit' },
      ]);
    if (input.type !== 'asset' && (input.assetKind || input.year))
      throw new AppError('VALIDATION_FAILED', 'assetKind and year are for asset cycles', [
        { path: 'assetKind', message: 'only for asset declarations' },
      ]);
    const [row] = await tx
      .insert(declarationCycles)
      .values({
        tenantId,
        title: input.title,
        type: input.type,
        assetKind: input.assetKind ?? (input.type === 'asset' ? 'annual' : null),
        year: input.year ?? null,
        unitIds: input.unitIds,
        dueDate: input.dueDate,
        escalate: input.escalate,
        createdBy: actor.userId,
      })
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'declarations.cycle.created', 'declaration_cycle', row!.id, {
      ...input,
    });
    return this.cycleView(row!);
  }

  async updateCycle(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: C.CycleUpdateT) {
    const { version, ...values } = input;
    const row = await updateVersioned(tx, declarationCycles, id, version, values);
    await this.audit(
      tx,
      tenantId,
      actor.userId,
      'declarations.cycle.updated',
      'declaration_cycle',
      id,
      values,
    );
    return this.cycleView(row);
  }

  // ---- filing ---------------------------------------------------------------------------------
  async file(tx: TenantTx, tenantId: string, actor: Actor, input: C.DeclarationInput, locale: Locale) {
    const s = await this.settings(tx);
    if (!s.enabledTypes.includes(input.type))
      throw new AppError('UNPROCESSABLE', `Your administration does not use ${input.type} declarations`);
    let cycle: q.CycleRow | undefined;
    if (input.cycleId) {
      cycle = await q.cycle(tx, input.cycleId);
      if (!cycle) throw notFound('cycle');
      if (cycle.type !== input.type)
        throw new AppError('VALIDATION_FAILED', 'this cycle is for another type of declaration', [
          { path: 'cycleId', message: `a ${cycle.type} cycle` },
        ]);
      if (!this.targets(cycle, await this.directory(tx)).some((m) => m.userId === actor.userId))
        throw notFound('cycle');
    }
    const base = {
      tenantId,
      userId: actor.userId,
      unitId: await q.unitOf(tx, actor.userId),
      type: input.type,
      cycleId: cycle?.id ?? null,
      dueDate: cycle?.dueDate ?? null,
      submittedAt: this.now(),
    };
    let values: Partial<typeof declarations.$inferInsert> = {};
    if (input.type === 'conflict') {
      values = {
        partyKind: input.partyKind,
        partyName: input.partyName,
        partyIdentifier: input.partyIdentifier,
        nature: input.nature,
        mitigation: input.mitigation,
        approval: 'pending',
      };
    } else if (input.type === 'gift') {
      const rate = input.currency === s.baseCurrency ? 1 : s.rates[input.currency];
      if (!rate)
        throw new AppError('UNPROCESSABLE', `No exchange rate from ${input.currency} to ${s.baseCurrency}`, [
          {
            path: 'currency',
            message: `no exchange rate to ${s.baseCurrency}: ask the administrator to add one`,
          },
        ]);
      values = {
        giver: input.giver,
        giftDate: input.giftDate,
        description: input.description,
        value: input.value,
        currency: input.currency,
        baseValue: round2(input.value * rate),
        disposition: input.disposition,
        approval: input.disposition === 'approved' ? 'pending' : 'not_required',
      };
    } else {
      const sealed: Sealed = {
        currency: s.baseCurrency,
        items: input.items.map((i) => ({ value: i.value })),
        liabilities: input.liabilities,
        income: input.income,
      };
      values = {
        assetKind: input.assetKind,
        periodYear: input.periodYear,
        assetItems: input.items.map((i) => ({
          category: i.category,
          description: i.description,
          acquiredOn: i.acquiredOn ?? null,
        })),
        assetSealed: this.box.seal(JSON.stringify(sealed)),
      };
    }
    const [row] = await tx
      .insert(declarations)
      .values({ ...base, ...values })
      .returning();
    await this.audit(
      tx,
      tenantId,
      actor.userId,
      'declarations.declaration.submitted',
      'declaration',
      row!.id,
      {
        type: row!.type,
        cycleId: row!.cycleId,
      },
    );
    await this.evaluate(tx, tenantId, row!, s);
    if (row!.approval === 'pending') await this.askApproval(tx, tenantId, row!);
    return (await this.views(tx, [row!], locale))[0]!;
  }

  /** The red flags a new declaration may raise (docs/adr/0021). */
  private async evaluate(tx: TenantTx, tenantId: string, d: q.DeclarationRow, s: C.Settings) {
    const raised: (RaisedFlag | null)[] = [
      lateRule({ id: d.id, submittedOn: isoDay(d.submittedAt), dueDate: d.dueDate }),
    ];
    if (d.type === 'conflict') {
      raised.push(
        conflictUnmitigatedRule({
          id: d.id,
          partyName: d.partyName!,
          partyKind: d.partyKind!,
          mitigation: d.mitigation!,
        }),
      );
      const email = (await q.members(tx)).find((m) => m.userId === d.userId)?.email;
      for (const f of await this.relatedParties(tx, tenantId, d.userId, email, s))
        await this.raise(tx, tenantId, f, d.userId, f.declarationId, null);
    }
    if (d.type === 'gift') {
      raised.push(
        giftOverThresholdRule(
          {
            id: d.id,
            giver: d.giver!,
            value: d.value!,
            currency: d.currency!,
            baseValue: d.baseValue!,
            disposition: d.disposition!,
          },
          s,
        ),
      );
      const gifts = (await q.listDeclarations(tx, { userId: d.userId, types: ['gift'] })).map((g) => ({
        id: g.id,
        giver: g.giver!,
        giftDate: g.giftDate!,
      }));
      raised.push(repeatedGiverRule(d.userId, gifts, { giver: d.giver!, giftDate: d.giftDate! }, s));
    }
    if (d.type === 'asset' && d.periodYear != null) {
      const earlier = (await q.listDeclarations(tx, { userId: d.userId, types: ['asset'] }))
        .filter((x) => x.id !== d.id && x.periodYear != null && x.periodYear < d.periodYear!)
        .sort(
          (a, b) => b.periodYear! - a.periodYear! || b.submittedAt.getTime() - a.submittedAt.getTime(),
        )[0];
      raised.push(
        assetGrowthRule(
          { id: d.id, year: d.periodYear, totals: totals(this.unseal(d)) },
          earlier
            ? { id: earlier.id, year: earlier.periodYear!, totals: totals(this.unseal(earlier)) }
            : undefined,
          s,
        ),
      );
    }
    for (const f of raised) if (f) await this.raise(tx, tenantId, f, d.userId, d.id, d.cycleId);
  }

  /** The related-party flags of one member: their conflicts against the declarations they handled. */
  private async relatedParties(
    tx: TenantTx,
    tenantId: string,
    userId: string,
    email: string | undefined,
    s: C.Settings,
  ) {
    const code = email ? s.officerCodes[email.toLowerCase()] : undefined;
    if (!code) return [];
    const conflicts = (await q.listDeclarations(tx, { userId, types: ['conflict'] })).map((c) => ({
      id: c.id,
      partyKind: c.partyKind!,
      partyName: c.partyName!,
      partyIdentifier: c.partyIdentifier!,
    }));
    return relatedPartyHandledRule(tx, tenantId, this.handled, code, conflicts);
  }

  /**
   * Checks every member's declared related parties against the Customs declarations they handled
   * (the analytics module's latest dataset versions): the daily job, or a reviewer on demand.
   * Returns how many new flags were raised (a flag already raised is not raised again).
   */
  async scanRelatedParties(tx: TenantTx, tenantId: string) {
    const s = await this.settings(tx);
    const byEmail = new Map((await q.members(tx)).map((m) => [m.email.toLowerCase(), m.userId]));
    let raised = 0;
    for (const email of Object.keys(s.officerCodes)) {
      const userId = byEmail.get(email);
      if (!userId) continue;
      for (const f of await this.relatedParties(tx, tenantId, userId, email, s))
        if (await this.raise(tx, tenantId, f, userId, f.declarationId, null)) raised++;
    }
    return { raised };
  }

  /** The Customs declarations behind a related-party flag (the analytics dataset rows). */
  async flagRows(tx: TenantTx, tenantId: string, id: string): Promise<C.HandledRowsT> {
    const f = await q.flag(tx, id);
    if (f?.rule !== 'related_party_handled') throw notFound('flag');
    const facts = f.facts as Record<string, string | number>;
    const rows = await this.handled.rows(
      tx,
      tenantId,
      String(facts.versionId),
      String(facts.officerCode),
      String(facts.identifier),
    );
    return { ...rows, dataset: String(facts.dataset), datasetVersion: Number(facts.datasetVersion) };
  }

  private async raise(
    tx: TenantTx,
    tenantId: string,
    f: RaisedFlag,
    userId: string,
    declarationId: string | null,
    cycleId: string | null,
  ) {
    const id = await q.insertFlag(tx, {
      tenantId,
      rule: f.rule,
      subject: f.subject,
      userId,
      declarationId,
      cycleId,
      facts: f.facts,
      sealedFacts: f.restricted ? this.box.seal(JSON.stringify(f.restricted)) : null,
    });
    if (id)
      await this.audit(tx, tenantId, null, 'declarations.flag.raised', 'declaration_flag', id, {
        rule: f.rule,
        declarationId,
        cycleId,
      });
    return id;
  }

  private unseal(d: q.DeclarationRow): Sealed {
    return JSON.parse(this.box.open(d.assetSealed!)) as Sealed;
  }

  /** Line managers of the declarant's unit (holders of declarations.approve), never the declarant. */
  private lineManagers(people: DirectoryMember[], unitId: string | null, except: string) {
    const approvers = people.filter(
      (m) => m.userId !== except && this.k.permissions.permissionsOf(m.roles).has(P.approve),
    );
    return unitId ? approvers.filter((m) => m.unitId === unitId) : approvers;
  }

  private async askApproval(tx: TenantTx, tenantId: string, d: q.DeclarationRow) {
    const who = (await q.names(tx, [d.userId])).get(d.userId) ?? '';
    for (const m of this.lineManagers(await q.members(tx), d.unitId, d.userId))
      await this.k.notify.send(tx, {
        tenantId,
        userId: m.userId,
        kind: 'declarations.approval',
        messageKey: 'declarations.notify.approval',
        vars: { declarant: who },
        link: '/declarations/approvals',
        dedupeKey: `declaration:${d.id}:approval`,
      });
  }

  // ---- reading --------------------------------------------------------------------------------
  private async views(tx: TenantTx, list: q.DeclarationRow[], locale: Locale): Promise<C.Declaration[]> {
    const who = await q.names(tx, [...new Set(list.map((d) => d.userId))]);
    const cycles = new Map((await q.cycles(tx)).map((c) => [c.id, c.title]));
    const open = await q.openFlagCounts(tx);
    return list.map((d) => ({
      id: d.id,
      type: d.type,
      userId: d.userId,
      declarant: who.get(d.userId) ?? '',
      unitId: d.unitId,
      cycleId: d.cycleId,
      cycleTitle: d.cycleId ? (cycles.get(d.cycleId) ?? null) : null,
      status: d.status,
      approval: d.approval,
      approvalNote: d.approvalNote,
      submittedAt: d.submittedAt.toISOString(),
      dueDate: d.dueDate,
      late: !!d.dueDate && isoDay(d.submittedAt) > d.dueDate,
      summary: this.summary(d, locale),
      partyKind: d.partyKind,
      partyName: d.partyName,
      partyIdentifier: d.partyIdentifier,
      nature: d.nature,
      mitigation: d.mitigation,
      giver: d.giver,
      giftDate: d.giftDate,
      description: d.description,
      value: d.value,
      currency: d.currency,
      baseValue: d.baseValue,
      disposition: d.disposition,
      assetKind: d.assetKind,
      periodYear: d.periodYear,
      assetItems: d.assetItems,
      reviewNote: d.reviewNote,
      referralRef: d.referralRef,
      caseId: d.caseId,
      caseReference: d.caseReference,
      openFlags: open.get(d.id) ?? 0,
      version: d.version,
    }));
  }

  private summary(d: q.DeclarationRow, locale: Locale): string {
    if (d.type === 'conflict')
      return t(locale, 'declarations.summary.conflict', {
        party: d.partyName!,
        kind: t(locale, `declarations.partyKind.${d.partyKind}`),
      });
    if (d.type === 'gift')
      return t(locale, 'declarations.summary.gift', {
        giver: d.giver!,
        value: `${d.value} ${d.currency}`,
      });
    return t(locale, 'declarations.summary.asset', {
      kind: t(locale, `declarations.assetKind.${d.assetKind}`),
      year: d.periodYear ?? '',
      count: d.assetItems?.length ?? 0,
    });
  }

  async mine(tx: TenantTx, actor: Actor, locale: Locale) {
    return this.views(tx, await q.listDeclarations(tx, { userId: actor.userId }), locale);
  }

  /** Conflicts and gifts of the line manager's unit (never asset declarations, never their own). */
  async approvals(tx: TenantTx, actor: Actor, locale: Locale) {
    const unitId = await q.unitOf(tx, actor.userId);
    const people = (await q.members(tx)).filter(
      (m) => m.userId !== actor.userId && (unitId ? m.unitId === unitId : true),
    );
    const list = await q.listDeclarations(tx, {
      userIds: people.map((p) => p.userId),
      types: ['conflict', 'gift'],
    });
    return this.views(
      tx,
      list.filter((d) => d.approval !== 'not_required'),
      locale,
    );
  }

  private async canApprove(tx: TenantTx, actor: Actor, d: q.DeclarationRow) {
    if (!actor.permissions.has(P.approve) || d.userId === actor.userId || d.type === 'asset') return false;
    if (!d.unitId) return true;
    return (await q.unitOf(tx, actor.userId)) === d.unitId;
  }

  /** One declaration, without asset values: the declarant, a reviewer, or the approving line manager. */
  private async visible(tx: TenantTx, actor: Actor, id: string) {
    const d = await q.declaration(tx, id);
    if (!d) throw notFound('declaration');
    if (d.userId === actor.userId || actor.permissions.has(P.review)) return d;
    if (await this.canApprove(tx, actor, d)) return d;
    throw notFound('declaration');
  }

  async get(tx: TenantTx, actor: Actor, id: string, locale: Locale) {
    return (await this.views(tx, [await this.visible(tx, actor, id)], locale))[0]!;
  }

  async queue(tx: TenantTx, locale: Locale) {
    return this.views(tx, await q.listDeclarations(tx), locale);
  }

  /**
   * The asset values of a declaration: its declarant or a reviewer only (anyone else: 404), and
   * every opening is written to the audit log, in the same transaction.
   */
  async assetValues(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    locale: Locale,
  ): Promise<C.AssetValues> {
    const d = await q.declaration(tx, id);
    if (!d) throw notFound('declaration');
    if (d.type !== 'asset') throw notFound('declaration');
    const reviewer = actor.permissions.has(P.review);
    if (d.userId !== actor.userId && !reviewer) throw notFound('declaration');
    await this.audit(tx, tenantId, actor.userId, 'declarations.asset_declaration.read', 'declaration', d.id, {
      declarant: d.userId,
      as: d.userId === actor.userId ? 'declarant' : 'reviewer',
    });
    const v = this.unseal(d);
    const items = (d.assetItems ?? []).map((i, n) => ({ ...i, value: v.items[n]?.value ?? 0 }));
    const flags = reviewer ? await this.flagViews(tx, await q.flagsOf(tx, d.id), locale, true) : [];
    return {
      id: d.id,
      currency: v.currency,
      items,
      liabilities: v.liabilities,
      income: v.income,
      totals: totals(v),
      flags,
    };
  }

  // ---- approval and review --------------------------------------------------------------------
  async approve(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.ApprovalInputT,
    locale: Locale,
  ) {
    const d = await q.declaration(tx, id);
    if (!d || !(await this.canApprove(tx, actor, d))) throw notFound('declaration');
    if (d.approval !== 'pending')
      throw new AppError('CONFLICT', `This declaration is ${d.approval}, not pending`);
    const row = await updateVersioned(tx, declarations, id, input.version, {
      approval: input.decision,
      approvedBy: actor.userId,
      approvedAt: this.now(),
      approvalNote: input.note ?? null,
    });
    await this.audit(
      tx,
      tenantId,
      actor.userId,
      `declarations.declaration.${input.decision}`,
      'declaration',
      id,
      {
        note: input.note ?? null,
      },
    );
    return (await this.views(tx, [row], locale))[0]!;
  }

  async review(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.ReviewInputT,
    locale: Locale,
  ) {
    const d = await q.declaration(tx, id);
    if (!d) throw notFound('declaration');
    if (d.userId === actor.userId) throw new AppError('FORBIDDEN', 'Nobody reviews their own declaration');
    const step = REVIEW_TRANSITIONS[input.action];
    if (!step.from.includes(d.status))
      throw new AppError('CONFLICT', `A ${d.status} declaration cannot be moved with '${input.action}'`);
    if (input.action === 'refer' && !input.reference && !this.referrals)
      throw new AppError('VALIDATION_FAILED', 'a referral needs a reference', [
        { path: 'reference', message: 'required to refer' },
      ]);
    // A referral opens a case in the cases module (once per declaration) concerning the declarant;
    // an external reference (an anti-corruption agency's file number) may be kept beside it.
    let opened: { id: string; reference: string } | null = null;
    if (input.action === 'refer' && this.referrals) {
      const name = (await q.names(tx, [d.userId])).get(d.userId) ?? '';
      opened = await this.referrals.openFromSource(tx, tenantId, actor, {
        title: t(locale, 'declarations.caseTitle', {
          type: t(locale, `declarations.type.${d.type}`),
          declarant: name,
        }),
        sourceKind: 'other',
        sourceRef: `declaration:${d.id}`,
        ...(d.unitId ? { orgUnitId: d.unitId } : {}),
        subjects: [{ kind: 'staff', userId: d.userId, name }],
      });
    }
    const row = await updateVersioned(tx, declarations, id, input.version, {
      status: step.to,
      reviewerId: actor.userId,
      reviewNote: input.note ?? d.reviewNote,
      ...(input.action === 'refer'
        ? {
            referralRef: input.reference ?? null,
            caseId: opened?.id ?? null,
            caseReference: opened?.reference ?? null,
          }
        : {}),
    });
    await this.audit(tx, tenantId, actor.userId, `declarations.declaration.${step.to}`, 'declaration', id, {
      from: d.status,
      note: input.note ?? null,
      reference: input.action === 'refer' ? (input.reference ?? null) : undefined,
      caseId: opened?.id,
      caseReference: opened?.reference,
    });
    return (await this.views(tx, [row], locale))[0]!;
  }

  // ---- flags ----------------------------------------------------------------------------------
  private async flagViews(
    tx: TenantTx,
    list: q.FlagRow[],
    locale: Locale,
    withAmounts = false,
  ): Promise<C.Flag[]> {
    const who = await q.names(tx, [...new Set(list.map((f) => f.userId))]);
    return list.map((f) => {
      const vars: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(f.facts)) vars[k] = v ?? '';
      if (typeof vars.disposition === 'string')
        vars.disposition = t(locale, `declarations.disposition.${vars.disposition}`);
      if (typeof vars.partyKind === 'string')
        vars.partyKind = t(locale, `declarations.partyKind.${vars.partyKind}`);
      // A number of days is written with its noun in the language's plural form ("1 day", "21 дня").
      for (const k of ['daysLate', 'windowDays'])
        if (typeof vars[k] === 'number') vars[k] = t(locale, 'declarations.days', { count: vars[k] });
      let explanation = t(locale, `declarations.flags.${f.rule}`, vars);
      if (withAmounts && f.sealedFacts)
        explanation = t(locale, 'declarations.flags.asset_growth_amounts', {
          ...vars,
          ...(JSON.parse(this.box.open(f.sealedFacts)) as Record<string, string | number>),
        });
      return {
        id: f.id,
        rule: f.rule,
        userId: f.userId,
        declarant: who.get(f.userId) ?? '',
        declarationId: f.declarationId,
        cycleId: f.cycleId,
        status: f.status,
        facts: f.facts,
        explanation,
        reason: f.reason,
        referralRef: f.referralRef,
        createdAt: f.createdAt.toISOString(),
        version: f.version,
      };
    });
  }

  /** Reviewers' list: the facts in words; the asset-growth amounts only in the audited asset view. */
  async flags(tx: TenantTx, status: string | undefined, locale: Locale) {
    return this.flagViews(tx, await q.flags(tx, status), locale);
  }

  async decideFlag(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.FlagDecisionInputT,
    locale: Locale,
  ) {
    const f = await q.flag(tx, id);
    if (!f) throw notFound('flag');
    if (f.userId === actor.userId) throw new AppError('FORBIDDEN', 'Nobody decides a flag about themselves');
    if (f.status !== 'open') throw new AppError('CONFLICT', `This flag is already ${f.status}`);
    if (input.decision === 'refer' && !input.reference && !this.referrals)
      throw new AppError('VALIDATION_FAILED', 'a referral needs a reference', [
        { path: 'reference', message: 'required to refer' },
      ]);
    const status = input.decision === 'refer' ? 'referred' : 'dismissed';
    // With the cases module, a referral opens a real case (once per flag); the reference given,
    // if any, is kept (a file elsewhere), else the case's own reference number.
    let opened: { id: string; reference: string } | null = null;
    if (input.decision === 'refer' && this.referrals) {
      const d = f.declarationId ? await q.declaration(tx, f.declarationId) : undefined;
      opened = await this.referrals.openFromDeclarationFlag(
        tx,
        tenantId,
        actor,
        {
          id: f.id,
          rule: f.rule,
          userId: f.userId,
          name: (await q.names(tx, [f.userId])).get(f.userId) ?? '',
          unitId: d?.unitId ?? (await q.unitOf(tx, f.userId)),
        },
        locale,
      );
    }
    const row = await updateVersioned(tx, declarationFlags, id, input.version, {
      status,
      reason: input.reason,
      referralRef: input.decision === 'refer' ? (input.reference ?? opened!.reference) : null,
      decidedBy: actor.userId,
      decidedAt: this.now(),
    });
    await this.audit(tx, tenantId, actor.userId, `declarations.flag.${status}`, 'declaration_flag', id, {
      rule: f.rule,
      reason: input.reason,
      reference: input.reference ?? null,
      declarationId: f.declarationId,
      caseId: opened?.id ?? null,
      caseReference: opened?.reference ?? null,
    });
    return (await this.flagViews(tx, [row], locale))[0]!;
  }

  // ---- statistics -----------------------------------------------------------------------------
  /** Counts only; a cell (unit or cycle) under MIN_CELL people shows no figure. */
  async statistics(tx: TenantTx, locale: Locale): Promise<C.Statistics> {
    const people = await this.directory(tx);
    const units = new Map(people.units.map((u) => [u.id, u.name]));
    const all = await q.listDeclarations(tx);
    const cycles = [];
    for (const c of await q.cycles(tx)) {
      const targeted = this.targets(c, people);
      const filed = all.filter((d) => d.cycleId === c.id);
      const filers = new Set(filed.map((d) => d.userId));
      const lateFilers = new Set(filed.filter((d) => isoDay(d.submittedAt) > c.dueDate).map((d) => d.userId));
      const groups = new Map<string | null, string[]>();
      for (const m of targeted) groups.set(m.unitId, [...(groups.get(m.unitId) ?? []), m.userId]);
      const small = targeted.length < MIN_CELL;
      const submitted = targeted.filter((m) => filers.has(m.userId)).length;
      cycles.push({
        cycleId: c.id,
        title: c.title,
        type: c.type,
        dueDate: c.dueDate,
        expected: small ? 0 : targeted.length,
        submitted: small ? 0 : submitted,
        late: small ? 0 : targeted.filter((m) => lateFilers.has(m.userId)).length,
        rate: small ? null : round2(submitted / targeted.length),
        byUnit: [...groups].map(([unitId, ids]) => {
          const suppressed = ids.length < MIN_CELL;
          const n = ids.filter((u) => filers.has(u)).length;
          return {
            unitId,
            unit: unitId ? (units.get(unitId) ?? '') : t(locale, 'declarations.stats.noUnit'),
            expected: suppressed ? null : ids.length,
            submitted: suppressed ? null : n,
            rate: suppressed ? null : round2(n / ids.length),
            suppressed,
          };
        }),
      });
    }
    const flags = await q.flags(tx);
    return {
      minCell: MIN_CELL,
      cycles,
      flagsByRule: FLAG_RULES.map((rule) => {
        const of = flags.filter((f) => f.rule === rule);
        return {
          rule,
          open: of.filter((f) => f.status === 'open').length,
          dismissed: of.filter((f) => f.status === 'dismissed').length,
          referred: of.filter((f) => f.status === 'referred').length,
        };
      }),
      byType: DECLARATION_TYPES.map((type) => ({ type, count: all.filter((d) => d.type === type).length })),
    };
  }

  /** The submission rate of a cycle (0–1; null when nobody is targeted), for KPIs. */
  async submissionRate(
    tx: TenantTx,
    cycleId: string,
  ): Promise<{ expected: number; submitted: number; rate: number | null }> {
    const c = await q.cycle(tx, cycleId);
    if (!c) throw notFound('cycle');
    const targeted = this.targets(c, await this.directory(tx));
    const filers = new Set((await q.listDeclarations(tx, { cycleId })).map((d) => d.userId));
    const submitted = targeted.filter((m) => filers.has(m.userId)).length;
    return {
      expected: targeted.length,
      submitted,
      rate: targeted.length ? submitted / targeted.length : null,
    };
  }

  // ---- reminders, escalation and missing declarations (daily job) ------------------------------
  async sendReminders(tx: TenantTx, tenantId: string, now: Date) {
    const today = isoDay(now);
    let sent = 0;
    let flagged = 0;
    const people = await this.directory(tx);
    for (const c of await q.cycles(tx)) {
      if (c.dueDate > addDays(today, DUE_SOON_DAYS)) continue;
      const filers = new Set((await q.listDeclarations(tx, { cycleId: c.id })).map((d) => d.userId));
      const overdue = c.dueDate < today;
      for (const m of this.targets(c, people)) {
        if (filers.has(m.userId)) continue;
        const kind = overdue ? 'overdue' : 'due_soon';
        const notify = (userId: string, k: string, vars: Record<string, string>) =>
          this.k.notify.send(tx, {
            tenantId,
            userId,
            kind: `declarations.${k}`,
            messageKey: `declarations.notify.${k}`,
            vars: { cycle: c.title, dueDate: c.dueDate, ...vars },
            link: k === 'escalation' ? '/declarations/approvals' : '/declarations',
            // Once per cycle, person, kind and due date: a new due date reminds again.
            dedupeKey: `cycle:${c.id}:${m.userId}:${k}:${c.dueDate}`,
            email: true,
          });
        if (await notify(m.userId, kind, {})) sent++;
        if (!overdue) continue;
        const missing = missingRule(
          { cycleId: c.id, title: c.title, dueDate: c.dueDate },
          m.userId,
          today,
          false,
        );
        if (missing && (await this.raise(tx, tenantId, missing, m.userId, null, c.id))) flagged++;
        if (!c.escalate) continue;
        for (const lm of this.lineManagers(people.members, m.unitId, m.userId))
          if (await notify(lm.userId, 'escalation', { declarant: m.name })) sent++;
      }
    }
    return { sent, flagged };
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
