import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.ts';
import { capWorkers, machineWorkerCap, parseFloatOption, parseIntListOption, parseIntOption, SEED_RANGE } from '../../src/cli/options.ts';
import { parseEvaluateFlags } from '../../src/cli/commands/evaluate.command.ts';
import { parseRecommendFlags } from '../../src/cli/commands/recommend.command.ts';
import { parseSearchFlags } from '../../src/cli/commands/search.command.ts';
import { parseBenchFlags } from '../../src/cli/commands/bench.command.ts';
import { parseMetaTrainFlags } from '../../src/cli/commands/meta-train.command.ts';
import { parseMetaFeaturesFlags } from '../../src/cli/commands/metafeatures.command.ts';
import { parseBuildFlags } from '../../src/cli/commands/db-build.command.ts';
import { parseReportFlags } from '../../src/cli/commands/report.command.ts';
import { parseDashboardFlags } from '../../src/cli/commands/dashboard.command.ts';

const RANGE = { min: 1, max: 10_000 };

test('an integer option accepts plain decimal digits within its range', () => {
  assert.equal(parseIntOption('1', '--count', RANGE, 5), 1);
  assert.equal(parseIntOption('10000', '--count', RANGE, 5), 10_000);
  assert.equal(parseIntOption('007', '--count', RANGE, 5), 7);
  assert.equal(parseIntOption(undefined, '--count', RANGE, 5), 5);
  assert.equal(parseIntOption(undefined, '--count', RANGE), undefined);
  assert.equal(parseIntOption('-3', '--x', { min: -5, max: 5 }, 0), -3);
  assert.equal(parseIntOption('4294967295', '--seed', SEED_RANGE, 0), 2 ** 32 - 1);
});

test('an integer option rejects every hostile spelling with a UsageError naming option, range and value', () => {
  const hostile = ['1e9', '0x10', '0b11', '0o7', '', ' ', ' 5', '5 ', '+5', '-1', '0', '10001', '1.5', '1.0', 'NaN', 'Infinity', '-Infinity',
    '9007199254740993', '99999999999999999999', '١٢', '5abc', '1_000', '\u001b[31m5'];
  for (const value of hostile) {
    assert.throws(() => parseIntOption(value, '--count', RANGE, 1), (error: unknown) => {
      assert.ok(error instanceof UsageError, `${JSON.stringify(value)}: ${String(error)}`);
      assert.match(error.message, /option --count: expected an integer from 1 to 10000, got '/);
      assert.equal(error.location.column, '--count');
      return true;
    }, JSON.stringify(value));
  }
  assert.throws(() => parseIntOption('1e9', '--count', RANGE, 1), /^UsageError: option --count: expected an integer from 1 to 10000, got '1e9'$/);
  assert.throws(() => parseIntOption('\u001b[31m5', '--count', RANGE, 1), /got '\\x1b\[31m5'/, 'the value is quoted escaped');
  assert.throws(() => parseIntOption('4294967296', '--seed', SEED_RANGE, 0), /from 0 to 4294967295/);
});

test('a float option takes decimals and exponents but not hex, NaN, Infinity or blanks', () => {
  const range = { min: 0, max: 1 };
  assert.equal(parseFloatOption('0.5', '--f', range, 0), 0.5);
  assert.equal(parseFloatOption('.25', '--f', range, 0), 0.25);
  assert.equal(parseFloatOption('1e-3', '--f', range, 0), 0.001);
  for (const value of ['0x1', 'NaN', 'Infinity', '', ' ', '1.5', '-0.1', '1e400', '.', 'e5']) {
    assert.throws(() => parseFloatOption(value, '--f', range, 0), /option --f: expected a number from 0 to 1/, JSON.stringify(value));
  }
});

test('a list option checks every element', () => {
  assert.deepEqual(parseIntListOption('1, 3,5', '--budgets', RANGE), [1, 3, 5]);
  assert.throws(() => parseIntListOption('1,,3', '--budgets', RANGE), /got ''/);
  assert.throws(() => parseIntListOption('', '--budgets', RANGE), /comma-separated list/);
  assert.throws(() => parseIntListOption('1,1e9', '--budgets', RANGE), /got '1e9'/);
});

test('workers are clamped to the machine, with a note, and never below one', () => {
  const cap = { workers: 2, reason: '2 cores, 1.0 GiB free memory at ~256 MiB per worker' };
  assert.deepEqual(capWorkers(2, '--workers', cap), { workers: 2 });
  const clamped = capWorkers(64, '--workers', cap);
  assert.equal(clamped.workers, 2);
  assert.equal(clamped.note, '--workers 64 clamped to 2 (2 cores, 1.0 GiB free memory at ~256 MiB per worker)');
  const machine = machineWorkerCap();
  assert.ok(machine.workers >= 1 && machine.workers <= 1024, String(machine.workers));
});

test('every numeric option of every command has an upper bound', () => {
  const huge = '100000000000';
  const cases: [string, () => unknown][] = [
    ['evaluate --count', () => parseEvaluateFlags('x.csv', { config: 'random', count: huge })],
    ['evaluate --seed', () => parseEvaluateFlags('x.csv', { seed: huge })],
    ['evaluate --folds', () => parseEvaluateFlags('x.csv', { folds: huge })],
    ['evaluate --epochs', () => parseEvaluateFlags('x.csv', { epochs: huge })],
    ['evaluate --workers', () => parseEvaluateFlags('x.csv', { workers: huge })],
    ['recommend --top', () => parseRecommendFlags('x.csv', { top: huge })],
    ['recommend --pool', () => parseRecommendFlags('x.csv', { pool: '100000000' })],
    ['search --budget', () => parseSearchFlags('x.csv', { budget: huge })],
    ['search --warm-start', () => parseSearchFlags('x.csv', { budget: '1', warmStart: huge })],
    ['search --workers', () => parseSearchFlags('x.csv', { budget: '1', workers: huge })],
    ['search --batch', () => parseSearchFlags('x.csv', { budget: '1', batch: huge })],
    ['search --seed', () => parseSearchFlags('x.csv', { budget: '1', seed: huge })],
    ['search --epochs', () => parseSearchFlags('x.csv', { budget: '1', epochs: huge })],
    ['search --min-epochs', () => parseSearchFlags('x.csv', { budget: '1', minEpochs: huge })],
    ['bench --seeds', () => parseBenchFlags({ seeds: huge })],
    ['bench --folds', () => parseBenchFlags({ folds: huge })],
    ['bench --budgets', () => parseBenchFlags({ budgets: `1,${huge}` })],
    ['bench --steps', () => parseBenchFlags({ steps: huge })],
    ['bench --ensemble', () => parseBenchFlags({ ensemble: huge })],
    ['bench --seed', () => parseBenchFlags({ seed: huge })],
    ['meta-train --folds', () => parseMetaTrainFlags({ folds: huge })],
    ['meta-train --steps', () => parseMetaTrainFlags({ steps: huge })],
    ['meta-train --ensemble', () => parseMetaTrainFlags({ ensemble: huge })],
    ['meta-train --seed', () => parseMetaTrainFlags({ seed: huge })],
    ['metafeatures --seed', () => parseMetaFeaturesFlags('x.csv', { seed: huge })],
    ['metafeatures --landmark-cap', () => parseMetaFeaturesFlags('x.csv', { landmarkCap: huge })],
    ['db build --configs', () => parseBuildFlags({ space: ['mlp'], configs: [huge] })],
    ['db build --seed', () => parseBuildFlags({ space: ['mlp'], seed: huge })],
    ['db build --chunk', () => parseBuildFlags({ space: ['mlp'], chunk: huge })],
    ['db build --workers', () => parseBuildFlags({ space: ['mlp'], workers: huge })],
    ['report --seed', () => parseReportFlags('s', { seed: huge })],
    ['report --neighbors', () => parseReportFlags('s', { neighbors: huge })],
    ['dashboard --port', () => parseDashboardFlags({ port: huge })],
    ['dashboard --refresh', () => parseDashboardFlags({ refresh: huge })],
  ];
  for (const [name, parse] of cases) {
    const option = name.split(' ').at(-1);
    assert.throws(parse, (error: unknown) => error instanceof UsageError && error.message.startsWith(`option ${option}: expected an integer from `), name);
  }
});

test('--workers beyond the machine is clamped with a note; 0 still means in this thread for evaluate', () => {
  const notes: string[] = [];
  const context = parseEvaluateFlags('x.csv', { workers: '1024' }, (n) => notes.push(n));
  assert.equal(context.workers, machineWorkerCap().workers);
  if (machineWorkerCap().workers < 1024) assert.match(notes[0] ?? '', /^--workers 1024 clamped to \d+ \(\d+ cores, [\d.]+ GiB free memory/);
  assert.equal(parseEvaluateFlags('x.csv', { workers: '0' }).workers, 0);
  assert.throws(() => parseSearchFlags('x.csv', { budget: '1', workers: '0' }), /from 1 to 1024/);
  assert.equal(parseSearchFlags('x.csv', { budget: '1' }).workers, machineWorkerCap().workers);
});
