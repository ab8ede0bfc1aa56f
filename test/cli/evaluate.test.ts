import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigs, parseEvaluateFlags } from '../../src/cli/commands/evaluate.command.ts';
import { SearchSpaceError, UsageError } from '../../src/errors.ts';
import { loadSavedModel } from '../../src/evaluation/saved-model.ts';
import { loadSearchSpace } from '../../src/spaces/index.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const iris = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
const mlp = loadSearchSpace('mlp');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function metatune(args: readonly string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('metatune evaluate prints the metrics table, backend, epochs and wall time', async () => {
  const r = await metatune(['evaluate', iris, '--epochs', '10', '--backend', 'cpu']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /iris: classification, 150 rows, 4 features/);
  assert.match(r.stdout, /protocol holdout-0\.25@v1:[0-9a-f]{12}/);
  assert.match(r.stdout, /^balancedAccuracy\s+0\.\d+$/m);
  assert.match(r.stdout, /^rocAuc\s+0\.\d+$/m);
  assert.match(r.stdout, /epochs: \d+ of 10 run/);
  assert.match(r.stdout, /backend cpu · wall time \d+\.\d s/);
});

test('--json --folds 3 prints one evaluation averaged over three folds; --save-model writes a loadable model', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'metatune-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const r = await metatune(['evaluate', iris, '--folds', '3', '--epochs', '5', '--backend', 'cpu', '--json', '--save-model', dir]);
  assert.equal(r.code, 0, r.stderr);
  const out: unknown = JSON.parse(r.stdout);
  assert.ok(typeof out === 'object' && out !== null && 'evaluations' in out && Array.isArray(out.evaluations));
  const [evaluation] = out.evaluations;
  assert.equal(evaluation.status, 'ok');
  assert.equal(evaluation.folds.length, 3);
  assert.match(evaluation.protocolId, /^kfold-3@v1:/);
  assert.equal(evaluation.trainedModel, undefined, 'the JSON output leaves the weights out');
  const model = await loadSavedModel(dir);
  assert.equal(model.info.configHash, evaluation.configHash);
});

test('bad --config JSON, a configuration outside the space and an unknown backend exit 2 with a message', async () => {
  const cases: [string[], RegExp][] = [
    [['--config', '{bad'], /--config is neither 'default', 'random' nor valid JSON/],
    [['--config', '{"units": 3}'], /'units' is 3; expected an integer in \[16, 1024\]/],
    [['--backend', 'gpu'], /unknown backend 'gpu'/],
  ];
  for (const [args, message] of cases) {
    const r = await metatune(['evaluate', iris, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace for bad input');
  }
});

test('a partial --config JSON takes the defaults for what it leaves out', () => {
  const [config] = parseConfigs(mlp, '{"optimizer": "sgd-momentum", "learning_rate": 0.05}', 1, 0);
  assert.equal(config.optimizer, 'sgd-momentum');
  assert.equal(config.learning_rate, 0.05);
  assert.equal(config.momentum, 0.9, 'momentum becomes active and takes its default');
  assert.equal(config.units, mlp.defaultConfiguration().units);
  assert.throws(() => parseConfigs(mlp, '{"momentum": 0.8}', 1, 0), SearchSpaceError);
  assert.throws(() => parseConfigs(mlp, '{"units": "wide"}', 1, 0), SearchSpaceError);
});

test('--config random draws --count valid configurations, reproducible under --seed', () => {
  const a = parseConfigs(mlp, 'random', 3, 5);
  assert.equal(a.length, 3);
  assert.deepEqual(a, parseConfigs(mlp, 'random', 3, 5));
  assert.notDeepEqual(a, parseConfigs(mlp, 'random', 3, 6));
  for (const c of a) assert.deepEqual(mlp.validateConfiguration(c), c);
  assert.throws(() => parseConfigs(mlp, 'default', 2, 0), UsageError);
});

test('flags become a typed context', () => {
  const context = parseEvaluateFlags('x.arff', { space: 'linear', config: 'default', seed: '7', epochs: '12', folds: '4', json: true });
  assert.equal(context.space.name, 'linear');
  assert.equal(context.seed, 7);
  assert.equal(context.epochs, 12);
  assert.equal(context.folds, 4);
  assert.equal(context.backend, 'auto');
  assert.equal(context.json, true);
  assert.throws(() => parseEvaluateFlags('x.arff', { epochs: '0' }), /option --epochs: expected an integer from 1 to 10000, got '0'/);
  assert.throws(() => parseEvaluateFlags('x.arff', { folds: '1' }), /option --folds: expected an integer from 2 to 100, got '1'/);
  assert.throws(() => parseEvaluateFlags('x.arff', { seed: '1.5' }), /option --seed: expected an integer from 0 to 4294967295, got '1.5'/);
  assert.throws(() => parseEvaluateFlags('x.arff', { task: 'ranking' }), UsageError);
});
