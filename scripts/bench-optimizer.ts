/**
 * The fused optimizer update against the op-by-op one, in one run: the same configurations of the
 * shared mlp design (the build's real workload: wide layers, every optimizer) are trained on a
 * synthetic 1,000 × 20 task with `useFusedUpdate(false)` (baseline: ~12 tfjs ops a step) and with
 * the fused WebAssembly pass, alternately, `rounds` times each; prints CPU seconds of each, the
 * ratio, and whether every curve and prediction is bit-identical.
 * `node --import tsx scripts/bench-optimizer.ts [configs] [rounds] [epochs]`
 */
import { selectBackend } from '../src/backend/index.ts';
import { useFusedUpdate } from '../src/backend/flat-update.ts';
import { sharedDesign } from '../src/build/design.ts';
import { trainBatch, type TrainOutcome, type TrainRequest } from '../src/learners/index.ts';
import { syntheticTask } from '../src/learners/synthetic.ts';
import { loadSearchSpace } from '../src/spaces/index.ts';

const configs = Number(process.argv[2] ?? 6);
const rounds = Number(process.argv[3] ?? 2);
const epochs = Number(process.argv[4] ?? 3);
await selectBackend('wasm');
const task = syntheticTask({ seed: 4, nRows: 1250, nCols: 20, nClasses: 3 });
const design = sharedDesign(loadSearchSpace('mlp'), 1 + configs, 0).slice(1);
const requests: TrainRequest[] = design.map((d, i) => ({ learner: 'mlp', config: { ...d.config, max_epochs: epochs, patience: 1000 }, seed: i + 1, shuffleSeed: 7 }));

async function run(fused: boolean): Promise<{ cpu: number; outcomes: TrainOutcome[] }> {
  const previous = useFusedUpdate(fused);
  const before = process.cpuUsage();
  try {
    const outcomes = await trainBatch(task, requests);
    const used = process.cpuUsage(before);
    return { cpu: (used.user + used.system) / 1e6, outcomes };
  } finally {
    useFusedUpdate(previous);
  }
}

const times = { ops: [] as number[], fused: [] as number[] };
let identical = true;
for (let r = 0; r < rounds; r++) {
  const ops = await run(false);
  const fused = await run(true);
  times.ops.push(ops.cpu);
  times.fused.push(fused.cpu);
  ops.outcomes.forEach((o, i) => {
    const f = fused.outcomes[i];
    if (JSON.stringify(o.curve) !== JSON.stringify(f.curve) || !o.validPredictions.every((v, k) => Object.is(v, f.validPredictions[k]))) identical = false;
  });
}
const best = (v: number[]) => Math.min(...v);
console.log(`${requests.length} mlp design configurations × ${epochs} epochs, best of ${rounds}: op-by-op update ${best(times.ops).toFixed(2)} s CPU, fused ${best(times.fused).toFixed(2)} s CPU, ratio ${(best(times.ops) / best(times.fused)).toFixed(2)}×; results ${identical ? 'bit-identical' : 'DIFFER'}`);
