import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TenantTx } from '../../platform/db/tenant.ts';
import {
  assetGrowthRule,
  conflictUnmitigatedRule,
  giftOverThresholdRule,
  giverKey,
  type HandledDeclarationsSource,
  lateRule,
  missingRule,
  NO_ANALYTICS,
  relatedPartyHandledRule,
  repeatedGiverRule,
  totals,
} from './declarations.rules.ts';

const S = {
  baseCurrency: 'USD',
  giftThreshold: 100,
  repeatGiftCount: 3,
  repeatGiftWindowDays: 30,
  growthFactor: 1.5,
};
const tx = {} as TenantTx;

describe('declarations: red-flag rules', () => {
  it('late: after the due date only, with the days late', () => {
    assert.equal(lateRule({ id: 'd', submittedOn: '2026-03-31', dueDate: '2026-03-31' }), null);
    assert.equal(lateRule({ id: 'd', submittedOn: '2026-04-03', dueDate: null }), null);
    assert.equal(lateRule({ id: 'd', submittedOn: '2026-04-03', dueDate: '2026-03-31' })?.facts.daysLate, 3);
  });

  it('missing: only after the due date and only when not filed', () => {
    const c = { cycleId: 'c', title: 'T', dueDate: '2026-03-31' };
    assert.equal(missingRule(c, 'u', '2026-03-31', false), null);
    assert.equal(missingRule(c, 'u', '2026-04-01', true), null);
    assert.equal(missingRule(c, 'u', '2026-04-01', false)?.subject, 'cycle:c:u');
  });

  it('gift over the threshold: kept gifts strictly above it', () => {
    const g = { id: 'g', giver: 'X', value: 100, currency: 'USD', baseValue: 100, disposition: 'approved' };
    assert.equal(giftOverThresholdRule(g, S), null, 'at the threshold');
    assert.ok(giftOverThresholdRule({ ...g, baseValue: 100.01 }, S));
    assert.equal(giftOverThresholdRule({ ...g, baseValue: 900, disposition: 'declined' }, S), null);
    assert.equal(giftOverThresholdRule({ ...g, baseValue: 900, disposition: 'surrendered' }, S), null);
  });

  it('repeated giver: N gifts from one (normalised) giver inside the window', () => {
    assert.equal(giverKey('  Société  GÉNÉRALE, S.A. '), giverKey('societe generale s a'));
    const gifts = [
      { id: '1', giver: 'Acme', giftDate: '2026-01-01' },
      { id: '2', giver: 'ACME', giftDate: '2026-01-20' },
      { id: '3', giver: 'acme.', giftDate: '2026-01-31' },
    ];
    assert.equal(
      repeatedGiverRule('u', gifts.slice(0, 2), { giver: 'Acme', giftDate: '2026-01-20' }, S),
      null,
    );
    assert.equal(repeatedGiverRule('u', gifts, { giver: 'Acme', giftDate: '2026-01-31' }, S)?.facts.count, 3);
    const spread = gifts.map((g, i) => ({ ...g, giftDate: ['2026-01-01', '2026-02-15', '2026-04-01'][i]! }));
    assert.equal(repeatedGiverRule('u', spread, { giver: 'Acme', giftDate: '2026-04-01' }, S), null);
  });

  it('asset growth: increase above income × factor, amounts only in the restricted part', () => {
    const t = (assets: number, liabilities: number, income: number) =>
      totals({
        items: [{ value: assets }],
        liabilities: [{ amount: liabilities }],
        income: [{ amount: income }],
      });
    const prev = { id: 'p', year: 2024, totals: t(100_000, 20_000, 40_000) };
    assert.equal(
      assetGrowthRule({ id: 'c', year: 2025, totals: t(140_000, 0, 40_000) }, prev, S),
      null,
      '+60 000 = 1.5 × 40 000',
    );
    const f = assetGrowthRule({ id: 'c', year: 2025, totals: t(140_001, 0, 40_000) }, prev, S);
    assert.ok(f);
    assert.deepEqual(
      Object.values(f.facts).filter((v) => typeof v === 'number' && v > 10_000),
      [],
    );
    assert.equal(f.restricted?.increase, 60_001);
    assert.equal(
      assetGrowthRule({ id: 'c', year: 2025, totals: t(9e6, 0, 0) }, undefined, S),
      null,
      'no previous',
    );
    assert.equal(assetGrowthRule({ id: 'c', year: 2024, totals: t(9e6, 0, 0) }, prev, S), null, 'same year');
  });

  it('conflict without mitigation', () => {
    const c = { id: 'c', partyName: 'P', partyKind: 'broker', mitigation: 'recusal' };
    assert.equal(conflictUnmitigatedRule(c), null);
    assert.ok(conflictUnmitigatedRule({ ...c, mitigation: 'none' }));
  });

  it('related party handled: brokers, importers and companies with an identifier; counts per dataset version', async () => {
    const conflicts = [
      { id: '1', partyKind: 'broker', partyName: 'B', partyIdentifier: ' T 1' },
      { id: '2', partyKind: 'company', partyName: 'C', partyIdentifier: 'T2' },
      { id: '3', partyKind: 'other', partyName: 'O', partyIdentifier: 'T3' },
    ];
    assert.deepEqual(await relatedPartyHandledRule(tx, 't', NO_ANALYTICS, 'OFF-1', conflicts), []);
    let asked: unknown;
    const source: HandledDeclarationsSource = {
      key: (s) => s.replace(/\s+/g, '').toLowerCase(),
      handledWithParties: async (_tx, _tenant, _officer, identifiers) => {
        asked = identifiers;
        return [
          {
            party: 't1',
            count: 3,
            first: '2026-01-02',
            last: '2026-03-04',
            dataset: 'ASYCUDA',
            versionId: 'v1',
            versionNumber: 1,
          },
        ];
      },
      rows: async () => ({ columns: [], rows: [], total: 0 }),
    };
    assert.deepEqual(
      await relatedPartyHandledRule(tx, 't', source, undefined, conflicts),
      [],
      'no officer code',
    );
    const flags = await relatedPartyHandledRule(tx, 't', source, 'OFF-1', conflicts);
    assert.deepEqual(asked, [' T 1', 'T2']);
    assert.equal(flags.length, 1);
    assert.equal(flags[0]?.subject, 'handled:1:v1');
    assert.equal(flags[0]?.declarationId, '1');
    assert.equal(flags[0]?.facts.count, 3);
    assert.equal(flags[0]?.facts.first, '2026-01-02');
  });
});
