/**
 * Development profile of the fused trainer on the meta-database build's real workload: CPU time per
 * tfjs kernel while the shared mlp design's points [from, from + n) are evaluated in-process on the
 * named tasks under the build's protocol, and each task's scores (to check that a speed-up changed none).
 * `node --import tsx scripts/profile-build-workload.ts kr.vs.kp,glass 150 8 [datasets-folder]`
 */
import { readFileSync } from 'node:fs';
import { selectBackend } from '../src/backend/index.ts';
import { evaluate } from '../src/evaluation/index.ts';
import { META_DB_PROTOCOL } from '../src/build/protocol.ts';
import { sharedDesign } from '../src/build/design.ts';
import { findBuildTasks, loadBuildTask } from '../src/build/tasks.ts';
import { loadSearchSpace } from '../src/spaces/index.ts';
import { timeKernels } from './kernel-timing.ts';
const [tasksArg, fromArg, nArg] = process.argv.slice(2);
const from = Number(fromArg ?? 100), n = Number(nArg ?? 8);
await selectBackend('wasm');
const space = loadSearchSpace('mlp');
const design = sharedDesign(space, 200, 0).slice(from, from + n);
const targets = JSON.parse(readFileSync('meta-db/targets.json', 'utf8'));
const tasks = await findBuildTasks(process.argv[5] ?? 'meta-db/corpus', { only: (tasksArg ?? 'kr.vs.kp,glass').split(','), targets });
const report = timeKernels();
for (const t of tasks) {
  const dataset = await loadBuildTask(t);
  const before = process.cpuUsage();
  const evaluations = await evaluate(dataset, space, design.map((d) => d.config), { protocol: META_DB_PROTOCOL, backend: 'wasm', seed: 0 });
  const used = process.cpuUsage(before);
  console.log(t.name, ((used.user + used.system) / 1e6).toFixed(1), 's', evaluations.map((e) => e.primaryScore?.toFixed(4)).join(' '));
}
report(25);
