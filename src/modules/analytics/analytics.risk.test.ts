import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertRow } from './analytics.queries.ts';
import { explain } from './analytics.service.ts';
import { riskFromAlert } from './analytics.triage.ts';

// The draft risk of every kind of alert describes the pattern and names no officer or declarant
// (the API journey is in analytics.alerts.test.ts; here the kinds it does not reach: a mirror
// cell, gaps attributed to an officer or a declarant, in English and French).

const base: AlertRow = {
  id: '01a2250d-0000-7000-8000-000000000001',
  tenantId: '01a2250d-0000-7000-8000-000000000002',
  runId: '01a2250d-0000-7000-8000-000000000003',
  datasetVersionId: '01a2250d-0000-7000-8000-000000000004',
  indicatorId: 'I17',
  indicatorVersion: 1,
  subjectType: 'officer',
  subjectId: 'INS0042',
  officerId: 'INS0042',
  declarantId: null,
  officeCode: null,
  n: 37,
  observed: 1.25,
  expected: 0,
  limit: 0.69,
  score: 1.25,
  periodFrom: '2024-01-01',
  periodTo: '2025-01-01',
  status: 'new',
  reason: null,
  reference: null,
  caseId: null,
  riskId: null,
  decidedBy: null,
  decidedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  version: 1,
};
const extra = { attributed_gap: 250000, declared_value: 1200000, cells: 3 };

describe('analytics: the draft risk of an alert', () => {
  it('gaps attributed to an officer or a declarant: the pattern and the period, not who', () => {
    for (const [subjectType, id] of [
      ['officer', 'INS0042'],
      ['declarant', 'BRK00042'],
    ] as const) {
      const a: AlertRow = {
        ...base,
        subjectType,
        subjectId: id,
        officerId: subjectType === 'officer' ? id : null,
        declarantId: subjectType === 'declarant' ? id : null,
      };
      assert.ok(explain(a, 'en', extra).includes(id), 'the alert names its subject');
      for (const locale of ['en', 'fr'] as const) {
        const r = riskFromAlert(a, explain(a, locale, extra), locale, extra);
        const text = `${r.title}\n${r.description}`;
        assert.ok(!text.includes(id), `${locale}: ${text}`);
        assert.ok(!r.actors?.length);
        assert.match(text, /2024-01-01 – 2025-01-01/);
        assert.match(text, locale === 'en' ? /250,000/ : /250\u202f000/);
        assert.match(text, locale === 'en' ? /1,200,000/ : /1\u202f200\u202f000/);
      }
      const en = riskFromAlert(a, explain(a, 'en', extra), 'en', extra);
      assert.match(en.description, new RegExp(`one ${subjectType} (handled|lodged)`));
      assert.match(en.description, /declarations: 37; declared value/);
      assert.equal(en.title, 'Mirror gap attributed to actors (I17): period 2024-01-01 – 2025-01-01');
    }
  });

  it('a mirror cell names no person: its explanation is kept, titled by the cell', () => {
    const a: AlertRow = {
      ...base,
      indicatorId: 'I13',
      subjectType: 'hs_partner_year',
      subjectId: '440710/124/2023',
      officerId: null,
      n: 0,
      observed: 1000,
      expected: 5000,
      limit: 2500,
    };
    const explanation = explain(a, 'en', { partner_name: 'Canada' });
    const r = riskFromAlert(a, explanation, 'en', { partner_name: 'Canada' });
    assert.match(r.title, /: HS 440710, partner 124, 2023$/);
    assert.ok(r.description.startsWith(explanation), r.description);
    assert.doesNotMatch(r.description, /Period:|who is concerned/);
  });
});
