/**
 * Throughput benchmark of the evaluation engine (issue 4), one run:
 *
 *   node --import tsx scripts/bench-eval.ts [--models 32] [--baseline 3] [--sklearn 4] [--mix 8]
 *     [--webgpu-models N] [--webgpu-epochs E] [--rows a,b,c,mix,webgpu]
 *
 * On a machine with a GPU (Node, node_modules with the optional `webgpu` and
 * `@tensorflow/tfjs-backend-webgpu` carried over), one command gives the GPU row beside wasm on the
 * same machine's cores:
 *
 *   node --import tsx scripts/bench-eval.ts --rows b,webgpu
 *
 * Data: seeded 5k×20 3-class task (4k train, 1k valid). Model: 20-64-64-3 ReLU MLP, Adam
 * (lr 1e-3), batch 64, 20 epochs, no early stopping. Prints configurations per minute of
 *   (a) sequential tf.layers model.fit on wasm, one process (a few models),
 *   (b) our TrainerPool on every core (a batch of configurations: same architecture, different
 *       learning rates and seeds, one shuffle seed as a study would use),
 *   (c) scikit-learn's MLPClassifier, same architecture/epochs/batch, one process per core,
 *       when python3 has sklearn,
 * and, secondary, (b) on a realistic mix sampled from search-spaces/mlp.json (epochs capped at 20),
 *   (d) the fused trainer on the webgpu backend, in this thread (one device, the batch fused into
 *       groups of up to 64 models), with the adapter it ran on. On a hardware GPU it trains the same
 *       batch as (b); on a software adapter (llvmpipe: it proves the code, not the speed) a small
 *       one by default (4 models × 2 epochs). Rates are also given per model-epoch, the unit
 *       comparable across (b) and (d) when their epochs differ.
 */
// The baseline (a) needs tf.layers: the @tensorflow/tfjs union, a development dependency only.
import * as tf from '@tensorflow/tfjs';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeAdapter, selectBackend } from '../src/backend/index.ts';
import { TrainerPool, trainBatch, type TrainRequest, type TrainTask } from '../src/learners/index.ts';
import { syntheticTask } from '../src/learners/synthetic.ts';
import { Random } from '../src/random.ts';
import { loadSearchSpace } from '../src/spaces/index.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EPOCHS = 20;
const cores = os.availableParallelism();
const task = syntheticTask({ seed: 2024, nRows: 5000, nCols: 20, nClasses: 3 });

function perMinute(models: number, ms: number): number {
  return (models / ms) * 60_000;
}

function load(): string {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ');
}

/** (a) tf.layers model.fit, sequentially, in this process, on wasm. */
async function layersBaseline(models: number): Promise<number> {
  await selectBackend('wasm');
  const x = tf.tensor2d(task.train.X, [task.train.nRows, 20]);
  const y = tf.oneHot(tf.tensor1d(task.train.y, 'int32'), 3);
  const vx = tf.tensor2d(task.valid.X, [task.valid.nRows, 20]);
  const vy = tf.oneHot(tf.tensor1d(task.valid.y, 'int32'), 3);
  const started = performance.now();
  for (let i = 0; i < models; i++) {
    const model = tf.sequential({ layers: [
      tf.layers.dense({ units: 64, activation: 'relu', inputShape: [20] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { epochs: EPOCHS, batchSize: 64, shuffle: true, validationData: [vx, vy], verbose: 0 });
    model.dispose();
  }
  const ms = performance.now() - started;
  tf.dispose([x, y, vx, vy]);
  return ms;
}

function referenceRequests(n: number, epochs = EPOCHS): TrainRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    learner: 'mlp',
    config: { n_layers: 2, units: 64, activation: 'relu', optimizer: 'adam', learning_rate: 1e-3 * 2 ** ((i % 8) / 4 - 1), batch_size: 64, dropout: 0, l2: 1e-7, patience: 100, max_epochs: epochs },
    seed: i + 1,
    shuffleSeed: 7,
  }));
}

function mixRequests(n: number): TrainRequest[] {
  const space = loadSearchSpace('mlp');
  return space.sampleRandom(new Random(11), n).map((config, i) => ({
    learner: 'mlp',
    config: { ...config, max_epochs: Math.min(Number(config.max_epochs), EPOCHS) },
    seed: i + 1,
    shuffleSeed: 7,
  }));
}

/** (b) our pool on every core. */
async function poolRun(pool: TrainerPool, requests: TrainRequest[], data: TrainTask): Promise<{ ms: number; failed: number; epochs: number }> {
  const started = performance.now();
  const outcomes = await pool.run(data, requests);
  return { ms: performance.now() - started, failed: outcomes.filter((o) => o.status === 'failed').length, epochs: outcomes.reduce((s, o) => s + o.epochsRun, 0) };
}

const SKLEARN = `
import sys, time, numpy as np
from sklearn.neural_network import MLPClassifier
import warnings; warnings.filterwarnings('ignore')
d, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(d + '/X.f32', dtype=np.float32).reshape(-1, 20); y = np.fromfile(d + '/y.i32', dtype=np.int32)
for i in range(first, first + count):
    MLPClassifier(hidden_layer_sizes=(64, 64), activation='relu', solver='adam', learning_rate_init=1e-3, batch_size=64,
                  max_iter=${EPOCHS}, early_stopping=False, tol=0.0, n_iter_no_change=1000, random_state=i).fit(X, y)
print(time.process_time())
`;

/** @returns the first python that can import sklearn ($PYTHON, python3, then Debian's /usr/bin/python3) */
function findPython(): string | undefined {
  for (const candidate of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate === undefined) continue;
    try {
      execFileSync(candidate, ['-c', 'import sklearn'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** (c) sklearn, one single-threaded process per core; returns wall ms and the processes' CPU seconds. */
async function sklearnRun(perProcess: number): Promise<{ ms: number; cpuSeconds: number } | undefined> {
  const python = findPython();
  if (python === undefined) return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'metatune-bench-'));
  writeFileSync(path.join(dir, 'X.f32'), task.train.X);
  writeFileSync(path.join(dir, 'y.i32'), new Int32Array(task.train.y));
  writeFileSync(path.join(dir, 'fit.py'), SKLEARN);
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const started = performance.now();
  const cpu = await Promise.all(Array.from({ length: cores }, (_, p) => new Promise<number>((resolve, reject) => {
    const child = spawn(python, [path.join(dir, 'fit.py'), dir, String(p * perProcess), String(perProcess)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim().split('\n').at(-1))) : reject(new Error(`sklearn exited with ${code}`))));
  })));
  return { ms: performance.now() - started, cpuSeconds: cpu.reduce((a, b) => a + b, 0) };
}

/** CPU seconds this process (all its threads) used while `run` ran. */
async function withCpu<T>(run: () => Promise<T>): Promise<{ result: T; cpuSeconds: number }> {
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { result, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** (d) the fused trainer on webgpu, in this thread; prints the adapter. */
async function webgpuRow(reference: { ratePerEpoch: number; label: string } | undefined): Promise<void> {
  let adapterLine: string;
  let software: boolean;
  try {
    const selection = await selectBackend('webgpu');
    if (selection.adapter === undefined) throw new Error('no adapter reported');
    adapterLine = describeAdapter(selection.adapter);
    software = selection.adapter.software;
  } catch (error) {
    console.log(`(d) webgpu: skipped (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  const models = option('webgpu-models', software ? 4 : option('models', 32));
  const epochs = option('webgpu-epochs', software ? 2 : EPOCHS);
  console.log(`(d) webgpu adapter: ${adapterLine}`);
  const { result, cpuSeconds } = await withCpu(async () => {
    const started = performance.now();
    const outcomes = await trainBatch(task, referenceRequests(models, epochs), { backend: 'webgpu' });
    return { ms: performance.now() - started, failed: outcomes.filter((o) => o.status === 'failed').length, epochs: outcomes.reduce((sum, o) => sum + o.epochsRun, 0) };
  });
  const rate = perMinute(models, result.ms);
  const perEpoch = perMinute(result.epochs, result.ms);
  console.log(`(d) fused trainer, webgpu, 1 thread: ${models} models × ${epochs} epochs in ${(result.ms / 1000).toFixed(1)} s = ${rate.toFixed(1)} configs/min, ${perEpoch.toFixed(1)} model-epochs/min (${result.epochs} epochs, ${result.failed} failed); CPU ${(cpuSeconds / models).toFixed(3)} s/model`);
  if (reference !== undefined) console.log(`    ratio d/b per model-epoch = ${(perEpoch / reference.ratePerEpoch).toFixed(2)}× (${reference.label})`);
}

async function main(): Promise<void> {
  const nModels = option('models', 32);
  const nBaseline = option('baseline', 3);
  const nMix = option('mix', 8);
  const rowsArgument = args.indexOf('--rows');
  const rows = new Set((rowsArgument >= 0 ? args[rowsArgument + 1] : 'a,b,c,mix,webgpu').split(','));
  console.log(`machine: ${cores} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}; load average before: ${load()}`);
  console.log(`task: ${task.train.nRows} train + ${task.valid.nRows} valid rows × 20 features, 3 classes; 20-64-64-3 ReLU MLP, Adam, batch 64, ${EPOCHS} epochs`);

  let a: number | undefined;
  let aCpu = 0;
  if (rows.has('a')) {
    const run = await withCpu(() => layersBaseline(nBaseline));
    a = perMinute(nBaseline, run.result);
    aCpu = run.cpuSeconds;
    console.log(`(a) tf.layers model.fit, wasm, 1 process: ${nBaseline} models in ${(run.result / 1000).toFixed(1)} s = ${(run.result / nBaseline / 1000).toFixed(2)} s/model = ${a.toFixed(1)} configs/min; CPU ${(aCpu / nBaseline).toFixed(2)} s/model`);
  }

  let reference: { ratePerEpoch: number; label: string } | undefined;
  const pool = new TrainerPool({ workers: cores, backend: 'wasm' });
  try {
    if (rows.has('b')) {
      await pool.backends();
      const { result: b, cpuSeconds: bCpu } = await withCpu(() => poolRun(pool, referenceRequests(nModels), task));
      const bRate = perMinute(nModels, b.ms);
      reference = { ratePerEpoch: perMinute(b.epochs, b.ms), label: `wasm on ${cores} cores` };
      console.log(`(b) TrainerPool, ${cores} wasm workers: ${nModels} models in ${(b.ms / 1000).toFixed(1)} s = ${bRate.toFixed(1)} configs/min, ${reference.ratePerEpoch.toFixed(1)} model-epochs/min (${b.epochs} epochs, ${b.failed} failed); CPU ${(bCpu / nModels).toFixed(3)} s/model`);
      if (a !== undefined) console.log(`    ratio b/a = ${(bRate / a).toFixed(1)}×  (target ≥ 10×); CPU-time ratio a/b = ${(aCpu / nBaseline / (bCpu / nModels)).toFixed(1)}× per core`);

      const perProcess = Math.max(1, Math.round(option('sklearn', 4)));
      const c = rows.has('c') ? await sklearnRun(perProcess) : undefined;
      if (!rows.has('c')) {
        // not asked for
      } else if (c === undefined) {
        console.log('(c) scikit-learn: skipped (no python with sklearn; apt-get install python3-sklearn)');
      } else {
        const nSk = cores * perProcess;
        const cRate = perMinute(nSk, c.ms);
        console.log(`(c) sklearn MLPClassifier, ${cores} processes: ${nSk} models in ${(c.ms / 1000).toFixed(1)} s = ${cRate.toFixed(1)} configs/min; CPU ${(c.cpuSeconds / nSk).toFixed(3)} s/model`);
        console.log(`    ratio b/c = ${(bRate / cRate).toFixed(2)}×  (target > 1); CPU-time ratio c/b = ${(c.cpuSeconds / nSk / (bCpu / nModels)).toFixed(2)}×`);
      }
    }
    if (rows.has('mix') && nMix > 0) {
      const requests = mixRequests(nMix);
      const mix = await poolRun(pool, requests, task);
      const shape = (r: TrainRequest) => `${String(r.config.n_layers)}×${String(r.config.units)}/b${String(r.config.batch_size)}/${String(r.config.optimizer)}`;
      console.log(`    mix: ${requests.map(shape).join(' ')}`);
      console.log(`(b, mix) ${nMix} configurations sampled from mlp.json (epochs ≤ ${EPOCHS}, early stopping on): ${(mix.ms / 1000).toFixed(1)} s = ${perMinute(nMix, mix.ms).toFixed(1)} configs/min, ${mix.epochs} epochs, ${mix.failed} failed`);
    }
  } finally {
    await pool.close();
  }
  if (rows.has('webgpu')) await webgpuRow(reference);
  console.log(`load average after: ${load()}`);
}

await main();
