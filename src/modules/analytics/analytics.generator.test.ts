import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CATALOGUE, type FunnelIndicator } from './analytics.catalogue.ts';
import { AnalyticsEngine, lit } from './analytics.engine.ts';
import { generateDeclarations, PROCEDURES } from './analytics.generator.ts';
import { importDeclarations } from './analytics.import.ts';
import { computeIndicators, hasProcedure } from './analytics.indicators.ts';

// The generator's customs procedure codes: realistic (a few codes, skewed, tied to the channel),
// drawn without moving any other column of a seed, and held equal by the funnels' strata.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-generator-'));
const engine = new AnalyticsEngine({ root, threads: 1 });
const TENANT = '00000000-0000-4000-8000-0000000000f1';
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
// What `generateDeclarations({ rows: 3000, seed: 5, plant: true })` wrote before it generated
// procedure codes (19 columns); the people, alert and planted tests were built on these rows.
const BEFORE_PROCEDURE = '826ff09e00218658d8acdf9ee1c30cb1c14e00f1c9813926254c83f8e1f544d4';

after(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('generated declarations: the customs procedure', () => {
  const withCodes = path.join(root, 'with.csv');
  const without = path.join(root, 'without.csv');
  let lines: string[][];
  before(async () => {
    await generateDeclarations({ rows: 3000, seed: 5, plant: true, out: withCodes });
    await generateDeclarations({ rows: 3000, seed: 5, plant: true, out: without, procedure: false });
    lines = fs
      .readFileSync(withCodes, 'utf8')
      .split('\n')
      .map((l) => l.split(','));
  });

  it('every other column is what the seed gave before procedures were generated', () => {
    assert.equal(lines[0]?.at(-1), 'procedure');
    const first19 = lines.map((l) => l.slice(0, 19).join(',')).join('\n');
    assert.equal(sha(first19), BEFORE_PROCEDURE);
    assert.equal(sha(fs.readFileSync(without)), BEFORE_PROCEDURE, 'procedure: false writes the old extract');
  });

  it('a few codes with skewed frequencies, home use first, fewer warehouse entries on red', async () => {
    const rows = lines.slice(1).filter((l) => l.length > 1);
    assert.equal(rows.length, 3000);
    const count = new Map<string, number>();
    for (const r of rows) count.set(r[19] as string, (count.get(r[19] as string) ?? 0) + 1);
    assert.deepEqual([...count.keys()].sort(), [...PROCEDURES].sort());
    assert.ok((count.get('4000') as number) > 0.5 * rows.length, `home use most common: ${[...count]}`);
    for (const [code, n] of count) assert.ok(n > 0.03 * rows.length, `${code} is not rare: ${n}`);
    const share = (channel: string) => {
      const on = rows.filter((r) => r[9] === channel);
      return on.filter((r) => r[19] === '7100').length / on.length;
    };
    assert.ok(share('green') > 2 * share('red'), `7100 green ${share('green')} red ${share('red')}`);
  });

  it('imported, the funnels stratify by office × channel × procedure', async () => {
    const parquet = async (versionId: string, file: string) => {
      const report = await importDeclarations(engine, {
        tenantId: TENANT,
        versionId,
        file,
        mode: 'reject-file',
      });
      assert.equal(report.rejectedRows, 0, JSON.stringify(report.issues.slice(0, 3)));
      return engine.parquetPath(TENANT, versionId);
    };
    const a = await parquet('00000000-0000-4000-8000-0000000000f2', withCodes);
    const b = await parquet('00000000-0000-4000-8000-0000000000f3', without);
    assert.equal(await engine.with((c) => hasProcedure(c, `read_parquet(${lit(a)})`)), true);
    assert.equal(await engine.with((c) => hasProcedure(c, `read_parquet(${lit(b)})`)), false);
    const i1 = CATALOGUE.find((i) => i.id === 'I1') as FunnelIndicator;
    const f = i1.formula;
    const expected = (file: string, strata: string) =>
      engine.with((c) =>
        engine.rows<{ officer: string; e: number }>(
          c,
          `WITH b AS (SELECT ${f.subject} AS officer, ${strata} AS s, (${f.y})::DOUBLE AS y
                      FROM read_parquet(${lit(file)}) WHERE ${f.filter}),
                m AS (SELECT s, avg(y) AS mu FROM b GROUP BY s)
           SELECT officer, avg(mu) AS e FROM b JOIN m USING (s) GROUP BY officer ORDER BY officer`,
        ),
      );
    const results = async (file: string) =>
      new Map(
        (await computeIndicators(engine, file, { only: ['I1'] }))
          .filter((r) => r.indicatorId === 'I1')
          .map((r) => [r.subjectId, r.expected as number]),
      );
    const got = await results(a);
    const byProcedure = await expected(a, `(${f.strata}) || '|' || procedure`);
    assert.equal(got.size, byProcedure.length);
    for (const x of byProcedure)
      assert.ok(
        Math.abs((got.get(x.officer) as number) - x.e) < 1e-9,
        `${x.officer}: ${got.get(x.officer)} ≠ ${x.e}`,
      );
    // Without the codes the strata are office × channel, and the expectations differ.
    const old = await results(b);
    for (const x of await expected(b, f.strata))
      assert.ok(Math.abs((old.get(x.officer) as number) - x.e) < 1e-9, x.officer);
    assert.ok(
      byProcedure.some((x) => Math.abs((old.get(x.officer) as number) - x.e) > 1e-6),
      'the procedure moves some expectations',
    );
  });
});
