import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { parseBackendPreference, selectBackend, takeBlocks, wasmBinaryDirectory } from '../../src/backend/index.ts';
import { UsageError } from '../../src/errors.ts';
import { existsSync } from 'node:fs';

test('the wasm binaries are found in node_modules, as file paths', () => {
  const dir = wasmBinaryDirectory();
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) assert.ok(existsSync(dir + name), name);
});

test('an unavailable native backend, asked for explicitly, is a clear error naming the package', async () => {
  await assert.rejects(selectBackend('tensorflow'), (error: unknown) => error instanceof UsageError && /@tensorflow\/tfjs-node/.test(error.message));
  await assert.rejects(selectBackend('tensorflow-gpu'), /tfjs-node-gpu/);
});

test('auto skips the native backends (absent here) with their reasons and lands on wasm', async () => {
  const selection = await selectBackend('auto');
  assert.equal(selection.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(selection.skipped.map((s) => s.name), ['tensorflow-gpu', 'tensorflow']);
  assert.match(selection.skipped[1].reason, /npm install @tensorflow\/tfjs-node/);
});

test('cpu and wasm can be selected explicitly', async () => {
  assert.equal((await selectBackend('cpu')).name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal((await selectBackend('wasm')).name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test('unknown backend names are rejected', () => {
  assert.equal(parseBackendPreference('wasm'), 'wasm');
  assert.throws(() => parseBackendPreference('webgpu'), UsageError);
});

for (const backend of ['wasm', 'cpu'] as const) {
  test(`takeBlocks copies and transposes blocks exactly like slice/transpose (${backend})`, async () => {
    await selectBackend(backend);
    const before = tf.memory().numTensors;
    const x = tf.tensor1d(Float32Array.from({ length: 40 }, (_, i) => i * 1.5 - 7));
    const blocks = [{ offset: 0, rows: 2, cols: 3 }, { offset: 6, rows: 4, cols: 5 }, { offset: 30, rows: 1, cols: 10 }];
    const plain = takeBlocks(x, blocks);
    const transposed = takeBlocks(x, blocks, true);
    blocks.forEach((b, i) => tf.tidy(() => {
      const expected = tf.reshape(tf.slice(x, b.offset, b.rows * b.cols), [b.rows, b.cols]);
      assert.deepEqual(plain[i].arraySync(), expected.arraySync());
      assert.deepEqual(transposed[i].arraySync(), tf.transpose(expected).arraySync());
    }));
    tf.dispose([x, ...plain, ...transposed]);
    assert.equal(tf.memory().numTensors, before);
  });
}
