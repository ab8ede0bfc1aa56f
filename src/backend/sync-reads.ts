/**
 * Synchronous reads on any backend. tfjs's WebGPU backend cannot read a tensor synchronously in
 * Node (its `dataSync` goes through an `OffscreenCanvas`), so small synchronous computations that
 * end in `dataSync` — a trained network's `predict` — run on the cpu backend while a GPU backend
 * is active, and the GPU backend is active again afterwards.
 */
import { tf } from './tf.ts';

/** tfjs backends whose `dataSync` does not work in Node. */
const ASYNC_READ_BACKENDS: ReadonlySet<string> = new Set(['webgpu']);

/**
 * Runs `fn` on a backend whose `dataSync` works: the active one, or cpu while a GPU backend is active.
 * @param fn - synchronous tensor code; tensors it keeps live on the backend it ran on
 * @returns what `fn` returns
 * @throws Error when the backend could not be switched synchronously
 */
export function withSyncReads<T>(fn: () => T): T {
  const current = tf.getBackend();
  if (!ASYNC_READ_BACKENDS.has(current)) return fn();
  switchNow('cpu');
  try {
    return fn();
  } finally {
    switchNow(current);
  }
}

/**
 * Switches to an initialised backend. tfjs's `setBackend` is async, but for a backend that is
 * registered with a synchronous factory (cpu, and metatune's webgpu registration) it completes
 * before returning its promise; that is checked.
 */
function switchNow(name: string): void {
  tf.setBackend(name).catch(() => undefined);
  if (tf.getBackend() !== name) throw new Error(`could not switch to the ${name} backend synchronously`);
}
