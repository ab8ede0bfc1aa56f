/**
 * Development profile of the fused trainer on the meta-database build's real workload: CPU time per
 * tfjs kernel while the shared mlp design's points [from, from + n) are evaluated in-process on the
 * named tasks under the build's protocol, and each task's scores (to check that a speed-up changed none).
 * `node --import tsx scripts/profile-build-workload.ts kr.vs.kp,glass 150 8 [datasets-folder]`
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { selectBackend } from '../src/backend/index.ts';
import { evaluate } from '../src/evaluation/index.ts';
import { META_DB_PROTOCOL } from '../src/build/protocol.ts';
import { sharedDesign } from '../src/build/design.ts';
import { findBuildTasks, loadBuildTask } from '../src/build/tasks.ts';
import { loadSearchSpace } from '../src/spaces/index.ts';
const [tasksArg, fromArg, nArg] = process.argv.slice(2);
const from = Number(fromArg ?? 100), n = Number(nArg ?? 8);
await selectBackend('wasm');
const space = await loadSearchSpace('mlp');
const design = sharedDesign(space, 200, 0).slice(from, from + n);
const targets = JSON.parse(readFileSync('meta-db/targets.json', 'utf8'));
const tasks = await findBuildTasks(process.argv[5] ?? '../shared/datasets', { only: tasksArg.split(','), targets });
const timing = new Map<string, { calls: number; ms: number }>();
const engine = tf.engine();
const original = engine.runKernel.bind(engine);
engine.runKernel = ((name: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => {
  const t0 = process.cpuUsage();
  const out = original(name, inputs, attrs);
  const used = process.cpuUsage(t0);
  const e = timing.get(name) ?? { calls: 0, ms: 0 };
  e.calls++; e.ms += (used.user + used.system) / 1000; timing.set(name, e);
  return out;
}) as typeof engine.runKernel;
const t0 = process.cpuUsage();
for (const t of tasks) {
  const ds = await loadBuildTask(t);
  const c0 = process.cpuUsage();
  const ev = await evaluate(ds, space, design.map((d) => d.config), { protocol: META_DB_PROTOCOL, backend: 'wasm', seed: 0 });
  const u = process.cpuUsage(c0);
  console.log(t.name, ((u.user + u.system) / 1e6).toFixed(1), 's', ev.map((e) => e.primaryScore?.toFixed(4)).join(' '));
}
const usage = process.cpuUsage(t0);
const total = (usage.user + usage.system) / 1000;
let k = 0;
for (const [name, e] of [...timing.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  k += e.ms;
  console.log(name.padEnd(28), `${e.ms.toFixed(0).padStart(7)} ms ${String(e.calls).padStart(8)} calls ${((e.ms / e.calls) * 1000).toFixed(1).padStart(8)} us/call`);
}
console.log(`total CPU ${total.toFixed(0)} ms, top kernels ${k.toFixed(0)} ms`);
