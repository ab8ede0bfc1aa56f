/**
 * Every sampler × every pruner × both kinds of space, as the issue asks: a user's objective that
 * reports a learning curve and asks `shouldPrune` each epoch runs under random, TPE (joint and
 * independent) and the meta sampler, with no pruner and with successive halving, on a declared
 * space and define-by-run; each combination is reproducible under a seed — the same trials, values,
 * learning curves and pruning decisions — and another seed gives other trials. A define-by-run
 * study names the space its trials are stored under ('own-declared', stored as a teaching study
 * stores what it discovers), so the meta sampler proposes whole configurations of it (relative
 * sampling, `src/search/relative.ts`); before the space is stored it draws from its independent
 * sampler. Studies run over an open SQLite MetaStore (no storage URL).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createStudy, MetaSampler, NopPruner, parseSearchSpace, RandomSampler, SqliteMetaStore, SuccessiveHalvingPruner, TPESampler, TrialPruned,
  type Configuration, type FrozenTrial, type Pruner, type Sampler, type SurrogateSource, type Trial,
} from '../../src/index.ts';

let dir: string;
let files = 0;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-spaces-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const declared = parseSearchSpace({
  name: 'own-declared',
  format_version: 1,
  hyperparameters: [
    { name: 'lr', type: 'uniform_float', lower: 1e-4, upper: 1, log: true, default_value: 0.01 },
    { name: 'units', type: 'uniform_int', lower: 4, upper: 128, log: true, default_value: 32 },
    { name: 'head', type: 'categorical', choices: ['linear', 'dense'], default_value: 'dense' },
    { name: 'dropout', type: 'uniform_float', lower: 0, upper: 0.5, default_value: 0.1 },
  ],
  conditions: [{ child: 'units', type: 'equals', parent: 'head', value: 'dense' }],
});

/** A learning curve whose level depends on the parameters: the loss after each of 9 epochs. */
function objective(trial: Trial): number {
  const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
  const head = trial.suggestCategorical('head', ['linear', 'dense'] as const);
  const units = head === 'dense' ? trial.suggestInt('units', 4, 128, { log: true }) : 0;
  const dropout = trial.suggestFloat('dropout', 0, 0.5);
  const final = (Math.log10(lr) + 2) ** 2 + (head === 'dense' ? (Math.log2(units) - 5) ** 2 / 8 : 1) + (dropout - 0.2) ** 2;
  let loss = final;
  for (let epoch = 1; epoch <= 9; epoch++) {
    loss = final + 2 / epoch;
    trial.report(epoch, loss);
    if (trial.shouldPrune()) throw new TrialPruned();
  }
  return loss;
}

/** A stand-in meta-model: prefers a learning rate near 0.01. */
const source: SurrogateSource = {
  surrogate: () => ({ predict: (configs: readonly Configuration[]) => configs.map((c) => ({ mean: -Math.abs(Math.log10(Number(c.lr)) + 2), std: 0.2 })) }),
};

const samplers: Record<string, () => Sampler> = {
  random: () => new RandomSampler(),
  tpe: () => new TPESampler({ nStartupTrials: 4 }),
  'tpe independent': () => new TPESampler({ nStartupTrials: 4, multivariate: false }),
  meta: () => new MetaSampler({ source, nCandidates: 16 }),
};
const pruners: Record<string, () => Pruner> = {
  none: () => new NopPruner(),
  'successive halving': () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
};

const record = (trials: readonly FrozenTrial[]) => trials.map((t) => ({ state: t.state, config: t.config, value: t.value, intermediate: t.intermediate, origin: t.origin }));

async function run(kind: 'declared' | 'define-by-run', sampler: Sampler, pruner: Pruner, seed: number, options: { storeSpace?: boolean } = {}) {
  const store = SqliteMetaStore.open(join(dir, `s${files++}.sqlite`));
  try {
    // a study over the meta-knowledge store names a registered task (what `metatune db add` registers)
    store.addTask({ name: 'toy', source: 'toy.csv', contentHash: '0'.repeat(64), nRows: 100, nFeatures: 4, taskType: 'classification', target: 'y', nClasses: 2 });
    // the space of past define-by-run studies, as a teaching study stores it
    if (options.storeSpace ?? true) store.addSearchSpace({ name: declared.name, version: declared.fingerprint(), definition: declared.toJSON() });
    const study = createStudy({
      storage: store, space: kind === 'declared' ? declared : undefined, spaceName: declared.name, direction: 'minimize', sampler, pruner, seed, task: { name: 'toy', metaFeatures: { nRows: 100 } },
    });
    await study.optimize(objective, { nTrials: 14 });
    return record(study.trials);
  } finally {
    store.close();
  }
}

for (const [samplerName, sampler] of Object.entries(samplers)) {
  for (const [prunerName, pruner] of Object.entries(pruners)) {
    for (const kind of ['declared', 'define-by-run'] as const) {
      test(`${samplerName} sampler, ${prunerName} pruner, ${kind} space: reproducible under a seed`, { timeout: 60_000 }, async () => {
        const a = await run(kind, sampler(), pruner(), 1);
        const b = await run(kind, sampler(), pruner(), 1);
        const c = await run(kind, sampler(), pruner(), 2);
        assert.deepEqual(a, b);
        assert.notDeepEqual(a.map((t) => t.config), c.map((t) => t.config));
        assert.equal(a.length, 14);
        for (const t of a) {
          assert.equal(t.config.units !== undefined, t.config.head === 'dense', `units only with a dense head: ${JSON.stringify(t.config)}`);
          assert.ok(t.state === 'complete' || (t.state === 'pruned' && prunerName !== 'none'), t.state);
          // a complete trial reported all 9 epochs; a pruned one stopped at a rung (epochs 1, 3, 9)
          const epochs = t.intermediate.filter((value) => value !== null).length;
          assert.ok(t.state === 'complete' ? epochs === 9 : [1, 3, 9].includes(epochs), `${t.state} after ${epochs} epochs`);
        }
        if (prunerName !== 'none') assert.ok(a.some((t) => t.state === 'pruned'), 'successive halving pruned some trial');
        if (samplerName === 'meta') assert.ok(a.every((t) => t.origin === 'sampler:meta'), a.map((t) => t.origin).join());
      });
    }
  }
}

test('meta sampler, define-by-run before its space is stored: every parameter from the independent sampler, reproducibly', { timeout: 60_000 }, async () => {
  const meta = () => new MetaSampler({ source, nCandidates: 16, independent: new TPESampler({ nStartupTrials: 4 }) });
  const a = await run('define-by-run', meta(), new NopPruner(), 1, { storeSpace: false });
  const b = await run('define-by-run', meta(), new NopPruner(), 1, { storeSpace: false });
  assert.deepEqual(a, b);
  assert.ok(a.every((t) => t.origin === 'sampler:meta:tpe'), a.map((t) => t.origin).join());
  // the same draws as TPE alone: the meta-model is not consulted without a known space
  const tpe = await run('define-by-run', new TPESampler({ nStartupTrials: 4 }), new NopPruner(), 1, { storeSpace: false });
  assert.deepEqual(a.map((t) => t.config), tpe.map((t) => t.config));
});

test('meta sampler, define-by-run with a stored space: the meta-model steers the proposals', { timeout: 60_000 }, async () => {
  const distance = (trials: readonly { config: Configuration }[]) => trials.reduce((sum, t) => sum + Math.abs(Math.log10(Number(t.config.lr)) + 2), 0) / trials.length;
  const meta = await run('define-by-run', new MetaSampler({ source, nCandidates: 16 }), new NopPruner(), 3);
  const random = await run('define-by-run', new RandomSampler(), new NopPruner(), 3);
  // the stand-in meta-model prefers lr near 0.01: its proposals sit nearer than random draws
  assert.ok(distance(meta) < distance(random) / 2, `meta ${distance(meta)} vs random ${distance(random)}`);
});
