/**
 * Worker-thread side of {@link TrainerPool}: selects its own backend, then trains the batches it
 * is sent with {@link trainBatch} and posts the outcomes (and per-epoch progress) back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseBackendPreference, selectBackend } from '../backend/index.ts';
import { trainBatch } from './index.ts';
import type { TrainOutcome, TrainRequest, TrainTask } from './types.ts';

/** Messages from the pool. */
export type PoolToWorker =
  | { readonly type: 'train'; readonly id: number; readonly task: TrainTask; readonly requests: readonly TrainRequest[]; readonly indices: readonly number[]; readonly keepModels: boolean }
  | { readonly type: 'abort'; readonly id: number };

/** Messages to the pool. */
export type WorkerToPool =
  | { readonly type: 'ready'; readonly backend: string }
  | { readonly type: 'epoch'; readonly id: number; readonly index: number; readonly epoch: number; readonly validLoss: number }
  | { readonly type: 'done'; readonly id: number; readonly outcomes: TrainOutcome[] }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly aborted: boolean };

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
const controllers = new Map<number, AbortController>();
const preference = parseBackendPreference(typeof workerData?.backend === 'string' ? workerData.backend : 'auto');

const post = (message: WorkerToPool) => port.postMessage(message);

try {
  const selection = await selectBackend(preference);
  post({ type: 'ready', backend: selection.name });
} catch (error) {
  post({ type: 'error', id: -1, message: error instanceof Error ? error.message : String(error), aborted: false });
}

port.on('message', (message: PoolToWorker) => {
  if (message.type === 'abort') {
    controllers.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(message.id, controller);
  trainBatch(message.task, message.requests, {
    keepModels: message.keepModels,
    signal: controller.signal,
    onEpoch: (k, epoch, validLoss) => post({ type: 'epoch', id: message.id, index: message.indices[k], epoch, validLoss }),
  })
    .then((outcomes) => post({ type: 'done', id: message.id, outcomes }))
    .catch((error: unknown) => post({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error), aborted: controller.signal.aborted }))
    .finally(() => controllers.delete(message.id));
});
