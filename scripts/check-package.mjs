#!/usr/bin/env node
// The package as a user gets it (run by .ci/run after npm test; `npm run test:package`):
//   1. `npm pack`: the tarball holds dist/ (JavaScript and declarations), bin/, the spaces, the
//      shipped database, README, LICENSE — and no TypeScript sources, tests, scripts, corpus or
//      benchmark reports;
//   2. installs it into a fresh temporary project (timed, node_modules measured);
//   3. runs README's library example (the ```js block after the marker
//      `<!-- package-check: library example -->`) with plain `node`, no loader, and checks that it
//      printed exactly the output README shows under it — nothing else on stdout or stderr;
//   4. runs the same library call in a host app that imported the @tensorflow/tfjs union first
//      (one shared TensorFlow.js instance: no "already registered" warnings, no banner);
//   4b. saves a model with `npx metatune evaluate --save-model`, and `import('metatune/predictor')`
//      loads it over HTTP with the host's tf.loadLayersModel and predicts what `metatune predict` does;
//   5. type-checks a strict TypeScript consumer (strict, module/moduleResolution nodenext, no
//      allowImportingTsExtensions, no skipLibCheck), metatune/predictor included;
//   6. runs `npx metatune recommend` on a CSV, and `--json`;
//   7. with better-sqlite3's native module missing (npm 12 without script approval), the CLI names the fix.
// Exits 1 at the first failed check, naming it. Prints `N passed, N failed` last.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { NPM_INSTALL, newConsumerProject } from './consumer-project.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'metatune-package-'));
const keep = process.argv.includes('--keep');
let passed = 0;
let failed = 0;

function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(error?.message ?? error).split('\n').join('\n  ')}`);
  }
}

function run(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  const seconds = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  return { ...result, seconds };
}

function mustSucceed(result, what) {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

function duMegabytes(path) {
  return Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) / 1024;
}

/** The README's library example and the output it shows. */
function readmeExample() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- package-check: library example -->');
  if (at < 0) throw new Error('README.md has no <!-- package-check: library example --> marker');
  const blocks = [...readme.slice(at).matchAll(/```(\w+)\n([\s\S]*?)```/g)].slice(0, 2);
  if (blocks.length < 2 || blocks[0][1] !== 'js' || blocks[1][1] !== 'text') throw new Error('expected a ```js block then a ```text block after the marker');
  return { code: blocks[0][2], output: blocks[1][2] };
}

// 1. Pack.
const pack = mustSucceed(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root }), 'npm pack');
const packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
const tarball = join(work, packed.filename);
const files = packed.files.map((f) => f.path);
console.log(`# tarball ${packed.filename}: ${files.length} files, ${(packed.size / 1e6).toFixed(2)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked`);
check('the tarball carries the compiled library, its types, the CLI, the spaces, the database, README and LICENSE', () => {
  for (const need of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/learners/worker.js', 'dist/metafeatures/landmark-worker.js',
    'dist/backend/tfjs-registrations.generated.js', 'dist/predictor/index.js', 'dist/predictor/index.d.ts', 'bin/metatune.js', 'search-spaces/mlp.json', 'meta-db/metatune.sqlite', 'README.md', 'LICENSE', 'package.json']) {
    if (!files.includes(need)) throw new Error(`missing ${need}`);
  }
});
check('the tarball carries no TypeScript source, test, script, CI file, corpus or benchmark report', () => {
  const stray = files.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || /^(src|test|scripts|\.ci|meta-db\/(corpus|bench))\//.test(f));
  if (stray.length > 0) throw new Error(`unexpected: ${stray.slice(0, 10).join(', ')}${stray.length > 10 ? ` and ${stray.length - 10} more` : ''}`);
});

// 2. Install into a fresh project.
const app = join(work, 'app');
newConsumerProject(app, 'metatune-consumer');
const install = mustSucceed(run('npm', [...NPM_INSTALL, tarball], { cwd: app }), 'npm install <tarball>');
console.log(`# install: ${install.seconds.toFixed(1)} s, node_modules ${duMegabytes(join(app, 'node_modules')).toFixed(0)} MB`);

// 3. README's library example with plain node.
const example = readmeExample();
writeFileSync(join(app, 'example.mjs'), example.code);
check("README's library example runs with plain node and prints exactly README's output", () => {
  const r = mustSucceed(run(process.execPath, ['example.mjs'], { cwd: app, env: { ...process.env, METATUNE_HOME: join(work, 'home') } }), 'node example.mjs');
  if (r.stderr !== '') throw new Error(`it wrote to stderr:\n${r.stderr}`);
  if (r.stdout !== example.output) throw new Error(`stdout differs from README\n--- got\n${r.stdout}--- README\n${example.output}`);
});

// 4. A host app with its own TensorFlow.js.
check('a host app that loaded @tensorflow/tfjs first shares it with metatune and gets no warnings', () => {
  mustSucceed(run('npm', [...NPM_INSTALL, '@tensorflow/tfjs@^4.22.0'], { cwd: app }), 'npm install @tensorflow/tfjs');
  writeFileSync(join(app, 'host.mjs'), `import * as tf from '@tensorflow/tfjs';
const before = tf.memory().numTensors;
const { loadDataset, extractMetaFeatures, openMetaStore, recommend, prepareTensorBackend } = await import('metatune');
await prepareTensorBackend();
const store = openMetaStore();
try {
  const { spaces } = recommend(store, extractMetaFeatures(await loadDataset('wdbc.csv')).values, { spaces: ['linear'], top: 1 });
  const mine = tf.tensor([1, 2, 3]).sum().dataSync()[0];
  process.stdout.write(JSON.stringify({ picks: spaces[0].top.length, backend: tf.getBackend(), mine, leaked: tf.memory().numTensors - before - 2 }) + '\\n');
} finally {
  store.close();
}
`);
  const r = mustSucceed(run(process.execPath, ['host.mjs'], { cwd: app, env: { ...process.env, METATUNE_HOME: join(work, 'home') } }), 'node host.mjs');
  if (r.stderr !== '') throw new Error(`warnings on stderr:\n${r.stderr.slice(0, 2000)}`);
  const out = JSON.parse(r.stdout);
  if (out.picks !== 1 || out.mine !== 6) throw new Error(`unexpected output ${r.stdout}`);
});

// 4b. A model shipped: saved by the CLI, loaded by metatune/predictor with the host's TensorFlow.js.
check("metatune/predictor loads a model saved by --save-model with tf.loadLayersModel and predicts what metatune predict does", () => {
  const env = { ...process.env, METATUNE_HOME: join(work, 'home') };
  mustSucceed(run('npx', ['--no-install', 'metatune', 'evaluate', 'wdbc.csv', '--space', 'linear', '--epochs', '3', '--backend', 'cpu', '--save-model', 'model'], { cwd: app, env }), 'metatune evaluate --save-model');
  const cli = JSON.parse(mustSucceed(run('npx', ['--no-install', 'metatune', 'predict', 'model', 'wdbc.csv', '--json'], { cwd: app, env }), 'metatune predict --json').stdout);
  writeFileSync(join(app, 'ship.mjs'), `import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
const { loadPredictor } = await import('metatune/predictor');
const server = createServer((req, res) => readFile('model/' + req.url.split('/').pop()).then((b) => res.end(b), () => res.writeHead(404).end()));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  const predictor = await loadPredictor(tf, 'http://127.0.0.1:' + server.address().port + '/model/');
  const rows = (await readFile('wdbc.csv', 'utf8')).trim().split('\\n').slice(1).map((line) => line.split(',').slice(0, -1));
  const p = await predictor.predict(rows);
  process.stdout.write(JSON.stringify({ columns: predictor.inputColumns.length, labels: p.labels }) + '\\n');
} finally {
  server.close();
}
`);
  const r = mustSucceed(run(process.execPath, ['ship.mjs'], { cwd: app, env }), 'node ship.mjs');
  const out = JSON.parse(r.stdout);
  const expected = cli.predictions.map((p) => p.predicted);
  if (out.columns !== 30 || JSON.stringify(out.labels) !== JSON.stringify(expected)) throw new Error(`labels differ from metatune predict\n${r.stdout.slice(0, 500)}`);
});

// 5. A strict TypeScript consumer.
check('a strict TypeScript consumer (nodenext, no skipLibCheck) type-checks against the published types', () => {
  const ts = JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')).version;
  const types = JSON.parse(readFileSync(join(root, 'node_modules/@types/node/package.json'), 'utf8')).version;
  mustSucceed(run('npm', [...NPM_INSTALL, `typescript@${ts}`, `@types/node@${types}`], { cwd: app }), 'npm install typescript');
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] },
    include: ['consumer.ts'],
  }, null, 2));
  writeFileSync(join(app, 'consumer.ts'), `import {
  loadDataset, extractMetaFeatures, openMetaStore, recommend, loadSearchSpace, evaluate, createStudy,
  InputError, DatasetError, type Dataset, type SearchSpace, type Evaluation, type MetaStore,
} from 'metatune';
import { loadPredictor, type Prediction, type TensorFlowLike, type TensorLike } from 'metatune/predictor';

/** A stand-in for TensorFlow.js with the shape metatune/predictor asks for (plain types, no tfjs). */
const tensor = (values: Float32Array): TensorLike => ({ data: async () => values, dispose: () => undefined });
const fakeTf: TensorFlowLike = { loadLayersModel: async () => ({ predict: (x) => x, dispose: () => undefined }), tensor2d: (values) => tensor(values) };

async function ship(): Promise<string> {
  const prediction: Prediction = await (await loadPredictor(fakeTf, 'model/')).predict([[1, 'a', null]]);
  return prediction.task === 'classification' ? prediction.labels[0] : String(prediction.values[0]);
}
void ship;

async function main(): Promise<number> {
  const dataset: Dataset = await loadDataset('wdbc.csv');
  const space: SearchSpace = loadSearchSpace('linear');
  const store: MetaStore = openMetaStore();
  try {
    const result = recommend(store, extractMetaFeatures(dataset).values, { spaces: ['linear'], top: 3 });
    const best: number = result.spaces[0].top[0].score;
    const evaluations: Evaluation[] = await evaluate(dataset, space, [space.defaultConfiguration()], { epochs: 2 });
    return best + (evaluations[0].primaryScore ?? 0) + (typeof createStudy === 'function' ? 1 : 0);
  } catch (error) {
    if (error instanceof DatasetError || error instanceof InputError) return -1;
    throw error;
  } finally {
    store.close();
  }
}
void main();
`);
  mustSucceed(run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app }), 'tsc');
});

// 6. The CLI through npx.
check('npx metatune recommend on a CSV', () => {
  const env = { ...process.env, METATUNE_HOME: join(work, 'home') };
  const text = mustSucceed(run('npx', ['--no-install', 'metatune', 'recommend', 'wdbc.csv', '--top', '2'], { cwd: app, env }), 'npx metatune recommend');
  if (!/space mlp/.test(text.stdout) || !/space linear/.test(text.stdout)) throw new Error(`unexpected output:\n${text.stdout}`);
  const json = mustSucceed(run('npx', ['--no-install', 'metatune', 'recommend', 'wdbc.csv', '--top', '2', '--json'], { cwd: app, env }), 'npx metatune recommend --json');
  const parsed = JSON.parse(json.stdout);
  if (JSON.stringify(parsed).length < 100) throw new Error('empty JSON');
});

// 7. better-sqlite3 not built (what npm 12 leaves when its install script is not approved).
check("without better-sqlite3's native module the CLI names the fix (exit 1, no stack trace)", () => {
  const addon = join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  renameSync(addon, `${addon}.away`);
  try {
    const r = run('npx', ['--no-install', 'metatune', 'recommend', 'wdbc.csv'], { cwd: app, env: { ...process.env, METATUNE_HOME: join(work, 'home') } });
    if (r.status !== 1) throw new Error(`exit ${r.status}, expected 1\n${r.stderr}`);
    if (!r.stderr.includes('npm install-scripts approve better-sqlite3') || /^\s+at /m.test(r.stderr) || /report this as a bug/.test(r.stderr)) {
      throw new Error(`unexpected message:\n${r.stderr}`);
    }
  } finally {
    renameSync(`${addon}.away`, addon);
  }
});

if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`# kept ${work}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
