/**
 * The shipped model in headless Chromium: the folders written by `--save-model` (an MLP with GELU
 * and batch normalisation on iris, a linear model on machine.cpu) and `metatune/predictor` bundled
 * for the browser are served over HTTP with TensorFlow.js's own browser build; the page loads each
 * model with `tf.loadLayersModel` (through `loadPredictor`) and predicts the dataset's raw rows.
 * Its labels equal Node's and its probabilities and values agree within 1e-5. Nothing is fetched
 * from elsewhere and the console stays clean. Skipped without Chromium, except under CI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSavedModel } from '../../src/evaluation/saved-model.ts';
import { chromiumMissing, launchChromium, type Browser } from '../report/browser.ts';
import { bundlePredictor } from './bundle.ts';
import { maxAbsDiff, saveCases, type SavedCase } from './fixtures.ts';

const TFJS_BROWSER_BUILD = fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs/dist/tf.min.js', import.meta.url));
const skip = chromiumMissing();
let root = '';
let cases: SavedCase[] = [];
let server: Server | undefined;
let browser: Browser | undefined;
let origin = '';

/** What the page returns for one model. */
interface PagePrediction {
  readonly backend: string;
  readonly task: string;
  readonly inputColumns: string[];
  readonly labels?: string[];
  readonly probabilities?: number[];
  readonly values?: number[];
}

/** The page's own code, as an application would write it: load a model folder and predict rows. */
const PAGE_SCRIPT = `
import { loadPredictor } from '/predictor.js';
window.predictWithModel = async (name, rows) => {
  await tf.setBackend('cpu');
  const predictor = await loadPredictor(tf, '/models/' + name);
  const p = await predictor.predict(rows);
  predictor.dispose();
  return {
    backend: tf.getBackend(), task: p.task, inputColumns: [...predictor.inputColumns], labels: p.labels,
    probabilities: p.probabilities && Array.from(p.probabilities), values: p.values && Array.from(p.values),
  };
};
window.pageReady = true;
`;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'metatune-predictor-browser-'));
  if (skip !== false) return;
  cases = await saveCases(root, 'browser');
  const files = new Map<string, [string, string | Buffer]>([
    ['/', ['text/html', '<!doctype html><meta charset="utf-8"><title>metatune predictor</title><script src="/tf.min.js"></script><script type="module" src="/page.js"></script>']],
    ['/page.js', ['text/javascript', PAGE_SCRIPT]],
    ['/tf.min.js', ['text/javascript', await readFile(TFJS_BROWSER_BUILD)]],
    ['/predictor.js', ['text/javascript', (await bundlePredictor()).code]],
    ['/favicon.ico', ['image/x-icon', '']],
  ]);
  server = createServer((request, response) => {
    const url = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const fixed = files.get(url);
    if (fixed !== undefined) return void response.writeHead(200, { 'content-type': fixed[0] }).end(fixed[1]);
    const model = /^\/models\/([\w-]+)\/([\w.]+)$/.exec(url);
    if (model === null) return void response.writeHead(404).end();
    readFile(path.join(root, model[1], model[2]))
      .then((body) => response.writeHead(200, { 'content-type': model[2].endsWith('.json') ? 'application/json' : 'application/octet-stream' }).end(body))
      .catch(() => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  await rm(root, { recursive: true, force: true });
});

test('the saved models predict in headless Chromium what they predict in Node', { skip, timeout: 180_000 }, async () => {
  assert.ok(browser !== undefined);
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) problems.push(`foreign request ${r.url()}`);
  });
  try {
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => Reflect.get(globalThis, 'pageReady') === true);
    assert.equal(cases.length, 2);
    for (const c of cases) {
      const got: PagePrediction = await page.evaluate(([name, rows]) => Reflect.get(globalThis, 'predictWithModel')(name, rows), [path.basename(c.dir), c.rows] as const);
      const node = (await loadSavedModel(c.dir)).predict(c.rows);
      assert.equal(got.backend, 'cpu');
      assert.equal(got.task, node.task, c.name);
      assert.deepEqual(got.inputColumns, (await loadSavedModel(c.dir)).inputColumns);
      if (node.task === 'classification') {
        assert.deepEqual(got.labels, node.labels, `${c.name}: labels`);
        const diff = maxAbsDiff(got.probabilities ?? [], node.probabilities);
        assert.ok(diff < 1e-5, `${c.name}: probabilities differ by ${diff}`);
      } else {
        const diff = maxAbsDiff(got.values ?? [], node.values);
        assert.ok(diff < 1e-5 * Math.max(1, ...node.values.map(Math.abs)), `${c.name}: values differ by ${diff}`);
      }
    }
  } finally {
    await page.close();
  }
  assert.deepEqual(problems, []);
});
