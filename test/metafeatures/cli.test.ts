import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DATASETS } from './fixtures.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const iris = join(DATASETS, 'classification', 'iris.arff.gz');

function run(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'metafeatures', ...args], { encoding: 'utf8' });
}

test('metatune metafeatures --json prints a versioned vector', () => {
  const r = run(iris, '--groups', 'general,info-theory', '--json');
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(typeof v.extractorVersion, 'string');
  assert.equal(v.values.NumberOfInstances, 150);
  assert.ok(Math.abs(v.values['attr_ent.mean'] - 2.27901045) < 1e-6);
  assert.equal(v.values.PCAKurtosisFirstPC, undefined);
});

test('the table shows nulls with their reason', () => {
  const r = run(iris, '--groups', 'statistical');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /TargetSkewness\s+null\s+defined for regression tasks only/);
  assert.match(r.stdout, /cor\.mean\s+0\.589816/);
});

test('a bad --groups value exits 2 and names the known groups', () => {
  const r = run(iris, '--groups', 'general,nope');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown meta-feature group 'nope'.*landmarking/);
});
