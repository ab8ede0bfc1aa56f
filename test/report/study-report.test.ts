/**
 * Study reports on edge cases, through an in-memory store: a study with no trial yet, one with
 * only failed and running trials, a study without a task, and names that try to inject markup —
 * every page keeps its six plots (placeholders saying why), escapes every name, and has no script.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSettings } from '../../src/search/settings.ts';
import { NopPruner } from '../../src/search/pruners/none.ts';
import { RandomSampler } from '../../src/search/samplers/random.ts';
import { collectStudyReport, studyReportHtml, STUDY_PLOTS } from '../../src/report/study-report.ts';
import { DashboardPages } from '../../src/dashboard/server.ts';
import { loadSearchSpace } from '../../src/spaces/load.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { LayeredMetaStore } from '../../src/store/layered-store.ts';
import { StoreError } from '../../src/errors.ts';

const EVIL = '<img src=x onerror=alert(1)>';

function storeWithStudy(name: string, task: string | null) {
  const store = SqliteMetaStore.open(':memory:');
  const space = loadSearchSpace('mlp');
  if (task !== null) {
    store.addTask({ name: task, source: 'x', contentHash: 'a'.repeat(64), nRows: 10, nFeatures: 2, taskType: 'classification', target: 'y', nClasses: 2 });
    store.putMetaFeatures(task, { extractorVersion: '1', values: { NumberOfInstances: 10 }, missing: {} });
  }
  store.createStudy({ name, direction: 'maximize', space: 'mlp', task, settings: encodeSettings(0, space, new RandomSampler(), new NopPruner()) });
  return { store, space };
}

function plotsOf(html: string): string[] {
  return [...html.matchAll(/<svg [^>]*data-plot="([^"]+)"/g)].map((m) => m[1]);
}

test('a study with no trial: six placeholder plots, no crash', () => {
  const { store } = storeWithStudy('empty', 'task-a');
  const html = studyReportHtml(collectStudyReport(store, 'empty'));
  assert.deepEqual(plotsOf(html), [...STUDY_PLOTS]);
  assert.equal((html.match(/data-empty="true"/g) ?? []).length, 5, 'all but the task map (one task) are placeholders');
  assert.match(html, /No complete trial yet/);
  store.close();
});

test('failed and running trials only; a study without a task; markup in names is escaped', () => {
  const { store, space } = storeWithStudy(EVIL, null);
  const config = space.defaultConfiguration();
  const failed = store.startTrial(EVIL, { configHash: 'h1', config, origin: `enqueued:${EVIL}` });
  store.finishTrial(EVIL, failed.number, { state: 'failed', value: null, error: EVIL });
  store.startTrial(EVIL, { configHash: 'h2', config, origin: 'sampler:random' });
  const report = collectStudyReport(store, EVIL);
  assert.equal(report.counts.failed, 1);
  assert.equal(report.counts.running, 1);
  assert.equal(report.metric, 'score');
  const html = studyReportHtml(report);
  assert.deepEqual(plotsOf(html), [...STUDY_PLOTS]);
  assert.ok(!html.includes(EVIL), 'raw markup never reaches the page');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.doesNotMatch(html, /<script/);
  const pages = new DashboardPages(store);
  assert.ok(!pages.home().includes(EVIL));
  assert.match(pages.home(), /http-equiv="refresh"/, 'a running trial makes the page live');
  assert.ok(!pages.study(EVIL).includes(EVIL));
  store.close();
});

test('an unknown study is a StoreError naming the stored ones', () => {
  const { store } = storeWithStudy('known', 'task-a');
  assert.throws(() => collectStudyReport(store, 'unknown'), (e: unknown) => e instanceof StoreError && /no study named 'unknown'; stored studies: known/.test(e.message));
  store.close();
});

test('the dashboard over an empty store (no user, no shipped database) renders every page', () => {
  const pages = new DashboardPages(new LayeredMetaStore({}));
  assert.match(pages.home(), /no studies yet/);
  assert.match(pages.tasks(), /data-plot="task-map"/);
  assert.match(pages.spaces(), /No search space stored/);
  assert.throws(() => pages.space('mlp'), /no search space named 'mlp'/);
});
