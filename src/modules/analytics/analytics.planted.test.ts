import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { AnalyticsEngine } from './analytics.engine.ts';
import { generateDeclarations } from './analytics.generator.ts';
import { importDeclarations } from './analytics.import.ts';
import { expectedHits } from './analytics.expected.ts';
import { computeIndicators } from './analytics.indicators.ts';

// Generated declarations with planted anomalies: every planted officer and pair is flagged by
// its indicator, and (almost) nobody else is. Recall and false flags are printed.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-planted-'));
const engine = new AnalyticsEngine({ root });
const TENANT = '00000000-0000-4000-8000-0000000000c1';
after(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('analytics on generated data with planted anomalies', () => {
  for (const seed of [11, 12]) {
    it(`seed ${seed}: planted officers and pairs flagged by their indicator, few false flags`, async (t) => {
      const file = path.join(root, `d${seed}.csv`);
      const truth = await generateDeclarations({ rows: 60_000, seed, plant: true, out: file });
      const [a, b] = [path.join(root, `a${seed}.csv`), path.join(root, `b${seed}.csv`)];
      await generateDeclarations({ rows: 3000, seed, plant: true, out: a });
      await generateDeclarations({ rows: 3000, seed, plant: true, out: b });
      assert.equal(fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8'), 'deterministic by seed');
      const version = `00000000-0000-4000-8000-0000000000${seed}`;
      const report = await importDeclarations(engine, {
        tenantId: TENANT,
        versionId: version,
        file,
        mode: 'reject-file',
      });
      assert.equal(report.rejectedRows, 0, JSON.stringify(report.issues.slice(0, 3)));
      const parquet = engine.parquetPath(TENANT, version);
      // I6 expects each officer's hits from the expected-hit model (out of fold).
      const hits = await expectedHits(engine, parquet);
      assert.equal(hits.method, 'model', JSON.stringify(hits));
      const results = await computeIndicators(engine, parquet, { hits: hits.file });
      const i6 = (rs: typeof results) =>
        rs.filter((r) => r.indicatorId === 'I6' && r.flagged).map((r) => r.subjectId);
      const strata = i6(await computeIndicators(engine, parquet, { only: ['I6'] }));
      for (const [how, flags] of [
        ['model', i6(results)],
        ['office × channel average', strata],
      ] as const) {
        const found = truth.lowDetection.filter((s) => flags.includes(s)).length;
        // Lenient and collusive officers detect less too (the generator lowers their detection).
        const kind = (s: string) =>
          truth.lenientValuation.includes(s)
            ? 'lenient valuation'
            : truth.collusivePairs.some((p) => p.officer_id === s)
              ? 'collusive'
              : 'not planted';
        const others = flags.filter((s) => !truth.lowDetection.includes(s));
        t.diagnostic(
          `I6 expected from the ${how}: recall ${found}/${truth.lowDetection.length}; ${others.length} other officers flagged (${others.map((s) => `${s} ${kind(s)}`).join(', ') || 'none'})`,
        );
        if (how === 'model') {
          assert.equal(
            found,
            truth.lowDetection.length,
            'I6 from the model flags the low-detection officers',
          );
          assert.deepEqual(
            others.filter((s) => kind(s) === 'not planted'),
            [],
            'and no officer without a planted anomaly',
          );
        }
      }
      assert.ok(
        results.filter((r) => r.indicatorId === 'I6').every((r) => r.extra.expectation === 'model'),
        'every I6 result says it was expected from the model',
      );
      const flagged = results.filter((r) => r.flagged);
      const has = (ids: string[], subject: string) =>
        flagged.some((r) => ids.includes(r.indicatorId) && r.subjectId === subject);
      const expectations: [string, string[], string[]][] = [
        ['slow processing', ['I1', 'I2', 'I4'], truth.slowProcessing],
        ['down-routing', ['I5'], truth.downRouting],
        ['low detection', ['I6'], truth.lowDetection],
        ['lenient valuation', ['I9'], truth.lenientValuation],
        ['collusive pairs', ['I10'], truth.collusivePairs.map((p) => `${p.officer_id}/${p.declarant_id}`)],
      ];
      let planted = 0;
      let found = 0;
      for (const [what, ids, subjects] of expectations)
        for (const s of subjects) {
          planted++;
          if (has(ids, s)) found++;
          else t.diagnostic(`missed: ${what} ${s}`);
        }
      const plantedOfficers = new Set([
        ...truth.slowProcessing,
        ...truth.downRouting,
        ...truth.lowDetection,
        ...truth.lenientValuation,
        ...truth.collusivePairs.map((p) => p.officer_id),
      ]);
      const plantedPairs = new Set(truth.collusivePairs.map((p) => `${p.officer_id}/${p.declarant_id}`));
      const falseFlags = flagged.filter((r) =>
        r.subjectType === 'pair' ? !plantedPairs.has(r.subjectId) : !plantedOfficers.has(r.subjectId),
      );
      const line = `recall ${found}/${planted} = ${(found / planted).toFixed(2)}; false flags ${falseFlags.length} of ${flagged.length} alerts (${falseFlags.map((r) => `${r.indicatorId}:${r.subjectId}`).join(', ') || 'none'})`;
      t.diagnostic(line);
      assert.equal(found, planted, 'every planted anomaly is flagged by its indicator');
      assert.ok(falseFlags.length <= 2, `few false flags: ${falseFlags.length}`);
    });
  }
});
