/**
 * Starting a worker thread on one of metatune's own modules, compiled or not. The published
 * package runs compiled JavaScript (`dist/`), and a worker is started on the sibling `.js` file
 * directly. Run from the TypeScript sources (tests and scripts, through tsx), the worker first
 * registers tsx's loader: on Node 20 the loader hooks of the parent thread do not reach workers.
 * tsx is a development dependency; the compiled package never resolves it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module given as the URL of its `.ts` source beside the caller.
 * @param moduleUrl - `new URL('./worker.ts', import.meta.url)` from the calling module
 * @param options - the worker's options (`workerData`, ...); `eval` is set here when needed
 * @returns the worker
 */
export function startModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) throw new Error(`startModuleWorker expects the URL of a .ts module, got ${moduleUrl.href}`);
  const compiled = !import.meta.url.endsWith('.ts');
  if (compiled) return new Worker(new URL(moduleUrl.href.replace(/\.ts$/, '.js')), options);
  const loader = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(moduleUrl.href);
  return new Worker(`import(${loader}).then((tsx) => { tsx.register(); return import(${entry}); });`, { ...options, eval: true });
}
