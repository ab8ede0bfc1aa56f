/**
 * `metatune/predictor` is safe to ship to a browser: the package exports it; its compiled module
 * graph bundles for platform=browser (no `node:` module, no better-sqlite3, no TensorFlow.js: the
 * page brings its own), and its declarations reach no tfjs type.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePredictor, PREDICTOR_ENTRY } from './bundle.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('package.json exports metatune/predictor from dist/predictor', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.exports['./predictor'], { types: './dist/predictor/index.d.ts', import: './dist/predictor/index.js' });
});

test('the compiled predictor bundles for the browser with no Node built-in, no native module and no tfjs', async () => {
  const { code, metafile } = await bundlePredictor();
  const inputs = Object.keys(metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith('dist/predictor/index.js')), inputs.join(', '));
  assert.deepEqual(inputs.filter((f) => /^node:|better-sqlite3|@tensorflow|node_modules/.test(f)), []);
  for (const input of Object.values(metafile.inputs)) {
    assert.deepEqual(input.imports.filter((i) => i.path.startsWith('node:') || i.external === true), [], 'nothing left external');
  }
  assert.doesNotMatch(code, /\bprocess\.|\bBuffer\b|\brequire\(/);
  assert.ok(code.length < 100_000, `bundle is ${code.length} bytes`);
});

test("the predictor's declarations reach no TensorFlow.js type and no Node type", () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(text, /@tensorflow|from ['"]node:|NodeJS\.|\bBuffer\b/, file);
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) visit(path.resolve(path.dirname(file), m[1].replace(/\.js$/, '.d.ts')));
  };
  visit(PREDICTOR_ENTRY.replace(/\.js$/, '.d.ts'));
  assert.ok(seen.size >= 4, [...seen].join(', '));
});
