import type { Actor } from '../../platform/auth/actor.ts';
import { addDays, isoDay } from '../../platform/dates.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { seedAnalyticsDemo } from '../analytics/index.ts';
import { IdentityService } from '../identity/index.ts';
import { P } from './declarations.permissions.ts';
import * as q from './declarations.queries.ts';
import { analyticsSource } from './declarations.analytics.ts';
import { DeclarationsService } from './declarations.service.ts';

const day = (offset: number) => addDays(isoDay(new Date()), offset);

/** The demo staff who carry officer codes in the analytics demo data (Samuel Staff first). */
const OFFICERS = ['staff@norland.demo', 'manager@norland.demo', 'cases@norland.demo'] as const;

/**
 * Norland: settings (base currency USD, EUR and XOF rates, a gift threshold of 100 USD), a
 * gifts cycle and an annual asset cycle, and a few declarations — a conflict with recusal, a
 * gift under the threshold, one over it (a red flag), two years of assets for one person.
 * With the demo staff present, the analytics demo data is loaded first (idempotent: the analytics
 * module's own seed then finds it) and the staff get officer codes in it: Samuel Staff is a
 * planted colluding officer, and his conflict of interest names the broker he colludes with, so
 * the related-party flag is raised when he files it.
 * Idempotent: nothing when the settings exist.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  const scope = { tenantId: org.id, userId: null };
  const fresh = await withTenant(
    k.db,
    scope,
    async (tx) => !(await q.settings(tx)) && (await q.members(tx)).some((p) => p.email === OFFICERS[0]),
  );
  // Outside the transaction below: the import and the run open their own.
  const truth = fresh ? (await seedAnalyticsDemo(k, org.id))?.truth : undefined;
  const codes = truth && [truth.collusivePairs[0]?.officer_id, truth.downRouting[0], truth.lowDetection[0]];
  await withTenant(k.db, scope, async (tx) => {
    if (await q.settings(tx)) return;
    const people = await q.members(tx);
    const by = (email: string) => people.find((p) => p.email === email);
    const admin = by('orgadmin@norland.demo') ?? people[0];
    if (!admin) return;
    const actor = (userId: string) =>
      ({ userId, permissions: new Set(Object.values(P)) }) as unknown as Actor;
    const svc = new DeclarationsService(k, undefined, analyticsSource(k));
    await svc.updateSettings(tx, org.id, actor(admin.userId), {
      enabledTypes: ['conflict', 'gift', 'asset'],
      baseCurrency: 'USD',
      rates: { EUR: 1.08, XOF: 0.0016 },
      giftThreshold: 100,
      repeatGiftCount: 3,
      repeatGiftWindowDays: 180,
      growthFactor: 1.5,
      officerCodes: Object.fromEntries(
        OFFICERS.flatMap((email, i) => (codes?.[i] && by(email) ? [[email, codes[i]]] : [])),
      ),
      version: 0,
    });
    const gifts = await svc.createCycle(tx, org.id, actor(admin.userId), {
      title: 'Gifts and hospitality 2026',
      type: 'gift',
      unitIds: [],
      dueDate: day(20),
      escalate: true,
    });
    await svc.createCycle(tx, org.id, actor(admin.userId), {
      title: 'Annual asset declaration 2025',
      type: 'asset',
      assetKind: 'annual',
      year: 2025,
      unitIds: [],
      dueDate: day(45),
      escalate: true,
    });
    const analyst = by('analyst@norland.demo');
    const executive = by('executive@norland.demo');
    const cases = by('cases@norland.demo');
    if (analyst)
      await svc.file(
        tx,
        org.id,
        actor(analyst.userId),
        {
          type: 'conflict',
          partyKind: 'broker',
          partyName: 'Harbour Clearing Agents Ltd',
          partyIdentifier: 'TIN 100-552-871',
          nature: 'My brother-in-law is a director of this brokerage.',
          mitigation: 'recusal',
        },
        'en',
      );
    if (executive) {
      await svc.file(
        tx,
        org.id,
        actor(executive.userId),
        {
          type: 'gift',
          cycleId: gifts.id,
          giver: 'Port Users Association',
          giftDate: day(-12),
          description: 'Conference dinner',
          value: 45,
          currency: 'USD',
          disposition: 'accepted_under_threshold',
        },
        'en',
      );
      await svc.file(
        tx,
        org.id,
        actor(executive.userId),
        {
          type: 'gift',
          cycleId: gifts.id,
          giver: 'Atlas Freight Forwarding',
          giftDate: day(-5),
          description: 'Smartphone',
          value: 650,
          currency: 'EUR',
          disposition: 'accepted_under_threshold',
        },
        'en',
      );
    }
    const staff = by(OFFICERS[0]);
    const pair = truth?.collusivePairs[0];
    if (staff && pair && codes?.[0])
      await svc.file(
        tx,
        org.id,
        actor(staff.userId),
        {
          type: 'conflict',
          partyKind: 'broker',
          partyName: 'Kessa Bay Customs Brokers',
          partyIdentifier: pair.declarant_id,
          nature: 'My spouse is a partner in this customs brokerage.',
          mitigation: 'recusal',
        },
        'en',
      );
    if (cases)
      for (const [year, home, savings] of [
        [2024, 85_000, 12_000],
        [2025, 160_000, 48_000],
      ] as const)
        await svc.file(
          tx,
          org.id,
          actor(cases.userId),
          {
            type: 'asset',
            assetKind: year === 2024 ? 'entry' : 'annual',
            periodYear: year,
            items: [
              { category: 'real_estate', description: 'House', value: home, acquiredOn: '2019-06-01' },
              { category: 'bank_account', description: 'Savings account', value: savings, acquiredOn: null },
            ],
            liabilities: [{ description: 'Mortgage', amount: 30_000 }],
            income: [{ description: 'Salary', amount: 24_000 }],
          },
          'en',
        );
  });
}
