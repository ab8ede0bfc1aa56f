/**
 * The external check (issue 15): do `recommend`'s picks beat the space's default on datasets the
 * meta-models never saw, evaluated the way a user evaluates them?
 *
 * - The corpus's external part (meta-db/holdout.json: 18 classification + 8 regression datasets,
 *   whole related groups) is removed from the shipped database's tasks; knn, the portfolio and the
 *   learned model are fitted on the rest (the training part) — every setting was chosen there.
 * - For each held-out dataset, each method's top 5 (from the dataset's meta-features), the space's
 *   default and 10 random configurations of the store's design are evaluated FRESHLY with
 *   `evaluate()` under the user's protocol (DEFAULT_PROTOCOL: up to 4,000 training rows), seed 0.
 * - Reported: normalised regret of the best of the first 1/3/5 over the pool of every configuration
 *   scored on the dataset (R² floored at 0), raw score gaps, wins/losses of the first pick against
 *   the default; and the rank correlation (Spearman) between the store's scores (its protocol:
 *   ≤ 1,000 training rows) and the fresh ones for the design configurations in the pool.
 *
 * Fresh evaluations are cached (JSON lines under --cache, default .bench-cache/external), so a rerun,
 * or a new method, only trains what was not scored yet; an interrupted run resumes.
 *
 * Run: node --import tsx scripts/bench-external.ts [--space mlp|linear] [--workers 2] [--only a,b]
 *        [--methods knn,portfolio,learned,learned-set,conditioned] [--out meta-db/bench/external-mlp.json]
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findBuildTasks, loadBuildTask } from '../src/build/tasks.ts';
import { scoreExternalTask, spearman, summarizeExternal, type ExternalTask, type ExternalTaskResult } from '../src/bench/external.ts';
import { DEFAULT_PROTOCOL, evaluate, protocolId } from '../src/evaluation/index.ts';
import { TrainerPool } from '../src/learners/index.ts';
import { KnnMetaModel } from '../src/metamodel/knn.ts';
import { LearnedMetaModel, OPENER_MARGIN, ZERO_SHOT_SET } from '../src/metamodel/learned.ts';
import { EXPECTED_SCORE_SCENARIOS, INTERVAL_LEVEL, distancesTo, expectedScores, intervalWidening, type ScoredTask } from '../src/metamodel/expected-score.ts';
import { PortfolioMetaModel } from '../src/metamodel/portfolio.ts';
import { decodeMetaModel, encodeMetaModel } from '../src/metamodel/serialize.ts';
import { canonicalize, evaluatedConfigurations, loadTrainingSet, withoutTasks } from '../src/metamodel/training-set.ts';
import type { MetaModel, RankedCandidate, TrainingSet } from '../src/metamodel/types.ts';
import { Random, deriveSeed } from '../src/random.ts';
import type { Configuration } from '../src/spaces/types.ts';
import { configHash } from '../src/spaces/canonical.ts';
import { SqliteMetaStore } from '../src/store/sqlite-store.ts';
import { conditionedPortfolio, scenarioWeights } from '../src/metamodel/conditioned.ts';
import { DEFAULT_RECOMMEND_POOL, candidatePool } from '../src/metamodel/recommend.ts';
import { TaskIndex } from '../src/metamodel/task-index.ts';

const { values: args } = parseArgs({
  options: {
    space: { type: 'string', default: 'mlp' },
    workers: { type: 'string', default: '2' },
    only: { type: 'string' },
    methods: { type: 'string', default: 'knn,portfolio,learned' },
    cache: { type: 'string', default: '.bench-cache/external' },
    out: { type: 'string' },
    random: { type: 'string', default: '10' },
    'dry-run': { type: 'boolean', default: false },
    'cached-only': { type: 'boolean', default: false },
    'split-seed': { type: 'string', default: '0' },
  },
});
const space = args.space!;
const KS = [1, 3, 5];
const TOP = Math.max(...KS);
const holdout = JSON.parse(readFileSync('meta-db/holdout.json', 'utf8')) as { heldOut: string[] };
const heldOut = new Set(holdout.heldOut);
mkdirSync(args.cache!, { recursive: true });

const store = SqliteMetaStore.open('meta-db/metatune.sqlite', { readonly: true });
const all = loadTrainingSet(store, space);
const training = withoutTasks(all, heldOut);
const testTasks = all.tasks.filter((t) => heldOut.has(t.name) && (args.only === undefined || args.only.split(',').includes(t.name)));
const taskRecords = new Map(store.listTasks().map((t) => [t.name, t]));
process.stderr.write(`space ${space}: ${training.tasks.length} training tasks, ${testTasks.length} held-out tasks\n`);

/** A fitted model of the training part, cached as bytes (the learned model takes minutes to fit). */
async function trainingModel(type: 'knn' | 'portfolio' | 'learned', set: TrainingSet): Promise<MetaModel> {
  if (type === 'knn') return KnnMetaModel.fit(set);
  if (type === 'portfolio') return PortfolioMetaModel.fit(set);
  const file = join(args.cache!, `learned-${space}-${set.tasks.length}tasks.mtmm`);
  if (existsSync(file)) return decodeMetaModel(new Uint8Array(readFileSync(file)), file);
  const model = await LearnedMetaModel.fit(set, { seed: 0 });
  writeFileSync(file, encodeMetaModel(model.toJSON()));
  return model;
}

// --- the ranked lists -------------------------------------------------------------------------
const designConfigs = evaluatedConfigurations(training);
const defaultConfig = canonicalize(training.space, training.space.defaultConfiguration())!;
const methodNames = args.methods!.split(',');
const lists = new Map<string, Map<string, Configuration[]>>(); // task → method → top configs
const models = new Map<string, MetaModel>();
if (methodNames.includes('learned-set') && !methodNames.includes('learned')) throw new Error('learned-set needs learned in --methods');
for (const name of methodNames) {
  if (name === 'knn' || name === 'portfolio' || name === 'learned') models.set(name, await trainingModel(name, training));
}
const learnedTop = new Map<string, RankedCandidate[]>();
// each model ranks what recommend gives it: the design, plus 256 space-filling samples for the learned model
const candidates = new Map([...models].map(([name, model]) => [name, candidatePool(model, designConfigs.map((c) => c.config), DEFAULT_RECOMMEND_POOL)]));
// the task-conditioned portfolio alone: past tasks' own scores as scenarios, no network
const index = TaskIndex.fromTraining(training);
const indexScores = index.tasks.map((t) => new Map(Object.entries(t.scores)));
const byHash = new Map(designConfigs.map((c) => [c.configHash, c.config]));
for (const task of testTasks) {
  const perMethod = new Map<string, Configuration[]>();
  for (const name of methodNames) {
    const model = models.get(name);
    if (model !== undefined) {
      const ranked = model.rank({ metaFeatures: task.metaFeatures }, candidates.get(name)!).slice(0, TOP);
      perMethod.set(name, ranked.map((r) => r.config));
      if (name === 'learned') learnedTop.set(task.name, ranked);
    } else if (name === 'learned-set') {
      const learned = models.get('learned') as LearnedMetaModel;
      perMethod.set(name, learned.rank({ metaFeatures: task.metaFeatures }, candidates.get('learned')!, OPENER_MARGIN, ZERO_SHOT_SET).slice(0, TOP).map((r) => r.config));
    } else if (name === 'conditioned') {
      const weights = scenarioWeights(index.nearest(task.metaFeatures), index.tasks.map((t) => t.name), { tau: 0.2, lambda: 0.3 });
      perMethod.set(name, conditionedPortfolio(indexScores, weights, [...byHash.keys()], TOP).map((h) => byHash.get(h)!));
    } else throw new Error(`unknown method ${name}`);
  }
  lists.set(task.name, perMethod);
}

// --- fresh evaluations, cached -----------------------------------------------------------------
// --split-seed N (N ≠ 0): the same configurations under another split of each dataset, to measure split noise
const SPLIT_SEED = Number(args['split-seed']);
const USER_PROTOCOL = { ...DEFAULT_PROTOCOL, splitSeed: SPLIT_SEED };
const PROTOCOL = protocolId(USER_PROTOCOL);
const SEED0 = protocolId(DEFAULT_PROTOCOL);
const seed0 = new Map<string, number>();
const cacheFile = join(args.cache!, `scores-${space}.jsonl`);
const cached = new Map<string, number>(); // task|hash → score (NaN when failed)
if (existsSync(cacheFile)) {
  for (const line of readFileSync(cacheFile, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { task: string; hash: string; score: number | null; protocol: string };
    if (r.protocol === PROTOCOL) cached.set(`${r.task}|${r.hash}`, r.score ?? NaN);
    if (r.protocol === SEED0) seed0.set(`${r.task}|${r.hash}`, r.score ?? NaN);
  }
}
const randomOf = (task: string) => {
  const rng = new Random(deriveSeed(0, 'external-random', task));
  return Array.from(rng.permutation(designConfigs.length).subarray(0, Number(args.random))).map((i) => designConfigs[i]);
};
// expected scores of the learned top 5 in the task's metric, from the training part only (as recommend computes them)
const scored: ScoredTask[] = training.tasks.map((t) => ({ name: t.name, taskType: taskRecords.get(t.name)!.taskType, metaFeatures: t.metaFeatures, scores: new Map(t.evaluations.map((e) => [e.configHash, e.score])) }));
const widenOf = new Map((['classification', 'regression'] as const).map((type) => [type, intervalWidening(scored, type)]));
const intervals: { task: string; hash: string; mean: number; low: number; high: number; actual: number }[] = [];
const corpus = new Map((await findBuildTasks('meta-db/corpus', { targets: JSON.parse(readFileSync('meta-db/targets.json', 'utf8')) })).map((t) => [t.name, t]));
const pool = new TrainerPool({ workers: Number(args.workers) });
const results: ExternalTaskResult[] = [];
const correlations: { task: string; rows: number; n: number; rho: number }[] = [];
const splitNoise: { task: string; rows: number; n: number; rho: number }[] = [];
try {
  for (const [index, task] of testTasks.entries()) {
    const wanted = new Map<string, Configuration>();
    wanted.set(defaultConfig.hash, defaultConfig.config);
    for (const c of randomOf(task.name)) wanted.set(c.configHash, c.config);
    for (const list of lists.get(task.name)!.values()) for (const c of list) wanted.set(configHash(c), c);
    const missing = [...wanted].filter(([hash]) => !cached.has(`${task.name}|${hash}`));
    process.stderr.write(`[${index + 1}/${testTasks.length}] ${task.name}: ${wanted.size} configurations, ${missing.length} to evaluate\n`);
    if (missing.length > 0 && args['cached-only']) continue; // a peek at a run in progress: only the datasets done
    if (missing.length > 0 && !args['dry-run']) {
      const dataset = await loadBuildTask(corpus.get(task.name)!);
      const evaluations = await evaluate(dataset, training.space, missing.map(([, c]) => c), { protocol: USER_PROTOCOL, seed: 0, pool });
      for (const [i, e] of evaluations.entries()) {
        const hash = missing[i][0];
        const score = e.status === 'ok' ? e.primaryScore : null;
        cached.set(`${task.name}|${hash}`, score ?? NaN);
        appendFileSync(cacheFile, `${JSON.stringify({ task: task.name, hash, score, protocol: PROTOCOL, wallMs: Math.round(e.wallTimeMs) })}\n`);
      }
    }
    if (args['dry-run']) continue;
    const scores = new Map([...wanted.keys()].map((h) => [h, cached.get(`${task.name}|${h}`)!]));
    const record = taskRecords.get(task.name)!;
    const external: ExternalTask = {
      task: task.name, taskType: record.taskType, rows: record.nRows, scores, defaultHash: defaultConfig.hash,
      randomHashes: randomOf(task.name).map((c) => c.configHash),
      lists: new Map([...lists.get(task.name)!].map(([m, l]) => [m, l.map((c) => configHash(c))])),
    };
    results.push(scoreExternalTask(external, KS));
    const top = learnedTop.get(task.name);
    if (top !== undefined) {
      const predicted = expectedScores(scored, distancesTo(task.metaFeatures, scored), task.metaFeatures, record.taskType, top.map((c) => c.configHash), EXPECTED_SCORE_SCENARIOS, widenOf.get(record.taskType)!, top.map((c) => c.score));
      predicted.forEach((p, i) => {
        const actual = scores.get(top[i].configHash);
        if (p !== undefined && actual !== undefined && Number.isFinite(actual)) intervals.push({ task: task.name, hash: top[i].configHash, mean: p.mean, low: p.low, high: p.high, actual: Math.min(1, Math.max(0, actual)) });
      });
    }
    // the store's protocol against the user's, on the design configurations scored freshly
    const stored = new Map(task.evaluations.map((e) => [e.configHash, e.score]));
    const pairs = [...scores].filter(([h, s]) => stored.has(h) && Number.isFinite(s));
    correlations.push({ task: task.name, rows: record.nRows, n: pairs.length, rho: spearman(pairs.map(([h]) => stored.get(h)!), pairs.map(([, s]) => s)) });
    if (SPLIT_SEED !== 0) {
      const both = [...scores].filter(([h, s]) => Number.isFinite(s) && Number.isFinite(seed0.get(`${task.name}|${h}`) ?? NaN));
      splitNoise.push({ task: task.name, rows: record.nRows, n: both.length, rho: spearman(both.map(([h]) => seed0.get(`${task.name}|${h}`)!), both.map(([, s]) => s)) });
    }
  }
} finally {
  await pool.close();
  store.close();
}
if (args['dry-run']) process.exit(0);

// --- report ----------------------------------------------------------------------------------------
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  —  ');
const table = (label: string, rows: readonly ExternalTaskResult[]) => {
  const s = summarizeExternal(rows, KS);
  console.log(`\n${label} (${s.tasks} datasets): mean normalised regret at ${KS.join('/')} (raw score gap)  wins-losses-ties vs default`);
  console.log(`  default     ${f(s.defaultRegret)}`);
  console.log(`  random      ${s.randomRegret.map(f).join(' / ')}  (expected best of k of ${args.random})`);
  for (const m of s.methods) console.log(`  ${m.method.padEnd(11)} ${m.regret.map(f).join(' / ')}  (${m.gap.map(f).join(' / ')})  ${m.wins}-${m.losses}-${m.ties}`);
  return s;
};
console.log(`external check, space ${space}, protocol ${PROTOCOL}, ${results.length} held-out datasets`);
console.log('\nper dataset: rows, default regret, then each method\'s regret at 1/3/5 and its first pick against the default (+ win, - loss, = tie)');
for (const r of results) {
  const cells = r.methods.map((m) => `${m.method} ${m.regret.map(f).join('/')} ${m.vsDefault === 1 ? '+' : m.vsDefault === -1 ? '-' : '='}`);
  console.log(`  ${r.task.padEnd(18)} ${String(r.rows).padStart(6)}  default ${f(r.defaultRegret)}  ${cells.join('  ')}`);
}
const summaries = {
  all: table('all', results),
  classification: table('classification', results.filter((r) => r.taskType === 'classification')),
  regression: table('regression', results.filter((r) => r.taskType === 'regression')),
};
const valid = correlations.filter((c) => Number.isFinite(c.rho));
const meanRho = (xs: typeof valid) => xs.reduce((s, c) => s + c.rho, 0) / xs.length;
const big = valid.filter((c) => c.rows * 0.75 > 1000);
const small = valid.filter((c) => c.rows * 0.75 <= 1000);
console.log(`\nstore protocol vs user protocol, Spearman over the design configurations scored on each dataset:`);
console.log(`  datasets subsampled by the store (>1,000 training rows): mean ${f(meanRho(big))} over ${big.length}: ${big.map((c) => `${c.task} ${f(c.rho)} (n=${c.n})`).join(', ')}`);
console.log(`  same training rows under both (≤1,000): mean ${f(meanRho(small))} over ${small.length}`);
if (splitNoise.length > 0) {
  const ok = splitNoise.filter((c) => Number.isFinite(c.rho));
  const part = (xs: typeof ok) => `${f(xs.reduce((a, c) => a + c.rho, 0) / xs.length)} over ${xs.length}`;
  console.log(`\nsplit noise: Spearman between split seed 0 and ${SPLIT_SEED} of the same configurations: < 300 rows ${part(ok.filter((c) => c.rows < 300))}, 300–1,333 rows ${part(ok.filter((c) => c.rows >= 300 && c.rows <= 1333))}, larger ${part(ok.filter((c) => c.rows > 1333))}`);
  console.log(`  ${ok.map((c) => `${c.task} ${f(c.rho)}`).join(', ')}`);
}
if (intervals.length > 0) {
  const inside = intervals.filter((c) => c.actual >= c.low - 1e-9 && c.actual <= c.high + 1e-9).length;
  const mae = intervals.reduce((a, c) => a + Math.abs(c.actual - c.mean), 0) / intervals.length;
  const width = intervals.reduce((a, c) => a + (c.high - c.low), 0) / intervals.length;
  console.log(`\nexpected scores of the learned top ${TOP} (task metric, R² floored at 0): ${intervals.length} predictions, ${(100 * inside / intervals.length).toFixed(1)} % of fresh scores inside the nominal ${Math.round(INTERVAL_LEVEL * 100)} % interval (mean width ${width.toFixed(3)}), mean absolute error ${mae.toFixed(3)}`);
}
// the same as Markdown, per dataset and summarised, for README and the issue
const md: string[] = [`External check, space \`${space}\`: ${results.length} held-out datasets, protocol \`${PROTOCOL}\`, methods fitted on ${training.tasks.length} training tasks.`, ''];
const methodsShown = [...new Set(results.flatMap((r) => r.methods.map((m) => m.method)))];
md.push(`| dataset | rows | default | ${methodsShown.map((m) => `${m} @1/@3/@5`).join(' | ')} |`, `|---|---:|---:|${methodsShown.map(() => '---|').join('')}`);
const mark = (v: -1 | 0 | 1) => (v === 1 ? ' (+)' : v === -1 ? ' (−)' : ' (=)');
for (const r of results) md.push(`| ${r.task} | ${r.rows} | ${f(r.defaultRegret)} | ${methodsShown.map((name) => { const m = r.methods.find((x) => x.method === name)!; return `${m.regret.map(f).join(' / ')}${mark(m.vsDefault)}`; }).join(' | ')} |`);
md.push('', '(+)/(−)/(=): the first pick scored above / below / the same as the space default.', '');
for (const [label, sum] of Object.entries(summaries)) {
  md.push(`**${label}** (${sum.tasks} datasets): mean normalised regret at ${KS.join('/')} (raw score gap to the pool's best); first pick against the default: wins–losses–ties`, '', '| method | regret @1/@3/@5 | raw gap @1/@3/@5 | vs default |', '|---|---|---|---|');
  md.push(`| space default | ${f(sum.defaultRegret)} | | |`, `| random (expected best of k of ${args.random}) | ${sum.randomRegret.map(f).join(' / ')} | | |`);
  for (const m of sum.methods) md.push(`| ${m.method} | ${m.regret.map(f).join(' / ')} | ${m.gap.map(f).join(' / ')} | ${m.wins}–${m.losses}–${m.ties} |`);
  md.push('');
}
const out = args.out ?? `meta-db/bench/external-${space}.json`;
writeFileSync(out.replace(/\.json$/, '.md'), `${md.join('\n')}\n`);
writeFileSync(out, `${JSON.stringify({ space, protocol: PROTOCOL, ks: KS, heldOut: [...heldOut], results, summaries, correlations, intervals, splitNoise, splitSeed: SPLIT_SEED }, null, 1)}\n`);
console.log(`\nwritten ${out}`);
