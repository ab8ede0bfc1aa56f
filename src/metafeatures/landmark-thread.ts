/**
 * Scores the landmarks on a worker thread while the calling thread computes the other groups.
 * One worker per process, started on first use and reused; it does not keep the process alive
 * while idle. The encoded sample crosses on a SharedArrayBuffer (no copy), the small per-row
 * arrays by structured clone; the worker runs the same {@link scoreLandmarks}, so the values are
 * the ones the calling thread would compute. Where no worker can run (a loader that does not reach
 * worker threads, a crash), the landmarks are scored on the calling thread instead.
 */
import { Worker, threadId } from 'node:worker_threads';
import { FeatureSink } from './types.ts';
import { scoreLandmarks, type LandmarkTask } from './landmarking.ts';
import { kernelsOn } from './simd-kernels.ts';

/** A request to the worker. */
export interface LandmarkRequest {
  readonly id: number;
  readonly task: LandmarkTask;
  /** Whether the kernels are on in the calling thread ({@link kernelsOn}). */
  readonly kernels: boolean;
}

/** The worker's answer: the landmark values and reasons, or the error it met. */
export interface LandmarkReply {
  readonly id: number;
  readonly values: Record<string, number | null>;
  readonly missing: Record<string, string>;
  /** Milliseconds the worker spent scoring. */
  readonly elapsed: number;
  /** The worker's `threadId`. */
  readonly thread: number;
  readonly error?: string;
}

/** Scored landmarks: the sink's content and the time spent. */
export interface ScoredLandmarks {
  readonly values: Record<string, number | null>;
  readonly missing: Record<string, string>;
  readonly elapsed: number;
  /** `threadId` of the thread that scored them (0: the main thread). */
  readonly thread: number;
}

interface Pending {
  readonly resolve: (reply: LandmarkReply) => void;
  readonly reject: (error: Error) => void;
}

let worker: Worker | null = null;
/** Set once a worker failed: later calls score on the calling thread. */
let unavailable = false;
let nextId = 0;
const pending = new Map<number, Pending>();

/**
 * Starts the worker. From TypeScript sources (run through tsx), the worker first registers tsx's
 * loader: hooks registered in this thread do not reach worker threads on Node 20.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./landmark-worker.js', import.meta.url));
  const loader = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./landmark-worker.ts', import.meta.url).href);
  return new Worker(`import(${loader}).then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true });
}

function fail(error: Error): void {
  unavailable = true;
  worker = null;
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

/**
 * Starts the landmark worker if it is not running yet (its start-up then overlaps the caller's
 * work, such as parsing the data). Optional: {@link scoreLandmarksConcurrently} starts it too.
 * @returns whether a worker is available
 */
export function warmLandmarkWorker(): boolean {
  if (worker !== null || unavailable) return worker !== null;
  try {
    const started = startWorker();
    started.unref();
    started.on('message', (reply: LandmarkReply) => {
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      p?.resolve(reply);
    });
    started.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    started.on('exit', (code) => fail(new Error(`the landmark worker exited with code ${code}`)));
    worker = started;
  } catch {
    unavailable = true;
  }
  return worker !== null;
}

function scoreHere(task: LandmarkTask): ScoredLandmarks {
  const start = performance.now();
  const sink = new FeatureSink();
  scoreLandmarks(task, sink);
  return { values: sink.values, missing: sink.missing, elapsed: performance.now() - start, thread: threadId };
}

/**
 * Scores a landmark task on the worker thread.
 * @param task - from `prepareLandmarks`; give it a SharedArrayBuffer-backed design matrix to avoid a copy
 * @returns a promise of the values and reasons a {@link FeatureSink} would hold after
 *   `scoreLandmarks(task, sink)`; scored on the calling thread (synchronously, before this
 *   returns) when no worker is available, and again there if the worker fails or reports an error
 *   (so an error is thrown with the calling thread's stack)
 */
export async function scoreLandmarksConcurrently(task: LandmarkTask): Promise<ScoredLandmarks> {
  if (!warmLandmarkWorker() || worker === null) return scoreHere(task);
  const active = worker;
  const id = nextId++;
  const reply = new Promise<LandmarkReply>((resolve, reject) => pending.set(id, { resolve, reject }));
  active.ref();
  const request: LandmarkRequest = { id, task, kernels: kernelsOn() };
  active.postMessage(request);
  try {
    const answer = await reply;
    if (answer.error === undefined) return answer;
  } catch {
    // the worker is gone: score here
  }
  return scoreHere(task);
}
