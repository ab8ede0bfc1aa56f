/**
 * Chooses the settings of the task-conditioned portfolio (src/metamodel/conditioned.ts) on the
 * TRAINING part of the corpus only (meta-db/holdout.json's tasks removed): exact leave-one-task-out
 * over the training tasks, regret after 1/3/5 picks among each held-out task's stored scores, for a
 * grid of kernel temperatures (τ, in units of the median neighbour distance) and uniform mixing (λ).
 * Run: node --import tsx scripts/tune-conditioned-portfolio.ts [--space mlp]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { decodeMetaModel, encodeMetaModel } from '../src/metamodel/serialize.ts';
import { parseArgs } from 'node:util';
import { conditionedPortfolio, scenarioWeights } from '../src/metamodel/conditioned.ts';
import { greedyPortfolio } from '../src/metamodel/portfolio.ts';
import { loadTrainingSet, withoutTasks } from '../src/metamodel/training-set.ts';
import { TaskIndex } from '../src/metamodel/task-index.ts';
import { taskFolds } from '../src/metamodel/cross-validate.ts';
import { LearnedMetaModel, OPENER_MARGIN, ZERO_SHOT_SET } from '../src/metamodel/learned.ts';
import { SqliteMetaStore } from '../src/store/sqlite-store.ts';

const { values: args } = parseArgs({ options: { space: { type: 'string', default: 'mlp' }, learned: { type: 'string' } } });
const holdout = JSON.parse(readFileSync('meta-db/holdout.json', 'utf8')) as { heldOut: string[] };
const store = SqliteMetaStore.open('meta-db/metatune.sqlite', { readonly: true });
const training = withoutTasks(loadTrainingSet(store, args.space!), new Set(holdout.heldOut));
store.close();
const KS = [1, 3, 5];
const index = TaskIndex.fromTraining(training);
const pool = [...new Set(training.tasks.flatMap((t) => t.evaluations.map((e) => e.configHash)))].sort();

const grid: { tau: number; lambda: number }[] = [];
for (const tau of [0.05, 0.1, 0.2, 0.5, 2]) for (const lambda of [0, 0.3, 0.6]) grid.push({ tau, lambda });
const totals = new Map<string, number[]>();
const types = new Map(SqliteMetaStore.open('meta-db/metatune.sqlite', { readonly: true }).listTasks().map((t) => [t.name, t.taskType]));
let current = '';
const add = (key: string, r: number[]) => totals.set(key, (totals.get(key) ?? [0, 0, 0, 0, 0]).map((x, i) => x + (i < 3 ? r[i] : (i === 3) === (types.get(current) === 'classification') ? r[0] : 0)));
for (const task of training.tasks) {
  current = task.name;
  const others = new TaskIndex(index.tasks.filter((t) => t.name !== task.name));
  const scores = new Map(task.evaluations.map((e) => [e.configHash, e.normalized]));
  const regrets = (list: readonly string[]) => KS.map((k) => 1 - Math.max(...list.slice(0, k).map((h) => scores.get(h) ?? 0)));
  const maps = others.tasks.map((t) => new Map(Object.entries(t.scores)));
  add('portfolio', regrets(greedyPortfolio(maps, pool, 5)));
  const neighbors = others.nearest(task.metaFeatures);
  for (const g of grid) {
    const weights = scenarioWeights(neighbors, others.tasks.map((t) => t.name), g);
    add(`tau=${g.tau} lambda=${g.lambda}`, regrets(conditionedPortfolio(maps, weights, pool, 5)));
  }
}
// --learned F: the learned model's zero-shot list, fitted on F folds of the training part, for blends of the
// scenarios with the ensemble's prediction (and the previous ranking: hedged opener, then the surrogate's order)
if (args.learned !== undefined) {
  for (const key of [...totals.keys()]) if (key !== 'portfolio') totals.delete(key);
  const folds = taskFolds(training.tasks.map((t) => t.name), Number(args.learned), 0);
  for (const group of folds) {
    const held = new Set(group);
    const file = `.bench-cache/external/fold-${args.space}-${folds.indexOf(group)}of${folds.length}.mtmm`;
    const model = existsSync(file) ? decodeMetaModel(new Uint8Array(readFileSync(file)), file) as LearnedMetaModel : await LearnedMetaModel.fit(withoutTasks(training, held), { seed: 0 });
    if (!existsSync(file)) writeFileSync(file, encodeMetaModel(model.toJSON()));
    for (const task of training.tasks.filter((t) => held.has(t.name))) {
      current = task.name;
      const scores = new Map(task.evaluations.map((e) => [e.configHash, e.normalized]));
      const regrets = (list: readonly string[]) => KS.map((k) => 1 - Math.max(...list.slice(0, k).map((h) => scores.get(h) ?? 0)));
      const candidates = task.evaluations.map((e) => e.config);
      add('learned (hedged opener)', regrets(model.rank({ metaFeatures: task.metaFeatures }, candidates, OPENER_MARGIN, null).map((r) => r.configHash)));
      add('learned set (scenarios, blend 1)', regrets(model.rank({ metaFeatures: task.metaFeatures }, candidates, OPENER_MARGIN, { ...ZERO_SHOT_SET, mode: 'scenarios', blend: 1 }).map((r) => r.configHash)));
      for (const spread of [0.25, 0.5, 1, 2]) {
        for (const sc of [{ tau: 0.1, lambda: 0.6 }, { tau: 1, lambda: 1 }]) {
          const settings = { ...ZERO_SHOT_SET, mode: 'residual' as const, spread, scenarios: sc };
          add(`learned set residual spread=${spread} tau=${sc.tau} lambda=${sc.lambda}`, regrets(model.rank({ metaFeatures: task.metaFeatures }, candidates, OPENER_MARGIN, settings).map((r) => r.configHash)));
        }
      }
    }
    model.dispose();
    process.stderr.write(`fold done\n`);
  }
}
const n = training.tasks.length;
const nc = training.tasks.filter((t) => types.get(t.name) === 'classification').length;
const rows = [...totals].map(([k, v]) => [k, v.map((x, i) => x / (i < 3 ? n : i === 3 ? nc : n - nc))] as const).sort((a, b) => a[1][0] + a[1][1] + a[1][2] - (b[1][0] + b[1][1] + b[1][2]));
console.log(`space ${args.space}, ${n} training tasks (${nc} classification), leave-one-task-out; mean regret at ${KS.join('/')}, then top-1 on classification / regression`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(34)} ${v.slice(0, 3).map((x) => x.toFixed(3)).join(' / ')}   ${v.slice(3).map((x) => x.toFixed(3)).join(' / ')}`);
