import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KCS_DIR, kcsBenchmark } from './kcs.ts';

// Quality gate on the KCS synthetic declarations, which live beside the project
// (../shared/data): skipped where they are absent. Train on 2020, score 2021 Q1.
const present = fs.existsSync(path.join(KCS_DIR, 'df_syn_train_eng.csv'));

describe('expected-hit model on the KCS declarations', () => {
  it('reaches precision@5 % ≥ 0.70 on the valid split', {
    skip: !present && `no data in ${KCS_DIR}`,
  }, async () => {
    const r = await kcsBenchmark();
    console.log(
      `KCS valid: precision@1% ${r.precisionAt1}, @5% ${r.precisionAt5}, @10% ${r.precisionAt10}; ` +
        `training ${r.trainSeconds} s (CPU ${r.trainCpuSeconds} s), ${r.rounds} trees, ${r.features} features`,
    );
    assert.equal(r.trainRows, 37385);
    assert.equal(r.validRows, 8134);
    assert.ok(r.precisionAt5 >= 0.7, `precision@5 % ${r.precisionAt5}`);
  });
});
