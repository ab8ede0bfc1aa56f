/**
 * Measures the store at the shipped database's scale: 110 tasks × 250 configurations with
 * 50-epoch learning curves (27,500 evaluations). Prints the time of each step.
 * Run: node --import tsx scripts/bench-store.ts [tasks] [configs]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportLines } from '../src/store/jsonl-export.ts';
import { importLines } from '../src/store/jsonl-import.ts';
import { SqliteMetaStore } from '../src/store/sqlite-store.ts';
import { configurationLookup, rankConfigurations, storeStats } from '../src/store/summary.ts';
import type { EvaluationInput } from '../src/store/types.ts';
import { Random } from '../src/random.ts';
import { configHash } from '../src/spaces/canonical.ts';

const nTasks = Number(process.argv[2] ?? 110);
const nConfigs = Number(process.argv[3] ?? 250);
const dir = mkdtempSync(join(tmpdir(), 'metatune-bench-store-'));
const random = new Random(1);

function timed<T>(label: string, work: () => T): T {
  const start = performance.now();
  const result = work();
  process.stdout.write(`${label.padEnd(48)} ${(performance.now() - start).toFixed(0).padStart(7)} ms\n`);
  return result;
}

const configs = Array.from({ length: nConfigs }, (_, i) => ({ units: 16 + i, learning_rate: Number((10 ** -random.uniform(1, 5)).toPrecision(6)), optimizer: 'adam' }));

function evaluationsOf(task: string): EvaluationInput[] {
  return configs.map((config) => {
    const score = random.next();
    return {
      task, space: 'mlp', configHash: configHash(config), config, protocolId: 'holdout-v1', fidelity: 50, seed: 0, status: 'ok',
      metrics: { accuracy: score, balanced_accuracy: score, log_loss: 1 - score, roc_auc: score },
      primaryScore: score, curve: { trainLoss: Array.from({ length: 50 }, () => random.next()), validLoss: Array.from({ length: 50 }, () => random.next()) },
      epochsRun: 50, wallTimeMs: 1000 * random.next(), backend: 'wasm', metatuneVersion: '0.1.0',
    };
  });
}

try {
  const path = join(dir, 'bench.sqlite');
  const store = SqliteMetaStore.open(path);
  timed(`write ${nTasks} tasks × ${nConfigs} evaluations (1 txn per task)`, () => {
    for (let t = 0; t < nTasks; t++) {
      const name = `task-${String(t).padStart(3, '0')}`;
      store.addTask({ name, source: `${name}.arff`, contentHash: 'a'.repeat(64), nRows: 1000, nFeatures: 10, taskType: 'classification', target: 'class', nClasses: 2 });
      store.putMetaFeatures(name, { extractorVersion: '1', values: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`F${i}`, random.next()])), missing: {} });
      store.addEvaluations(evaluationsOf(name));
    }
  });
  process.stdout.write(`${'file size'.padEnd(48)} ${(statSync(path).size / 1e6).toFixed(1).padStart(7)} MB\n`);
  const keys = timed('listEvaluationScores (resume check)', () => store.listEvaluationScores().length);
  timed(`listEvaluations (${keys} rows, JSON parsed)`, () => store.listEvaluations().length);
  timed('storeStats (db stats)', () => storeStats(store));
  timed('rankConfigurations over all tasks (db configs)', () => rankConfigurations(store.listEvaluationScores(), configurationLookup(store)));
  const lines = timed('export', () => [...exportLines(store)]);
  process.stdout.write(`${'export size'.padEnd(48)} ${(lines.reduce((n, l) => n + l.length + 1, 0) / 1e6).toFixed(1).padStart(7)} MB\n`);
  const copy = SqliteMetaStore.open(join(dir, 'copy.sqlite'));
  timed('import into an empty store', () => importLines(copy, lines, 'bench.jsonl'));
  timed('import again (all skipped)', () => importLines(copy, lines, 'bench.jsonl'));
  store.close();
  copy.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
