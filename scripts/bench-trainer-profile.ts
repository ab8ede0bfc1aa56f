/**
 * Development profile of the fused trainer: CPU time per tfjs kernel over one short run.
 * `node --import tsx scripts/bench-trainer-profile.ts [models] [epochs]`
 */
import { selectBackend } from '../src/backend/index.ts';
import { trainBatch, type TrainRequest } from '../src/learners/index.ts';
import { syntheticTask } from '../src/learners/synthetic.ts';
import { timeKernels } from './kernel-timing.ts';

const models = Number(process.argv[2] ?? 32);
const epochs = Number(process.argv[3] ?? 1);
await selectBackend('wasm');
const task = syntheticTask({ seed: 1, nRows: 5000, nCols: 20, nClasses: 3 });
const requests: TrainRequest[] = Array.from({ length: models }, (_, i) => ({
  learner: 'mlp', config: { n_layers: 2, units: 64, optimizer: 'adam', batch_size: 64, patience: 1000, max_epochs: epochs }, seed: i + 1, shuffleSeed: 7,
}));
const report = timeKernels();
await trainBatch(task, requests);
report();
