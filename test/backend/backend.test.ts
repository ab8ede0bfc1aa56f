import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/backend/tf.ts';
import { parseBackendPreference, selectBackend, wasmBinaryDirectory } from '../../src/backend/index.ts';
import { stackBlocks, takeBlocks } from '../../src/backend/block-kernels.ts';
import { blockMatMul } from '../../src/backend/block-matmul.ts';
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

test('auto skips the native backends (absent here) and webgpu (no hardware GPU here) with their reasons and lands on wasm', async () => {
  const selection = await selectBackend('auto');
  assert.equal(selection.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(selection.adapter, undefined);
  assert.deepEqual(selection.skipped.map((s) => s.name), ['tensorflow-gpu', 'tensorflow', 'webgpu']);
  assert.match(selection.skipped[1].reason, /npm install @tensorflow\/tfjs-node/);
  // A software adapter is never taken by auto; here there is no GPU at all.
  assert.match(selection.skipped[2].reason, /no hardware GPU adapter|software/);
});

test('cpu and wasm can be selected explicitly', async () => {
  assert.equal((await selectBackend('cpu')).name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal((await selectBackend('wasm')).name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test('unknown backend names are rejected', () => {
  assert.equal(parseBackendPreference('wasm'), 'wasm');
  assert.equal(parseBackendPreference('webgpu'), 'webgpu');
  assert.throws(() => parseBackendPreference('webgl'), UsageError);
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

for (const backend of ['wasm', 'cpu'] as const) {
  test(`blockMatMul and stackBlocks match per-block matMul and transpose (${backend})`, async () => {
    await selectBackend(backend);
    const before = tf.memory().numTensors;
    const a = tf.tensor1d(Float32Array.from({ length: 200 }, (_, i) => Math.sin(i)));
    const b = tf.tensor1d(Float32Array.from({ length: 300 }, (_, i) => Math.cos(i * 0.7)));
    const products = [
      { aOffset: 0, bOffset: 10, rows: 3, inner: 4, cols: 5 },
      { aOffset: 50, bOffset: 100, rows: 7, inner: 6, cols: 2 },
      { aOffset: 120, bOffset: 0, rows: 1, inner: 8, cols: 9 },
    ];
    // Equal shapes, operands back to back (models of equal widths): one batched matMul off wasm.
    const uniform = [0, 1, 2].map((k) => ({ aOffset: 20 + k * 12, bOffset: 30 + k * 20, rows: 3, inner: 4, cols: 5 }));
    for (const set of [products, uniform]) {
      const got = blockMatMul(a, b, set);
      const expected = tf.tidy(() => tf.concat(set.map((p) => {
        const left = tf.reshape(tf.slice(a, p.aOffset, p.rows * p.inner), [p.rows, p.inner]);
        const right = tf.reshape(tf.slice(b, p.bOffset, p.inner * p.cols), [p.inner, p.cols]);
        return tf.reshape(tf.matMul(left, right), [-1]);
      }), 0));
      assert.deepEqual(got.arraySync(), expected.arraySync());
      tf.dispose([got, expected]);
    }
    for (const blocks of [[{ offset: 3, rows: 4, cols: 5 }, { offset: 40, rows: 2, cols: 3 }], [{ offset: 10, rows: 3, cols: 4 }, { offset: 22, rows: 3, cols: 4 }]]) {
      const stacked = stackBlocks(a, blocks, true);
      const reference = tf.tidy(() => tf.concat(takeBlocks(a, blocks, true).map((t) => tf.reshape(t, [-1])), 0));
      assert.deepEqual(stacked.arraySync(), reference.arraySync());
      tf.dispose([stacked, reference]);
    }
    tf.dispose([a, b]);
    assert.equal(tf.memory().numTensors, before);
  });
}
