/**
 * TensorFlow.js backend selection. metatune trains on whichever backend loads fastest:
 * `tensorflow-gpu` (`@tensorflow/tfjs-node-gpu`, libtensorflow with CUDA), `tensorflow`
 * (`@tensorflow/tfjs-node`, libtensorflow on the CPU), `webgpu` (`@tensorflow/tfjs-backend-webgpu`
 * on Dawn's `webgpu` package: Vulkan, Metal or D3D12; `auto` takes it only on a hardware GPU, a
 * software adapter only when asked for by name, see `webgpu.ts`), `wasm` (XNNPACK compiled to WebAssembly
 * with SIMD, single-threaded in Node; its `.wasm` binaries load offline from node_modules) or
 * `cpu` (pure JavaScript, always available). The native and WebGPU packages are optional peer
 * dependencies: when they are absent their dynamic import fails and `auto` moves on.
 */
import { tf } from './tf.ts';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { registerBlockKernels } from './block-kernels.ts';
import { registerBlockMatMul } from './block-matmul.ts';
import { registerFlatUpdate } from './flat-update.ts';
import { activateWebGpu, activeGpuAdapter, type GpuAdapter } from './webgpu.ts';

export { describeAdapter } from './webgpu.ts';

export type { GpuAdapter } from './webgpu.ts';

/** A backend a user can ask for; `auto` takes the fastest that loads. */
export type BackendPreference = 'auto' | BackendName;

/** A concrete backend. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** Every concrete backend, fastest first: the order `auto` tries them in. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** What {@link selectBackend} did. */
export interface BackendSelection {
  /** The backend now active in this thread. */
  readonly name: BackendName;
  /** tfjs's own name for it (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  readonly tfjsName: string;
  /** The GPU adapter, for `webgpu`. */
  readonly adapter?: GpuAdapter;
  /** Why each faster backend was skipped, when `auto` skipped any. */
  readonly skipped: readonly { readonly name: BackendName; readonly reason: string }[];
}

const NATIVE_PACKAGES: Readonly<Record<'tensorflow-gpu' | 'tensorflow', string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let active: BackendSelection | undefined;

/**
 * Checks a user-supplied backend name.
 * @param value - e.g. the value of `--backend`
 * @returns the value as a {@link BackendPreference}
 * @throws UsageError when it names no backend
 */
export function parseBackendPreference(value: string): BackendPreference {
  if (value === 'auto') return 'auto';
  const name = BACKEND_NAMES.find((candidate) => candidate === value);
  if (name === undefined) {
    throw new UsageError(`unknown backend '${value}'; expected one of auto, ${BACKEND_NAMES.join(', ')}`, {
      column: '--backend',
    });
  }
  return name;
}

/**
 * Makes a backend active in this thread (each worker thread selects its own). Selecting again
 * with the same preference is free.
 * @param preference - `auto` or a concrete backend
 * @returns which backend is active, and why faster ones were skipped
 * @throws UsageError when an explicitly requested backend cannot be loaded, with the reason
 */
export async function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendSelection> {
  if (active !== undefined && (preference === 'auto' || preference === active.name)) return active;
  tf.env().set('PROD', true);
  const candidates = preference === 'auto' ? BACKEND_NAMES : [preference];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of candidates) {
    const failure = await tryActivate(name, preference === 'auto');
    if (failure === undefined) {
      const adapter = name === 'webgpu' ? activeGpuAdapter() : undefined;
      active = { name, tfjsName: tf.getBackend(), skipped, ...(adapter === undefined ? {} : { adapter }) };
      return active;
    }
    skipped.push({ name, reason: failure });
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new UsageError(`backend '${preference}' is not available (${reasons})`, { column: '--backend' });
}

/** @returns the backend selected in this thread, if any */
export function activeBackend(): BackendSelection | undefined {
  return active;
}

/**
 * @param auto - whether `auto` is trying it (then `webgpu` needs a hardware adapter)
 * @returns undefined when the backend is now active, otherwise why it could not be
 */
async function tryActivate(name: BackendName, auto: boolean): Promise<string | undefined> {
  try {
    if (name === 'tensorflow-gpu' || name === 'tensorflow') return await activateNative(name);
    if (name === 'wasm') await activateWasm();
    if (name === 'webgpu') await activateWebGpu(auto ? 'hardware' : 'any');
    const ok = await tf.setBackend(name);
    // tf.setBackend can report success yet leave another backend running (tfjs's own webgpu
    // factory falls back silently): check what is active.
    if (!ok || tf.getBackend() !== name) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function activateNative(name: 'tensorflow-gpu' | 'tensorflow'): Promise<string | undefined> {
  const pkg = NATIVE_PACKAGES[name];
  try {
    await import(pkg);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `${pkg} could not be loaded (${message}); install it with 'npm install ${pkg}'`;
  }
  if (!(await tf.setBackend('tensorflow'))) return `${pkg} loaded but its backend did not initialise`;
  await tf.ready();
  return undefined;
}

let wasmRegistered = false;

/** Registers the wasm backend with its binaries read from node_modules (no network). */
async function activateWasm(): Promise<void> {
  if (wasmRegistered) return;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBinaryDirectory());
  registerBlockKernels(wasm);
  registerBlockMatMul(wasm);
  registerFlatUpdate(wasm);
  wasmRegistered = true;
}

/**
 * @returns the folder holding `tfjs-backend-wasm*.wasm`, with a trailing separator, as a file
 *   path: in Node, the Emscripten loader reads it with `fs.readFileSync`
 */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(packageJson), 'dist') + path.sep;
}
