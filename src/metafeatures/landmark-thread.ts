/**
 * Scores the landmarks on worker threads while the calling thread computes the other groups.
 * Two workers per process (one on a single-core machine), started on first use and reused; they
 * do not keep the process alive while idle. With two, each scores one half of the landmarks
 * (`LandmarkPart`: the distance-based ones and the tree-based ones, of about equal cost). The encoded sample crosses on a SharedArrayBuffer (no copy), the small per-row
 * arrays by structured clone; the worker runs the same {@link scoreLandmarks}, so the values are
 * the ones the calling thread would compute. Where no worker can run (a loader that does not reach
 * worker threads, a crash), the landmarks are scored on the calling thread instead.
 */
import { availableParallelism } from 'node:os';
import { Worker, threadId } from 'node:worker_threads';
import { FeatureSink } from './types.ts';
import { LANDMARKING_FEATURES, scoreLandmarks, type LandmarkPart, type LandmarkTask } from './landmarking.ts';
import { kernelsOn } from './simd-kernels.ts';

/** A request to the worker. */
export interface LandmarkRequest {
  readonly id: number;
  readonly task: LandmarkTask;
  /** Which landmarks to score. */
  readonly part: LandmarkPart;
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

/** Workers a process starts: two halves of the landmarks in parallel, where there is more than one core. */
export const LANDMARK_WORKERS = availableParallelism() > 1 ? 2 : 1;

let workers: Worker[] = [];
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
  for (const w of workers) void w.terminate();
  workers = [];
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

/** In-flight requests per worker: a worker is referenced (keeps the process alive) only while it has some. */
const inFlight = new WeakMap<Worker, number>();

function track(w: Worker, delta: number): void {
  const n = (inFlight.get(w) ?? 0) + delta;
  inFlight.set(w, n);
  if (n > 0) w.ref();
  else w.unref();
}

/**
 * Starts the landmark workers if they are not running yet (their start-up then overlaps the
 * caller's work, such as parsing the data). Optional: {@link scoreLandmarksConcurrently} starts them too.
 * @returns whether workers are available
 */
export function warmLandmarkWorker(): boolean {
  if (workers.length > 0 || unavailable) return workers.length > 0;
  try {
    for (let i = 0; i < LANDMARK_WORKERS; i++) {
      const started = startWorker();
      started.unref();
      started.on('message', (reply: LandmarkReply) => {
        const p = pending.get(reply.id);
        pending.delete(reply.id);
        track(started, -1);
        p?.resolve(reply);
      });
      started.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
      started.on('exit', (code) => fail(new Error(`a landmark worker exited with code ${code}`)));
      workers.push(started);
    }
  } catch {
    fail(new Error('a landmark worker could not start'));
  }
  return workers.length > 0;
}

function scoreHere(task: LandmarkTask, part: LandmarkPart): ScoredLandmarks {
  const start = performance.now();
  const sink = new FeatureSink();
  scoreLandmarks(task, sink, part);
  return { values: sink.values, missing: sink.missing, elapsed: performance.now() - start, thread: threadId };
}

/** Scores one part on one worker; on the calling thread if the worker fails or reports an error. */
async function scoreOn(w: Worker, task: LandmarkTask, part: LandmarkPart): Promise<ScoredLandmarks> {
  const id = nextId++;
  const reply = new Promise<LandmarkReply>((resolve, reject) => pending.set(id, { resolve, reject }));
  track(w, 1);
  const request: LandmarkRequest = { id, task, part, kernels: kernelsOn() };
  w.postMessage(request);
  try {
    const answer = await reply;
    if (answer.error === undefined) return answer;
  } catch {
    // the worker is gone: score here
  }
  return scoreHere(task, part);
}

/**
 * Scores a landmark task on the worker threads: with two, each scores one half
 * ({@link LandmarkPart}) and the halves are merged in the group's name order.
 * @param task - from `prepareLandmarks`; give it a SharedArrayBuffer-backed design matrix to avoid a copy
 * @returns a promise of the values and reasons a {@link FeatureSink} would hold after
 *   `scoreLandmarks(task, sink)` (`elapsed`: the slower half; `thread`: the first worker's id);
 *   scored on the calling thread (synchronously, before this returns) when no worker is
 *   available, and again there if a worker fails or reports an error (so an error is thrown with
 *   the calling thread's stack)
 */
export async function scoreLandmarksConcurrently(task: LandmarkTask): Promise<ScoredLandmarks> {
  if (!warmLandmarkWorker() || workers.length === 0) return scoreHere(task, 'all');
  if (workers.length === 1) return scoreOn(workers[0], task, 'all');
  const halves = await Promise.all([scoreOn(workers[0], task, 'distances'), scoreOn(workers[1], task, 'trees')]);
  const values: Record<string, number | null> = {};
  const missing: Record<string, string> = {};
  for (const name of LANDMARKING_FEATURES) {
    for (const half of halves) {
      if (name in half.values) values[name] = half.values[name];
      if (name in half.missing) missing[name] = half.missing[name];
    }
  }
  return { values, missing, elapsed: Math.max(...halves.map((h) => h.elapsed)), thread: halves[0].thread };
}
