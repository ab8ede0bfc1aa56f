/**
 * A pool of worker threads, each with its own TensorFlow.js backend (the wasm backend is
 * single-threaded in Node, so parallelism comes from threads). A batch is split along fusion
 * groups — a large group is cut into pieces so that every worker gets work — and the pieces are
 * assigned longest-first to the least-loaded worker.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-threads.ts';
import type { BackendName } from '../backend/index.ts';
import { TrainingError } from '../errors.ts';
import { estimatedCost, planTraining, type PlannedRequest } from './grouping.ts';
import type { TrainBatchOptions, TrainOutcome, TrainRequest, TrainTask } from './types.ts';
import type { PoolToWorker, WorkerToPool } from './worker.ts';

/** Options of {@link TrainerPool}. */
export interface TrainerPoolOptions {
  /**
   * Worker threads (default: `os.availableParallelism()`; 1 for `webgpu`: one device trains many
   * fused models per step, and workers would only contend for it).
   */
  readonly workers?: number;
  /** Backend of every worker (default `auto`). */
  readonly backend?: BackendName | 'auto';
}

/**
 * @param backend - the workers' backend
 * @returns the default pool size: one worker per core, or one for a GPU backend
 */
export function defaultWorkers(backend: BackendName | 'auto'): number {
  return backend === 'webgpu' || backend === 'tensorflow-gpu' ? 1 : os.availableParallelism();
}

/** The workers' module (compiled `worker.js` in the package; see `startModuleWorker`). */
const WORKER_MODULE = new URL('./worker.ts', import.meta.url);

interface PoolWorker {
  readonly thread: Worker;
  readonly ready: Promise<string>;
}

/** Trains batches of requests on worker threads. */
export class TrainerPool {
  private readonly size: number;
  private readonly backend: BackendName | 'auto';
  private workers: PoolWorker[] | undefined;
  private nextId = 0;

  constructor(options: TrainerPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.workers ?? defaultWorkers(options.backend ?? 'auto')));
    this.backend = options.backend ?? 'auto';
  }

  /**
   * Trains the requests on the workers.
   * @param task - train and validation data (copied to each worker that gets work)
   * @param requests - the models
   * @param options - keep models, abort signal, progress callback
   * @returns one outcome per request, in order
   */
  async run(task: TrainTask, requests: readonly TrainRequest[], options: TrainBatchOptions = {}): Promise<TrainOutcome[]> {
    const workers = this.start();
    const pieces = this.pieces(task, requests);
    const outcomes: TrainOutcome[] = new Array(requests.length);
    let next = 0;
    await Promise.all(workers.map(async (worker) => {
      while (next < pieces.length) {
        const indices = pieces[next++];
        const results = await this.send(worker, task, indices, requests, options);
        indices.forEach((index, i) => (outcomes[index] = results[i]));
      }
    }));
    return outcomes;
  }

  /** @returns the backend each worker selected */
  async backends(): Promise<string[]> {
    return Promise.all(this.start().map((w) => w.ready));
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(workers.map((w) => w.thread.terminate()));
  }

  private start(): PoolWorker[] {
    if (this.workers !== undefined) return this.workers;
    this.workers = Array.from({ length: this.size }, () => {
      const thread = startModuleWorker(WORKER_MODULE, { workerData: { backend: this.backend } });
      const ready = new Promise<string>((resolve, reject) => {
        const onMessage = (message: WorkerToPool) => {
          if (message.type === 'ready') resolve(message.backend);
          if (message.type === 'error' && message.id === -1) reject(new TrainingError(`worker could not start: ${message.message}`));
          if (message.type === 'ready' || message.type === 'error') thread.off('message', onMessage);
        };
        thread.on('message', onMessage);
        thread.once('error', reject);
      });
      ready.catch(() => undefined);
      return { thread, ready };
    });
    return this.workers;
  }

  /**
   * Splits request indices into pieces, most expensive first, that idle workers take in turn (a
   * worker that finishes early takes the next piece instead of waiting for the others' share).
   * Fusion groups stay whole unless there are fewer groups than workers; invalid requests come last.
   */
  private pieces(task: TrainTask, requests: readonly TrainRequest[]): number[][] {
    const plan = planTraining(requests, task.train.nRows);
    const nOutputs = task.task === 'classification' ? task.nClasses : 1;
    const cost = (p: PlannedRequest) => estimatedCost(p.spec, task.train.nCols, nOutputs, task.train.nRows);
    let pieces = plan.groups.map((g) => ({ members: g, cost: g.reduce((s, p) => s + cost(p), 0) }));
    while (pieces.length < this.size) {
      pieces.sort((a, b) => b.cost - a.cost);
      const largest = pieces[0];
      if (largest.members.length < 2) break;
      const half = Math.ceil(largest.members.length / 2);
      const split = [largest.members.slice(0, half), largest.members.slice(half)];
      pieces = [...pieces.slice(1), ...split.map((members) => ({ members, cost: members.reduce((s, p) => s + cost(p), 0) }))];
    }
    pieces.sort((a, b) => b.cost - a.cost);
    const out = pieces.map((piece) => piece.members.map((p) => p.index).sort((a, b) => a - b));
    if (plan.invalid.length > 0) out.push(plan.invalid.map((i) => i.index));
    return out;
  }

  private async send(worker: PoolWorker, task: TrainTask, indices: readonly number[], requests: readonly TrainRequest[], options: TrainBatchOptions): Promise<TrainOutcome[]> {
    await worker.ready;
    const id = this.nextId++;
    const { thread } = worker;
    return new Promise<TrainOutcome[]>((resolve, reject) => {
      const onAbort = () => thread.postMessage({ type: 'abort', id } satisfies PoolToWorker);
      const cleanup = () => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onMessage = (message: WorkerToPool) => {
        if (message.type === 'epoch' && message.id === id) options.onEpoch?.(message.index, message.epoch, message.validLoss);
        if ((message.type !== 'done' && message.type !== 'error') || message.id !== id) return;
        cleanup();
        if (message.type === 'done') resolve(message.outcomes);
        else reject(message.aborted && options.signal?.aborted ? options.signal.reason : new TrainingError(`training worker failed: ${message.message}`));
      };
      thread.on('message', onMessage);
      thread.once('error', onError);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const message: PoolToWorker = { type: 'train', id, task, requests: indices.map((i) => requests[i]), indices, keepModels: options.keepModels ?? false };
      thread.postMessage(message);
    });
  }
}
