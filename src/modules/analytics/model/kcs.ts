// The benchmark on the KCS synthetic declarations (see bench/model.bench.ts and the ADR).
import path from 'node:path';
import { readColumns } from './csv.ts';
import { precisionAt, readLabels, scoreTable, trainModel, type TrainOptions } from './model.ts';

export const KCS_DIR = path.resolve(import.meta.dirname, '../../../../../shared/data/kcs-declarations');

export async function kcsBenchmark(dir = KCS_DIR, options: Partial<TrainOptions> = {}) {
  const t0 = performance.now();
  const train = await readColumns(path.join(dir, 'df_syn_train_eng.csv'));
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const model = trainModel(train, { label: 'Fraud', id: 'Declaration ID', ...options });
  const trainCpu = process.cpuUsage(cpu);
  const t2 = performance.now();
  const valid = await readColumns(path.join(dir, 'df_syn_valid_eng.csv'));
  const scores = scoreTable(model, valid);
  const t3 = performance.now();
  const labels = readLabels(valid, 'Fraud');
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    trainRows: train.rows,
    validRows: valid.rows,
    precisionAt1: round(precisionAt(scores, labels, 0.01)),
    precisionAt5: round(precisionAt(scores, labels, 0.05)),
    precisionAt10: round(precisionAt(scores, labels, 0.1)),
    readSeconds: round((t1 - t0) / 1000),
    trainSeconds: round((t2 - t1) / 1000),
    /** CPU time of training (user + system): what it costs on a machine shared with others. */
    trainCpuSeconds: round((trainCpu.user + trainCpu.system) / 1e6),
    scoreSeconds: round((t3 - t2) / 1000),
    rounds: model.rounds,
    features: model.features.length,
    ignored: model.columns.filter((c) => c.kind === 'ignored').map((c) => `${c.name}: ${c.note}`),
    topFeatures: model.importance.slice(0, 8).map((f) => `${f.feature} ${round(f.share)}`),
  };
}
