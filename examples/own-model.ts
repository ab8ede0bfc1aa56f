/**
 * Your own TensorFlow.js model, tuned by metatune on several datasets, each study warm-started
 * from the ones before it.
 *
 * The model is a small convolutional network of the user's, built with tfjs layers; its parameters
 * are defined as the objective runs (`trial.suggest*`). The datasets are three digit-recognition
 * tasks cut from optdigits (UCI: 8×8 images of handwritten digits, pixel counts 0–16), which the
 * repository's corpus ships (meta-db/corpus/classification/optdigits.arff.gz): digits 0–4, digits
 * 5–9, and all ten. Each study names its task and a protocol, so its trials are stored as
 * evaluations of that task in the space 'my-digits-cnn'; the next study (`warmStart`) begins with
 * the configurations that did best on the most similar past tasks.
 *
 * Run (about a minute and a half of CPU time): npm run build && node --import tsx examples/own-model.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  createStudy, extractMetaFeatures, fileSha256, loadDataset, registerTask, SqliteMetaStore, stratifiedHoldout,
  taskFromDataset, TPESampler, type Dataset, type Trial,
} from 'metatune';

const EPOCHS = 5;
const work = mkdtempSync(join(tmpdir(), 'own-model-'));

/** Writes the rows of optdigits whose digit is in `digits` (at most `max`, every k-th row) as a CSV task. */
function writeDigitsTask(all: Dataset, name: string, digits: readonly string[], max: number): string {
  const target = all.target;
  if (target.kind !== 'categorical') throw new Error('optdigits has a class target');
  const rows = [...Array(all.nRows).keys()].filter((r) => digits.includes(target.levels[target.codes[r]]));
  const step = Math.max(1, Math.floor(rows.length / max));
  const lines = [[...all.features.map((f) => f.name), 'digit'].join(',')];
  for (const r of rows.filter((_, i) => i % step === 0).slice(0, max)) {
    lines.push([...all.features.map((f) => (f.kind === 'numeric' ? String(f.values[r]) : '')), `d${target.levels[target.codes[r]]}`].join(','));
  }
  mkdirSync(join(work, 'data'), { recursive: true });
  const file = join(work, 'data', `${name}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** A task's images as tensors: 8×8×1 pixels in [0, 1], one class index per image. */
interface Images {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor1D;
}

async function loadImages(file: string): Promise<{ train: Images; valid: Images; nClasses: number }> {
  const dataset = await loadDataset(file);
  const target = dataset.target;
  if (target.kind !== 'categorical') throw new Error(`${file}: a class target was expected`);
  const split = stratifiedHoldout(target, { testFraction: 0.3, seed: 0 });
  const images = (rows: Int32Array): Images => {
    const pixels = new Float32Array(rows.length * 64);
    rows.forEach((r, i) => dataset.features.forEach((f, j) => {
      pixels[i * 64 + j] = f.kind === 'numeric' ? f.values[r] / 16 : 0;
    }));
    return { x: tf.tensor4d(pixels, [rows.length, 8, 8, 1]), y: tf.tensor1d(Array.from(rows, (r) => target.codes[r]), 'float32') };
  };
  return { train: images(split.train), valid: images(split.test), nClasses: target.levels.length };
}

/** The user's model: conv → (pool) → (dense) → dropout → softmax, every choice a trial's. */
function buildModel(trial: Trial, nClasses: number): { model: tf.Sequential; optimizer: tf.Optimizer; batchSize: number } {
  const seed = 7;
  const model = tf.sequential();
  model.add(tf.layers.conv2d({
    inputShape: [8, 8, 1], filters: trial.suggestInt('filters', 4, 16, { log: true }), kernelSize: trial.suggestCategorical('kernel', [2, 3]),
    padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }));
  if (trial.suggestCategorical('pool', [true, false])) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  if (trial.suggestCategorical('head', ['dense', 'linear'] as const) === 'dense') {
    model.add(tf.layers.dense({ units: trial.suggestInt('units', 16, 128, { log: true }), activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  }
  model.add(tf.layers.dropout({ rate: trial.suggestFloat('dropout', 0, 0.5), seed }));
  model.add(tf.layers.dense({ units: nClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  const optimizer = tf.train.adam(trial.suggestFloat('lr', 1e-4, 0.1, { log: true }));
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return { model, optimizer, batchSize: trial.suggestCategorical('batchSize', [16, 32, 64]) };
}

/** The objective: validation accuracy after EPOCHS epochs (each epoch's is reported: the learning curve). */
function objective(data: { train: Images; valid: Images; nClasses: number }) {
  return async (trial: Trial): Promise<number> => {
    const { model, optimizer, batchSize } = buildModel(trial, data.nClasses);
    let accuracy = 0;
    try {
      await model.fit(data.train.x, data.train.y, {
        epochs: EPOCHS, batchSize, shuffle: false, validationData: [data.valid.x, data.valid.y], verbose: 0,
        callbacks: {
          onEpochEnd: async (epoch, logs) => {
            accuracy = logs?.val_acc ?? 0;
            trial.report(epoch + 1, accuracy);
          },
        },
      });
    } finally {
      model.dispose();
      optimizer.dispose();
    }
    return accuracy;
  };
}

/** @returns the best value among the first n trials */
function best(trials: readonly { value: number | null }[], n: number): string {
  return Math.max(...trials.slice(0, n).map((t) => t.value ?? 0)).toFixed(3);
}

/** A trial's parameters on one line. */
function describe(config: Readonly<Record<string, unknown>>): string {
  return Object.entries(config).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(2) : String(v)}`).join(' ');
}

try {
  await tf.setBackend('cpu');
  const optdigits = await loadDataset('meta-db/corpus/classification/optdigits.arff.gz');
  const tasks = [
    { name: 'digits-0-4', file: writeDigitsTask(optdigits, 'digits-0-4', ['0', '1', '2', '3', '4'], 300) },
    { name: 'digits-5-9', file: writeDigitsTask(optdigits, 'digits-5-9', ['5', '6', '7', '8', '9'], 300) },
    { name: 'digits-all', file: writeDigitsTask(optdigits, 'digits-all', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], 450) },
  ];
  // the meta-knowledge store: the user database in real use (~/.metatune/metatune.sqlite), here a fresh file
  const store = SqliteMetaStore.open(join(work, 'metatune.sqlite'));
  for (const task of tasks) {
    // what `metatune db add FILE` does: the task and its meta-features
    const dataset = await loadDataset(task.file);
    registerTask(store, taskFromDataset(dataset, await fileSha256(task.file), task.name), extractMetaFeatures(dataset));
  }
  const tensorsBefore = tf.memory().numTensors;
  const summary: string[] = [];
  for (const [i, task] of tasks.entries()) {
    const data = await loadImages(task.file);
    // one study per dataset, all in the space 'my-digits-cnn': each teaches the store, each after the first starts from it
    const study = createStudy({
      storage: store, studyName: `cnn-${task.name}`, task: { name: task.name },
      spaceName: 'my-digits-cnn', protocol: 'user:my-digits-cnn', warmStart: 3,
      direction: 'maximize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: i,
    });
    await study.optimize(objective(data), { nTrials: 8 });
    console.log(`\n${study.name}: best ${study.bestValue.toFixed(3)} (trial ${study.bestTrial?.number})`);
    for (const t of study.trials) console.log(`  #${t.number} ${t.origin.padEnd(14)} ${(t.value ?? NaN).toFixed(3)}  ${describe(t.config)}`);
    summary.push(`${task.name.padEnd(11)} ${i === 0 ? 'cold' : 'warm'}  ${best(study.trials, 3)}   ${best(study.trials, 8)}`);
    study.close();
    if (i === tasks.length - 1) {
      // for comparison: the same study of the last dataset without the store (cold TPE, same seed)
      const cold = createStudy({ direction: 'maximize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: i });
      await cold.optimize(objective(data), { nTrials: 8 });
      summary.push(`${task.name.padEnd(11)} cold  ${best(cold.trials, 3)}   ${best(cold.trials, 8)}`);
    }
    for (const images of [data.train, data.valid]) tf.dispose([images.x, images.y]);
  }
  console.log(`\ntask        study best@3  best@8\n${summary.join('\n')}`);
  const stored = store.listEvaluations({ space: 'my-digits-cnn' });
  console.log(`\n${stored.length} evaluations stored in 'my-digits-cnn'; tensors left: ${tf.memory().numTensors - tensorsBefore}`);
  store.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
