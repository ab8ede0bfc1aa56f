import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticStore } from '../metamodel/synthetic.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const iris = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
let dir = '';
let dbPath = '';

function metatune(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' };
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
}

interface Recommendation {
  timings: { recommendSeconds: number };
  skipped: { space: string; reason: string }[];
  spaces: { space: string; model: string; candidates: number; top: { score: number; uncertainty?: number; config: Record<string, unknown>; why: { nearestTasks: { name: string; distance: number; scoreThere: number | null }[] } }[] }[];
}

function recommendJson(...args: string[]): Recommendation {
  const r = metatune('recommend', iris, '--db', dbPath, '--json', ...args);
  assert.equal(r.status, 0, r.stderr);
  const parsed: Recommendation = JSON.parse(r.stdout);
  return parsed;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-cli-recommend-'));
  dbPath = join(dir, 'store.sqlite');
  writeSyntheticStore(dbPath, { tasks: 12, configs: 30, seed: 5 });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('recommend without a stored model fits knn on the fly and explains each pick', () => {
  const out = recommendJson('--top', '3');
  const [mlp] = out.spaces;
  assert.equal(mlp.space, 'mlp');
  assert.match(mlp.model, /^knn \(fitted now/);
  assert.equal(mlp.top.length, 3);
  for (const pick of mlp.top) {
    assert.equal(pick.why.nearestTasks.length, 3);
    assert.ok(pick.why.nearestTasks.every((n) => n.name.startsWith('synthetic-') && n.distance >= 0));
  }
  // knn's first pick is the best configuration of the nearest task.
  assert.equal(mlp.top[0].why.nearestTasks[0].scoreThere, 1);
});

test('meta-train saves a learned model; recommend then uses it, with uncertainty and a pool of unseen configurations', () => {
  const trained = metatune('meta-train', '--db', dbPath, '--model', 'learned', '--steps', '30', '--ensemble', '2', '--folds', '2', '--json');
  assert.equal(trained.status, 0, trained.stderr);
  const report: { model: string; validation: { meanRegretAt1: number; meanSpearman: number } }[] = JSON.parse(trained.stdout);
  assert.equal(report[0].model, 'learned');
  assert.ok(report[0].validation.meanRegretAt1 >= 0 && report[0].validation.meanRegretAt1 <= 1);
  const out = recommendJson('--top', '6', '--pool', '50');
  const [mlp] = out.spaces;
  assert.match(mlp.model, /^learned-mlp@/);
  assert.ok(mlp.candidates > 30, 'the pool adds space-filling samples');
  assert.equal(mlp.top.length, 6);
  assert.ok(mlp.top.every((p) => typeof p.uncertainty === 'number'));
  // (The zero-shot list is chosen as a set, test/metamodel/learned.test.ts checks how.)
  // Each pick carries its expected score in the task's metric (iris: balanced accuracy) with an 80 % interval.
  for (const pick of mlp.top) {
    const e = (pick as { expected?: { metric: string; mean: number; low: number; high: number; level: number; support: number } }).expected;
    assert.ok(e !== undefined);
    assert.equal(e.metric, 'balancedAccuracy');
    assert.equal(e.level, 0.8);
    assert.ok(e.low <= e.mean && e.mean <= e.high && e.low >= 0 && e.high <= 1, JSON.stringify(e));
    assert.ok(e.support > 0);
  }
  const text = metatune('recommend', iris, '--db', dbPath, '--top', '2');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /space mlp — learned-mlp@/);
  assert.match(text.stdout, /recommendation \d+\.\d+ s/);
  assert.match(text.stdout, /rank {2}bal\.acc {2}80 %/);
  for (const line of text.stdout.split('\n')) assert.ok([...line].length <= 120, `line wider than 120 columns: ${line}`);
  // --wide prints every hyperparameter of the configuration
  const wide = metatune('recommend', iris, '--db', dbPath, '--top', '1', '--space', 'mlp', '--wide');
  assert.equal(wide.status, 0, wide.stderr);
  const first = out.spaces[0].top[0].config;
  for (const [k, v] of Object.entries(first)) assert.ok(wide.stdout.includes(`${k}=`), `--wide shows ${k} (${String(v)})`);
  // --space all skips a space the store has no tasks for.
  const all = recommendJson('--space', 'all', '--top', '1');
  assert.deepEqual(all.spaces.map((r) => r.space), ['mlp']);
  assert.deepEqual(all.skipped.map((s) => s.space), ['linear']);
});

test('recommend: bad options and a space without tasks exit 2 with a message', () => {
  const bad = metatune('recommend', iris, '--db', dbPath, '--top', '0');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /option --top: expected an integer from 1 to 1000, got '0'/);
  const model = metatune('recommend', iris, '--db', dbPath, '--model', 'oracle');
  assert.equal(model.status, 2);
  assert.match(model.stderr, /--model must be one of learned, knn, portfolio/);
  const linear = metatune('recommend', iris, '--db', dbPath, '--space', 'linear');
  assert.equal(linear.status, 2);
  assert.match(linear.stderr, /no task has meta-features .* 'linear'/);
});
