/**
 * Development benchmark of the fused trainer in one thread: `node --import tsx
 * scripts/bench-trainer.ts [models] [backend] [epochs]` trains `models` copies of the 20-64-64-3
 * Adam MLP (batch 64, different seeds and learning rates, one shuffle) on 5k×20 synthetic data.
 */
import { selectBackend } from '../src/backend/index.ts';
import { trainBatch, type TrainRequest } from '../src/learners/index.ts';
import { syntheticTask } from '../src/learners/synthetic.ts';
import { parseBackendPreference } from '../src/backend/index.ts';

const models = Number(process.argv[2] ?? 8);
const backend = await selectBackend(parseBackendPreference(process.argv[3] ?? 'wasm'));
const epochs = Number(process.argv[4] ?? 20);
const task = syntheticTask({ seed: 1, nRows: 5000, nCols: 20, nClasses: 3 });
const requests: TrainRequest[] = Array.from({ length: models }, (_, i) => ({
  learner: 'mlp',
  config: { n_layers: 2, units: 64, optimizer: 'adam', learning_rate: 1e-3 * (1 + i / models), batch_size: 64, patience: 1000, max_epochs: epochs },
  seed: i + 1,
  shuffleSeed: 7,
}));
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const outcomes = await trainBatch(task, requests);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const last = outcomes.map((o) => o.curve.validLoss.at(-1)?.toFixed(3));
console.log(`${backend.name}: ${models} models × ${epochs} epochs in ${seconds.toFixed(2)} s = ${(seconds / models).toFixed(3)} s/model wall, ${(cpuSeconds / models).toFixed(3)} s/model CPU; final valid loss ${last.slice(0, 4).join(' ')}`);
