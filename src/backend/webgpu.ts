/**
 * The `webgpu` backend: TensorFlow.js's WebGPU backend (`@tensorflow/tfjs-backend-webgpu`) on
 * Dawn's Node binding (the `webgpu` package), which reaches the GPU through Vulkan, Metal or
 * D3D12. Both packages are optional peers; where they do not load, the backend is unavailable
 * with the reason.
 *
 * metatune requests the adapter and the device itself and registers the tfjs backend on that
 * device, so a missing adapter is an error with its reason, never tfjs's silent fallback to cpu
 * (its own factory logs and leaves `tf.getBackend()` saying `webgpu`).
 *
 * Two kinds of adapter:
 * - `hardware`: the platform's default Dawn backend, high-performance preference; an adapter that
 *   is a software rasteriser (llvmpipe, lavapipe, SwiftShader, WARP) is refused. `auto` uses only
 *   this kind.
 * - `any` (asked for by name, `--backend webgpu`): a hardware adapter when there is one, otherwise
 *   Dawn's OpenGL ES "compatibility" adapter, which on Linux runs on Mesa's llvmpipe without a
 *   display (`EGL_PLATFORM=surfaceless`, set here when unset). It proves the code, not the speed.
 *
 * Dawn's native code writes a few warnings to the process's stderr that JavaScript cannot
 * intercept; to keep a library run quiet the Vulkan loader's presence is checked before Dawn is
 * asked for a Vulkan adapter (Dawn prints "Couldn't load Vulkan" otherwise).
 */
import { tf } from './tf.ts';
import fs from 'node:fs';
import path from 'node:path';

/** The GPU adapter a `webgpu` backend runs on, as Dawn describes it. */
export interface GpuAdapter {
  /** e.g. `nvidia`, `amd`, `intel`, `apple`; empty when Dawn does not say. */
  readonly vendor: string;
  /** e.g. `ampere`, `rdna-3`; empty when Dawn does not say. */
  readonly architecture: string;
  /** The device's name (`NVIDIA H100 80GB HBM3`, `llvmpipe (LLVM 15.0.6, 256 bits)`...). */
  readonly device: string;
  /** Driver description. */
  readonly description: string;
  /** Dawn's backend: `vulkan`, `metal`, `d3d12`, `opengles`. */
  readonly api: string;
  /** Whether the adapter is a software rasteriser on the CPU. */
  readonly software: boolean;
}

/** Which adapters {@link activateWebGpu} accepts. */
export type AdapterRequirement = 'hardware' | 'any';

/** The subset of the WebGPU API used here (the `webgpu` package's types are not a dependency of the public API). */
interface AdapterLike {
  readonly info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  requestDevice(descriptor: object): Promise<DeviceLike>;
}
interface DeviceLike {
  destroy(): void;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<AdapterLike | null>;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/**
 * The running backend. `gpu` is Dawn's instance: it must stay referenced as long as the device is
 * used (when it is collected, Dawn frees the instance while its event loop still polls it).
 */
let active: { adapter: GpuAdapter; device: DeviceLike; gpu: GpuLike } | undefined;

/**
 * Starts the WebGPU backend on an adapter and registers it with tfjs as `webgpu` (idempotent once
 * it succeeded). Does not make it the active backend.
 * @param requirement - `hardware` refuses software adapters; `any` also takes one (Dawn's OpenGL ES
 *   compatibility adapter when the platform's own API has none)
 * @returns the adapter
 * @throws Error with the reason when the packages do not load or no acceptable adapter exists
 */
export async function activateWebGpu(requirement: AdapterRequirement): Promise<GpuAdapter> {
  if (active !== undefined) {
    if (requirement === 'hardware' && active.adapter.software) throw new Error(softwareRefusal(active.adapter));
    return active.adapter;
  }
  const dawn = await importOptional('webgpu');
  const native = await requestNative(dawn);
  if (requirement === 'hardware' && (native.adapter === undefined || native.adapter.adapter.software)) {
    throw new Error(native.adapter === undefined ? native.reason : softwareRefusal(native.adapter.adapter));
  }
  const found = native.adapter ?? (await requestCompatibility(dawn, native.reason));
  const device = await found.raw.requestDevice(deviceDescriptor(found.raw));
  try {
    await registerTfjsBackend(dawn, device, found.raw.info);
  } catch (error) {
    device.destroy();
    throw error;
  }
  active = { adapter: found.adapter, device, gpu: found.gpu };
  return found.adapter;
}

/**
 * @param adapter - an adapter
 * @returns one line for people: `NVIDIA H100 80GB HBM3 (nvidia hopper, vulkan)`, `llvmpipe-… (opengles, software)`
 */
export function describeAdapter(adapter: GpuAdapter): string {
  const details = [[adapter.vendor, adapter.architecture].filter((s) => s !== '').join(' '), adapter.api, adapter.software ? 'software' : ''];
  return `${adapter.device || adapter.description || 'unnamed adapter'} (${details.filter((s) => s !== '').join(', ')})`;
}

/** @returns the adapter of the started WebGPU backend, if any */
export function activeGpuAdapter(): GpuAdapter | undefined {
  return active?.adapter;
}

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: object;
}

async function importOptional(name: 'webgpu'): Promise<DawnModule> {
  try {
    const module: unknown = await import(name);
    if (!isDawnModule(module)) throw new Error('it exports no create() and globals');
    return module;
  } catch (error) {
    throw new Error(`the '${name}' package could not be loaded (${firstLine(error)}); install it with 'npm install webgpu @tensorflow/tfjs-backend-webgpu'`);
  }
}

function isDawnModule(value: unknown): value is DawnModule {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'create') === 'function' && typeof Reflect.get(value, 'globals') === 'object';
}

interface FoundAdapter {
  readonly gpu: GpuLike;
  readonly raw: AdapterLike;
  readonly adapter: GpuAdapter;
}

/** The platform's own API (Vulkan, Metal, D3D12), high-performance adapter. */
async function requestNative(dawn: DawnModule): Promise<{ adapter?: FoundAdapter; reason: string }> {
  const api = process.platform === 'darwin' ? 'metal' : process.platform === 'win32' ? 'd3d12' : 'vulkan';
  if (api === 'vulkan' && !vulkanLoaderPresent()) return { reason: 'no Vulkan loader (libvulkan.so.1) on this machine, so no hardware GPU adapter' };
  if (api === 'vulkan' && !gpuDeviceNodePresent()) return { reason: 'no GPU device node (/dev/dri/renderD*, /dev/nvidia*, /dev/dxg) on this machine, so no hardware GPU adapter' };
  const gpu = dawn.create([`backend=${api}`]);
  const raw = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (raw === null) return { reason: `Dawn found no ${api} GPU adapter` };
  return { adapter: { gpu, raw, adapter: describe(raw, api) }, reason: '' };
}

/** Dawn's OpenGL ES compatibility adapter (Mesa's llvmpipe on Linux, no display needed). */
async function requestCompatibility(dawn: DawnModule, hardwareReason: string): Promise<FoundAdapter> {
  if (process.platform === 'linux') process.env.EGL_PLATFORM ??= 'surfaceless';
  const gpu = dawn.create(['backend=opengles']);
  const raw = await gpu.requestAdapter({ featureLevel: 'compatibility' });
  if (raw === null) {
    throw new Error(`no WebGPU adapter: ${hardwareReason}; and no OpenGL ES adapter either (on Debian: apt-get install libegl-mesa0 libgl1-mesa-dri)`);
  }
  return { gpu, raw, adapter: describe(raw, 'opengles') };
}

function describe(raw: AdapterLike, api: string): GpuAdapter {
  const info = raw.info;
  const text = (value: string | undefined) => (value ?? '').trim();
  const device = text(info.device).replace(/-+$/, '');
  const description = text(info.description);
  const software = info.isFallbackAdapter === true || SOFTWARE_NAMES.test(`${device} ${description}`);
  return { vendor: text(info.vendor), architecture: text(info.architecture), device, description, api, software };
}

function softwareRefusal(adapter: GpuAdapter): string {
  return `the only WebGPU adapter is a software one (${adapter.device || adapter.description}); ask for it by name with --backend webgpu`;
}

/** Asks for the adapter's own limits where tfjs benefits (as tfjs's factory does). */
function deviceDescriptor(adapter: AdapterLike): object {
  const names = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];
  const requiredLimits = Object.fromEntries(names.map((name) => [name, adapter.limits[name]]).filter(([, v]) => typeof v === 'number'));
  const requiredFeatures = ['timestamp-query'].filter((f) => adapter.features.has(f));
  return { requiredLimits, requiredFeatures };
}

/**
 * Imports tfjs's WebGPU backend (after `navigator.gpu` exists, which its kernels check at import)
 * and registers it on our device under tfjs's name `webgpu`, replacing its own factory.
 */
async function registerTfjsBackend(dawn: DawnModule, device: DeviceLike, info: object): Promise<void> {
  installNavigatorGpu();
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  let backendModule: { WebGPUBackend: new (device: never, info: never) => tf.KernelBackend };
  try {
    backendModule = await import('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    throw new Error(`@tensorflow/tfjs-backend-webgpu could not be loaded (${firstLine(error)}); install it with 'npm install @tensorflow/tfjs-backend-webgpu'`);
  }
  const { WebGPUBackend } = backendModule;
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device as never, info as never), 3);
}

/**
 * tfjs's WebGPU backend checks that `navigator.gpu` exists (and reads the WebGPU constants,
 * `GPUBufferUsage`..., installed from Dawn's globals beside it). The `gpu` object installed is a placeholder holding no Dawn instance: a live
 * instance on the global would keep Node from exiting.
 */
function installNavigatorGpu(): void {
  const globals = globalThis as { navigator?: { gpu?: unknown } };
  if (globals.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  const navigator = globals.navigator;
  if (navigator !== undefined && navigator.gpu === undefined) {
    Object.defineProperty(navigator, 'gpu', { value: { requestAdapter: async () => null }, configurable: true, writable: true });
  }
}

/** Whether the dynamic linker can find the Vulkan loader (Linux; its cache or LD_LIBRARY_PATH). */
function vulkanLoaderPresent(): boolean {
  const name = 'libvulkan.so.1';
  const directories = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '');
  if (directories.some((d) => fs.existsSync(path.join(d, name)))) return true;
  try {
    return fs.readFileSync('/etc/ld.so.cache').includes(name);
  } catch {
    return ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'].some((d) => fs.existsSync(path.join(d, name)));
  }
}

/**
 * Whether Linux exposes a GPU: a DRM render node (Mesa's drivers, AMD, Intel), NVIDIA's device
 * nodes or WSL2's `/dev/dxg`. Without one Dawn could only find a software Vulkan driver (lavapipe), so it is not asked:
 * asking makes Dawn print warnings about that driver's limits.
 */
function gpuDeviceNodePresent(): boolean {
  const entries = (directory: string) => {
    try {
      return fs.readdirSync(directory);
    } catch {
      return [];
    }
  };
  return entries('/dev/dri').some((name) => name.startsWith('renderD')) || entries('/dev').some((name) => /^nvidia\d+$|^dxg$/.test(name));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
