/**
 * Loads every dataset of the repository's corpus (meta-db/corpus, gzip-compressed ARFF) and checks it
 * against test/fixtures/datasets.json,
 * whose counts come from awk (test/fixtures/make-datasets-fixture.sh), not from our parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDataset, loadTable } from '../../src/data/index.ts';
import { levelCounts } from '../../src/data/columns.ts';

interface FixtureRow {
  file: string;
  rows: number;
  attributes: number;
  targetType: 'nominal' | 'numeric';
  declaredClasses: number;
  observedClasses: number;
  missingTargets: number;
}

const corpus = fileURLToPath(new URL('../../meta-db/corpus/', import.meta.url));
/** @returns the corpus path of a fixture row's file (`classification/iris.arff` → its `.arff.gz`) */
const pathOf = (file: string): string => `${corpus}${file}.gz`;
const fixture: FixtureRow[] = JSON.parse(readFileSync(new URL('../fixtures/datasets.json', import.meta.url), 'utf8'));

test('the fixture lists every ARFF file of the corpus', () => {
  const files = ['classification', 'regression'].flatMap((dir) =>
    readdirSync(corpus + dir).filter((f) => f.endsWith('.arff.gz')).map((f) => `${dir}/${f.slice(0, -3)}`),
  );
  assert.deepEqual(fixture.map((r) => r.file).sort(), files.sort());
});

for (const row of fixture) {
  test(`loads ${row.file}`, async () => {
    const path = pathOf(row.file);
    const table = await loadTable(path);
    assert.equal(table.nRows, row.rows, 'rows');
    assert.equal(table.columns.length, row.attributes, 'attributes');
    const target = table.columns[table.columns.length - 1];
    assert.equal(target.kind, row.targetType === 'nominal' ? 'categorical' : 'numeric', 'target type');
    if (target.kind === 'categorical') {
      assert.equal(target.levels.length, row.declaredClasses, 'declared classes');
      assert.equal(levelCounts(target).filter((c) => c > 0).length, row.observedClasses, 'observed classes');
    }
    const dataset = await loadDataset(path);
    assert.equal(dataset.task, row.targetType === 'nominal' ? 'classification' : 'regression');
    assert.equal(dataset.nRows, row.rows - row.missingTargets, 'rows with a target');
    assert.equal(dataset.droppedRows, row.missingTargets);
    assert.equal(dataset.features.length, row.attributes - 1);
  });
}

/**
 * Four classification files do not put the class last, despite the corpus README (checked with
 * `grep -in @attribute`): the last attribute is numeric, so the default target makes them
 * regression tasks. With the class named, they are classification tasks.
 */
const CLASS_NOT_LAST: Record<string, { target: string; classes: number }> = {
  'classification/spectf.test.arff': { target: 'OVERALL_DIAGNOSIS', classes: 2 },
  'classification/spectf.train.arff': { target: 'OVERALL_DIAGNOSIS', classes: 2 },
  'classification/spectrometer.arff': { target: 'LRS-class', classes: 48 },
  'classification/wine.arff': { target: 'class', classes: 3 },
};

test('classification files whose class is not the last attribute load with --target', async () => {
  const notLast = fixture.filter((r) => r.file.startsWith('classification/') && r.targetType !== 'nominal').map((r) => r.file);
  assert.deepEqual(notLast.sort(), Object.keys(CLASS_NOT_LAST).sort());
  for (const [file, { target, classes }] of Object.entries(CLASS_NOT_LAST)) {
    const dataset = await loadDataset(pathOf(file), { target });
    assert.equal(dataset.task, 'classification', file);
    assert.equal(dataset.target.kind === 'categorical' && dataset.target.levels.length, classes, file);
  }
});
