/**
 * Every sampler × every pruner × both kinds of space, as the issue asks: a user's objective that
 * reports a learning curve and asks `shouldPrune` each epoch runs under random, TPE (joint and
 * independent) and the meta sampler, with no pruner and with successive halving, on a declared
 * space and define-by-run; each combination is reproducible under a seed — the same trials, values,
 * learning curves and pruning decisions — and another seed gives other trials. The meta sampler
 * scores configurations of a declared space: define-by-run refuses it with the reason.
 * Studies run over an open SQLite MetaStore (no storage URL).
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

async function run(kind: 'declared' | 'define-by-run', sampler: Sampler, pruner: Pruner, seed: number) {
  const store = SqliteMetaStore.open(join(dir, `s${files++}.sqlite`));
  try {
    // a study over the meta-knowledge store names a registered task (what `metatune db add` registers)
    store.addTask({ name: 'toy', source: 'toy.csv', contentHash: '0'.repeat(64), nRows: 100, nFeatures: 4, taskType: 'classification', target: 'y', nClasses: 2 });
    const study = createStudy({ storage: store, space: kind === 'declared' ? declared : undefined, direction: 'minimize', sampler, pruner, seed, task: { name: 'toy', metaFeatures: { nRows: 100 } } });
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
        if (samplerName === 'meta' && kind === 'define-by-run') {
          await assert.rejects(async () => run(kind, sampler(), pruner(), 1), /needs a declared space/);
          return;
        }
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
      });
    }
  }
}
