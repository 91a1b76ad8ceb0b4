import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { taxonomyChanges } from './cases.service.ts';
import { DEFAULT_TAXONOMY, normaliseTaxonomy, type Taxonomy, type TaxonomyEntry } from './cases.vocab.ts';

// The taxonomy page's API (docs/adr/0024): an administration's own closure reasons, decisions,
// outcomes and sanctions with labels in en/fr/ar, deactivated rather than removed once used,
// reordered, saved whole with a version; another administration never sees them.

function problem(res: LightMyRequestResponse, status: number, match?: RegExp) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  if (match) assert.match(res.body, match);
}
function ok(res: LightMyRequestResponse, status = 200) {
  assert.equal(res.statusCode, status, res.body);
  return res.json();
}
const CANARY_FR = 'Classement en opportunité (taxonomie A)';

describe('cases: taxonomy configuration', () => {
  let h: Harness;
  let head: Client; // tenant A, cases.manage
  let handler: Client; // tenant A, cases.read only
  let headB: Client; // tenant B, cases.manage
  before(async () => {
    h = await createHarness();
    head = await h.as(h.a.users.integrity_officer.email);
    handler = await h.as(h.a.users.case_handler.email);
    headB = await h.as(h.b.users.integrity_officer.email);
  });
  after(() => h.close());

  const save = (c: Client, taxonomy: Taxonomy, version: number) =>
    c.request({ method: 'PUT', url: '/api/cases/settings', payload: { taxonomy, version } });
  const settings = async (c: Client) =>
    ok(await c.get('/api/cases/settings')) as { taxonomy: Taxonomy; version: number; isDefault: boolean };
  /** A case of tenant A taken to triage, ready to be closed with a reason. */
  const atTriage = async (c: Client = head) => {
    const opened = ok(await c.post('/api/cases', { title: 'Taxonomy case', sourceKind: 'other' }), 201);
    let d = ok(await c.post(`/api/cases/${opened.id}/transition`, { to: 'acknowledged', version: 1 }));
    d = ok(await c.post(`/api/cases/${opened.id}/transition`, { to: 'triage', version: d.version }));
    return d as { id: string; version: number };
  };
  const close = (c: Client, d: { id: string; version: number }, closureReason: string) =>
    c.post(`/api/cases/${d.id}/transition`, { to: 'closed', closureReason, version: d.version });

  it('ships the default lists, every entry active with the catalog labels; usage for managers only', async () => {
    const s = await settings(handler);
    assert.equal(s.isDefault, true);
    assert.deepEqual(
      s.taxonomy.closureReasons.map((e) => [e.code, e.active, e.labels]),
      [
        ['no_jurisdiction', true, {}],
        ['insufficient_information', true, {}],
        ['unfounded', true, {}],
        ['referred', true, {}],
      ],
    );
    assert.deepEqual(
      s.taxonomy.sanctions.map((e) => e.code),
      ['warning', 'reprimand', 'suspension', 'demotion', 'dismissal'],
    );
    assert.deepEqual(ok(await head.get('/api/cases/settings/usage')), {
      closureReasons: {},
      decisions: {},
      outcomes: {},
      sanctions: {},
    });
    problem(await handler.get('/api/cases/settings/usage'), 403);
  });

  it('adds an entry in French, reorders and deactivates; a handler gets 403; the audit record lists the changes', async () => {
    const s = await settings(head);
    const t = structuredClone(s.taxonomy);
    const own: TaxonomyEntry = { code: 'classement', labels: { fr: CANARY_FR }, active: true };
    t.closureReasons = [
      own,
      ...t.closureReasons.map((e) => (e.code === 'referred' ? { ...e, active: false } : e)),
    ];
    t.outcomes.push({
      code: 'settlement_fine',
      labels: { en: 'Settlement fine', fr: 'Amende transactionnelle', ar: 'غرامة تصالحية' },
      active: true,
    });
    problem(await save(handler, t, 0), 403);
    const saved = ok(await save(head, t, 0));
    assert.equal(saved.version, 1);
    assert.equal(saved.isDefault, false);
    assert.deepEqual(
      saved.taxonomy.closureReasons.map((e: TaxonomyEntry) => `${e.code}:${e.active}`),
      [
        'classement:true',
        'no_jurisdiction:true',
        'insufficient_information:true',
        'unfounded:true',
        'referred:false',
      ],
    );
    // The same version again is stale.
    problem(await save(head, t, 0), 409, /VERSION_CONFLICT/);
    const [audit] = await h.kernel.db.query<{ data: { changes: Record<string, unknown> } }>(
      "select data from audit_events where action = 'cases.settings.updated' and tenant_id = $1 order by seq desc limit 1",
      [h.a.id],
    );
    assert.deepEqual(audit!.data.changes, {
      closureReasons: {
        added: ['classement'],
        removed: [],
        renamed: [],
        deactivated: ['referred'],
        reactivated: [],
        reordered: false,
      },
      outcomes: {
        added: ['settlement_fine'],
        removed: [],
        renamed: [],
        deactivated: [],
        reactivated: [],
        reordered: false,
      },
    });
    // Labels are the administration's words: not copied into the audit trail.
    assert.doesNotMatch(JSON.stringify(audit), /Classement en opportunit/);
  });

  it('closes with an active entry of the list only (422 for a deactivated or unknown one); usage counts it', async () => {
    problem(await close(head, await atTriage(), 'referred'), 422, /closureReason/);
    problem(await close(head, await atTriage(), 'made_up'), 422, /closureReason/);
    const d = ok(await close(head, await atTriage(), 'classement'));
    assert.equal(d.closureReason, 'classement');
    const usage = ok(await head.get('/api/cases/settings/usage'));
    assert.equal(usage.closureReasons.classement, 1);
  });

  it('refuses to remove a used or shipped entry, duplicates, unlabelled entries and an empty list', async () => {
    const s = await settings(head);
    const without = (code: string) => {
      const t = structuredClone(s.taxonomy);
      t.closureReasons = t.closureReasons.filter((e) => e.code !== code);
      return t;
    };
    problem(await save(head, without('classement'), s.version), 409, /deactivate it/);
    problem(await save(head, without('unfounded'), s.version), 400, /deactivate it instead/);
    const dup = structuredClone(s.taxonomy);
    dup.outcomes.push({ code: 'no_action', labels: { en: 'Again' }, active: true });
    problem(await save(head, dup, s.version), 400, /unique/);
    const unlabelled = structuredClone(s.taxonomy);
    unlabelled.decisions.push({ code: 'partly', labels: { en: '  ' }, active: true });
    problem(await save(head, unlabelled, s.version), 400, /label/);
    const none = structuredClone(s.taxonomy);
    none.decisions = none.decisions.map((e) => ({ ...e, active: false }));
    problem(await save(head, none, s.version), 400, /active/);
    const badCode = structuredClone(s.taxonomy);
    badCode.closureReasons.push({ code: 'Not A Code', labels: { en: 'x' }, active: true });
    problem(await save(head, badCode, s.version), 400);
    const noScale = structuredClone(s.taxonomy);
    noScale.sanctions = noScale.sanctions.map((e) => ({ ...e, active: false }));
    problem(await save(head, noScale, s.version), 400, /sanction scale/);
    // Nothing of that was stored.
    assert.equal((await settings(head)).version, s.version);
    // Deactivating the used entry is fine, and the closed case keeps its code.
    const off = structuredClone(s.taxonomy);
    off.closureReasons = off.closureReasons.map((e) =>
      e.code === 'classement' ? { ...e, active: false } : e,
    );
    const saved = ok(await save(head, off, s.version));
    assert.equal(saved.taxonomy.closureReasons[0].active, false);
    // An unused entry of the administration's own may be removed.
    const t = structuredClone(saved.taxonomy) as Taxonomy;
    t.decisions.push({ code: 'partly', labels: { en: 'Partly substantiated' }, active: true });
    const withPartly = ok(await save(head, t, saved.version));
    const back = structuredClone(withPartly.taxonomy) as Taxonomy;
    back.decisions = back.decisions.filter((e) => e.code !== 'partly');
    ok(await save(head, back, withPartly.version));
  });

  it("an administration's own entries stay its own (tenant isolation)", async () => {
    const b = await settings(headB);
    assert.equal(b.isDefault, true);
    assert.ok(!b.taxonomy.closureReasons.some((e) => e.code === 'classement'));
    assert.doesNotMatch(JSON.stringify(b), /Classement en opportunit/);
    // Tenant B cannot close with A's code, and its usage knows nothing of A's cases.
    problem(await close(headB, await atTriage(headB), 'classement'), 422);
    const usage = ok(await headB.get('/api/cases/settings/usage'));
    assert.equal(usage.closureReasons.classement, undefined);
    // B saves its own first version: A's row and version are untouched.
    const versionA = (await settings(head)).version;
    const t = structuredClone(b.taxonomy);
    t.closureReasons[0]!.labels = { fr: 'Hors compétence (B)' };
    assert.equal(ok(await save(headB, t, 0)).version, 1);
    assert.equal((await settings(head)).version, versionA);
    assert.doesNotMatch(JSON.stringify(await settings(head)), /\(B\)/);
  });

  it("statistics label an administration's own outcome in the reader's language", async () => {
    const c = ok(await head.post('/api/cases', { title: 'Fine', sourceKind: 'other' }), 201);
    let d = { version: 1 } as { version: number };
    for (const to of ['acknowledged', 'triage', 'investigation', 'investigation_report'])
      d = ok(await head.post(`/api/cases/${c.id}/transition`, { to, version: d.version }));
    d = ok(
      await head.post(`/api/cases/${c.id}/transition`, {
        to: 'decision',
        decision: 'substantiated',
        version: d.version,
      }),
    );
    ok(
      await head.post(`/api/cases/${c.id}/transition`, {
        to: 'outcome',
        outcome: 'settlement_fine',
        version: d.version,
      }),
    );
    const stats = ok(
      await h
        .as(h.a.users.executive.email)
        .then((x) =>
          x.request({ method: 'GET', url: '/api/cases/statistics', headers: { 'accept-language': 'fr' } }),
        ),
    );
    const row = stats.byOutcome.find((g: { key: string }) => g.key === 'settlement_fine');
    assert.equal(row.label, 'Amende transactionnelle');
    assert.equal(stats.byOutcome.find((g: { key: string }) => g.key === 'no_action').label, 'Aucune suite');
  });
});

describe('cases: taxonomy rows saved before entries had labels', () => {
  it('reads the old shape: left-out shipped codes inactive, sanction labels kept in English', () => {
    const t = normaliseTaxonomy({
      transitions: DEFAULT_TAXONOMY.transitions,
      closureReasons: ['unfounded', 'no_jurisdiction'],
      outcomes: ['no_action', 'disciplinary_sanction'],
      sanctions: [{ code: 'fine', label: 'Salary deduction' }],
      decisionDueDays: 30,
    });
    assert.deepEqual(
      t.closureReasons.map((e) => `${e.code}:${e.active}`),
      ['unfounded:true', 'no_jurisdiction:true', 'insufficient_information:false', 'referred:false'],
    );
    assert.deepEqual(t.sanctions, [{ code: 'fine', labels: { en: 'Salary deduction' }, active: true }]);
    assert.deepEqual(
      t.decisions.map((e) => e.code),
      ['substantiated', 'not_substantiated'],
    );
    assert.equal(t.decisionDueDays, 30);
    // Nothing changed, nothing recorded.
    assert.deepEqual(taxonomyChanges(t, structuredClone(t)), {});
  });
});
