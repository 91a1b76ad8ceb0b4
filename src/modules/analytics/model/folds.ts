// Out-of-fold training on a worker thread: k models, model f trained on the rows outside fold f,
// so the rows of fold f can be scored by a model that never saw their labels. Training is
// synchronous CPU work (seconds to minutes); on its own thread the event loop of the server or
// job worker keeps turning meanwhile. ADR 0026, "Expected hits for I6".
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { type ColumnTable, subTable } from './csv.ts';
import { type ModelFile, type TrainOptions, trainModel } from './model.ts';

export interface FoldModel {
  fold: number;
  model: ModelFile;
  /** Wall seconds of this fold's training (on the worker thread). */
  seconds: number;
}

interface Request {
  table: ColumnTable;
  /** The fold of each row of the table (0 … folds − 1). */
  fold: Uint8Array;
  folds: number;
  options: TrainOptions;
}

/** The model library refused a fold (e.g. one class only, no usable column): its message. */
export class FoldTrainingError extends Error {}

type Reply = { fold: number; model: ModelFile; seconds: number } | { error: string } | { done: true };

/** Trains the k fold models one after the other (the caller receives each as soon as it is ready). */
export function* foldModels(r: Request): Generator<FoldModel> {
  for (let f = 0; f < r.folds; f++) {
    let count = 0;
    for (const x of r.fold) if (x !== f) count++;
    const index = new Int32Array(count);
    let j = 0;
    for (let i = 0; i < r.fold.length; i++) if (r.fold[i] !== f) index[j++] = i;
    const t0 = performance.now();
    const model = trainModel(subTable(r.table, index), r.options);
    yield { fold: f, model, seconds: (performance.now() - t0) / 1000 };
  }
}

// The worker's side: one request, one reply per fold, then done.
const ROLE = 'arusha.train-folds';
if (parentPort && (workerData as { role?: string } | null)?.role === ROLE)
  parentPort.once('message', (r: Request) => {
    const port = parentPort as NonNullable<typeof parentPort>;
    try {
      for (const m of foldModels(r)) port.postMessage(m satisfies Reply);
      port.postMessage({ done: true } satisfies Reply);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });

/**
 * The worker's entry: this file, through tsx's loader when it runs as TypeScript (a worker does
 * not inherit the loader of the thread that starts it).
 */
function startWorker(): Worker {
  const self = import.meta.url;
  const workerData = { role: ROLE };
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData });
  return new Worker(
    `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(self)}); })`,
    { eval: true, workerData },
  );
}

/**
 * The fold models, trained on a worker thread, in fold order. A training error (e.g. a fold
 * with one class only) rejects with the model library's message.
 */
export async function* trainFolds(r: Request): AsyncGenerator<FoldModel> {
  const worker = startWorker();
  const queue: (Reply | Error)[] = [];
  let wake: (() => void) | null = null;
  const push = (x: Reply | Error) => {
    queue.push(x);
    wake?.();
  };
  worker.on('message', (m: Reply) => push(m));
  worker.on('error', (e) => push(e));
  worker.on('exit', (code) => push(code === 0 ? { done: true } : new Error(`training thread exit ${code}`)));
  try {
    worker.postMessage(r);
    for (;;) {
      if (queue.length === 0) await new Promise<void>((res) => (wake = res));
      wake = null;
      const m = queue.shift() as Reply | Error;
      if (m instanceof Error) throw m;
      if ('error' in m) throw new FoldTrainingError(m.error);
      if ('done' in m) return;
      yield m;
    }
  } finally {
    await worker.terminate();
  }
}
