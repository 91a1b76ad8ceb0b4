// Expected-hit model on the KCS synthetic declarations (../shared/data/kcs-declarations):
// train on the 2020 split, score the 2021 Q1 split, print precision@1/5/10 % and the time.
// Published on the held-out quarter: XGBoost 0.675, LightGBM 0.762 (precision@5 %).
import '../src/platform/native-memory.ts';
import fs from 'node:fs';
import path from 'node:path';
import { kcsBenchmark, KCS_DIR } from '../src/modules/analytics/model/index.ts';

const dir = process.env.KCS_DIR ?? KCS_DIR;
if (!fs.existsSync(path.join(dir, 'df_syn_train_eng.csv'))) {
  console.error(`No KCS data in ${dir}; set KCS_DIR`);
  process.exit(1);
}
const r = await kcsBenchmark(dir);
console.log(JSON.stringify(r, null, 2));
