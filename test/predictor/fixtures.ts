/**
 * Saved models for the predictor tests: small trainings on iris (classification) and machine.cpu
 * (regression) covering every hidden activation, with and without batch normalisation, and the
 * linear learner; and the dataset rows as raw string cells, as a user passes them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadDataset } from '../../src/data/index.ts';
import { evaluate, saveTrainedModel, type Evaluation } from '../../src/evaluation/index.ts';
import { loadSearchSpace, type Configuration } from '../../src/spaces/index.ts';

export const IRIS = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
export const MACHINE_CPU = fileURLToPath(new URL('../../meta-db/corpus/regression/machine.cpu.arff.gz', import.meta.url));

/** One saved model: its folder, the evaluation that trained it, and the rows to predict on. */
export interface SavedCase {
  readonly name: string;
  readonly dir: string;
  readonly evaluation: Evaluation;
  /** Raw feature cells (target dropped). */
  readonly rows: string[][];
}

/** The data lines of an ARFF file as string cells. */
export async function rawArffRows(file: string): Promise<string[][]> {
  const text = gunzipSync(await readFile(file)).toString('utf8');
  const data = text.slice(text.search(/^@data/im)).split('\n').slice(1);
  return data.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('%')).map((l) => l.split(',').map((c) => c.trim()));
}

const MLP_VARIANTS: readonly [string, Configuration][] = [
  ['relu', { activation: 'relu', batch_norm: false, n_layers: 2, units: 24 }],
  ['elu-bn', { activation: 'elu', batch_norm: true, n_layers: 2, units: 16 }],
  ['tanh', { activation: 'tanh', batch_norm: false, n_layers: 1, units: 16 }],
  ['gelu-bn', { activation: 'gelu', batch_norm: true, n_layers: 3, units: 20 }],
];

/**
 * Trains and saves the models into `root` (one folder each).
 * @param root - an empty temporary folder
 * @param which - `all` (every variant on both tasks) or `browser` (gelu with batch norm on iris, linear on machine.cpu)
 */
export async function saveCases(root: string, which: 'all' | 'browser'): Promise<SavedCase[]> {
  const mlp = loadSearchSpace('mlp');
  const linear = loadSearchSpace('linear');
  const variants = which === 'all' ? MLP_VARIANTS : MLP_VARIANTS.filter(([name]) => name === 'gelu-bn');
  const cases: SavedCase[] = [];
  for (const [task, file] of [['iris', IRIS], ['cpu', MACHINE_CPU]] as const) {
    const dataset = await loadDataset(file);
    const rows = (await rawArffRows(file)).map((r) => r.slice(0, -1));
    const configs = variants.map(([, c]) => ({ ...mlp.defaultConfiguration(), learning_rate: 0.01, ...c }));
    const trained: [string, Evaluation][] = [];
    if (which === 'all' || task === 'iris') {
      const evaluations = await evaluate(dataset, mlp, configs, { backend: 'cpu', epochs: 8, keepModels: true });
      evaluations.forEach((e, k) => trained.push([`${task}-mlp-${variants[k][0]}`, e]));
    }
    if (which === 'all' || task === 'cpu') {
      const [e] = await evaluate(dataset, linear, [linear.defaultConfiguration()], { backend: 'cpu', epochs: 8, keepModels: true });
      trained.push([`${task}-linear`, e]);
    }
    for (const [name, evaluation] of trained) {
      if (evaluation.status !== 'ok') throw new Error(`${name}: ${evaluation.error ?? 'failed'}`);
      const dir = path.join(root, name);
      await saveTrainedModel(dir, evaluation);
      cases.push({ name, dir, evaluation, rows });
    }
  }
  return cases;
}

/** Largest absolute difference between two arrays (Infinity when lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
