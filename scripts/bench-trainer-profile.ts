/**
 * Development profile of the fused trainer: CPU time per tfjs kernel over one short run.
 * `node --import tsx scripts/bench-trainer-profile.ts [models] [epochs]`
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/index.ts';
import { trainBatch, type TrainRequest } from '../src/learners/index.ts';
import { syntheticTask } from '../src/learners/synthetic.ts';

const models = Number(process.argv[2] ?? 32);
const epochs = Number(process.argv[3] ?? 1);
await selectBackend('wasm');
const task = syntheticTask({ seed: 1, nRows: 5000, nCols: 20, nClasses: 3 });
const requests: TrainRequest[] = Array.from({ length: models }, (_, i) => ({
  learner: 'mlp', config: { n_layers: 2, units: 64, optimizer: 'adam', batch_size: 64, patience: 1000, max_epochs: epochs }, seed: i + 1, shuffleSeed: 7,
}));
const timing = new Map<string, { calls: number; ms: number }>();
const engine = tf.engine();
const original = engine.runKernel.bind(engine);
engine.runKernel = ((name: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => {
  const t0 = process.cpuUsage();
  const out = original(name, inputs, attrs);
  const used = process.cpuUsage(t0);
  const entry = timing.get(name) ?? { calls: 0, ms: 0 };
  entry.calls++;
  entry.ms += (used.user + used.system) / 1000;
  timing.set(name, entry);
  return out;
}) as typeof engine.runKernel;
const t0 = process.cpuUsage();
await trainBatch(task, requests);
const usage = process.cpuUsage(t0);
const total = (usage.user + usage.system) / 1000;
let kernels = 0;
for (const [name, e] of [...timing.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
  kernels += e.ms;
  console.log(name.padEnd(28), `${e.ms.toFixed(0).padStart(6)} ms ${String(e.calls).padStart(7)} calls ${((e.ms / e.calls) * 1000).toFixed(1).padStart(7)} us/call`);
}
console.log(`total CPU ${total.toFixed(0)} ms, in kernels ${kernels.toFixed(0)} ms`);
