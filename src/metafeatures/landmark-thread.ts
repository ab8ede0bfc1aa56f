/**
 * Scores the landmarks on worker threads while the calling thread computes the other groups.
 * The landmarks come in three parts of unequal cost that share no work ({@link LANDMARK_PARTS},
 * most expensive first); the threads claim them one at a time from a shared counter (an atomic
 * add on a SharedArrayBuffer, so no thread waits for a message to get its next part): the workers
 * from the start, the calling thread once it has finished the other groups
 * ({@link LandmarkRun.finish}). A process starts one worker per core beyond the first (at least
 * one, at most one per part), on first use, and reuses them; they do not keep the process alive
 * while idle. On two cores that is one worker: it takes the tree part while the calling thread
 * computes the other groups, and whichever is free first takes the next part — two threads on two
 * cores, instead of three threads sharing them. The encoded sample crosses on a SharedArrayBuffer
 * (no copy), the small per-row arrays by structured clone; every thread runs the same
 * {@link scoreLandmarks}, so the values are the ones the calling thread alone would compute. Where
 * no worker can run (a loader that does not reach worker threads, a crash), or a worker fails or
 * reports an error, the parts no thread delivered are scored on the calling thread.
 */
import { availableParallelism } from 'node:os';
import { threadId, type Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-threads.ts';
import { FeatureSink } from './types.ts';
import { LANDMARKING_FEATURES, LANDMARK_PARTS, scoreLandmarks, type LandmarkPart, type LandmarkTask } from './landmarking.ts';
import { kernelsOn } from './simd-kernels.ts';

/** A request to the worker. */
export interface LandmarkRequest {
  readonly id: number;
  readonly task: LandmarkTask;
  /** The parts to claim, in order. */
  readonly parts: readonly LandmarkPart[];
  /** Shared claim counter (one 32-bit integer): a thread scores `parts[Atomics.add(claim, 0, 1)]` while that is a part. */
  readonly claim: Int32Array;
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
  /** The parts it scored (all of them in `values` and `missing`). */
  readonly parts: readonly LandmarkPart[];
  readonly error?: string;
}

/** Scored landmarks: the sink's content and the time spent. */
export interface ScoredLandmarks {
  readonly values: Record<string, number | null>;
  readonly missing: Record<string, string>;
  readonly elapsed: number;
  /** Per part scored, the `threadId` of the thread that scored it (0: the main thread). */
  readonly threads: Partial<Record<LandmarkPart, number>>;
}

interface Pending {
  readonly resolve: (reply: LandmarkReply) => void;
  readonly reject: (error: Error) => void;
}

/** Workers a process starts: one per core beyond the calling thread's, at least one, at most one per part. */
export const LANDMARK_WORKERS = Math.min(LANDMARK_PARTS.length, Math.max(1, availableParallelism() - 1));

let workers: Worker[] = [];
/** Set once a worker failed: later calls score on the calling thread. */
let unavailable = false;
let nextId = 0;
const pending = new Map<number, Pending>();

/** Starts a worker (compiled `landmark-worker.js` in the package; see `startModuleWorker`). */
function startWorker(): Worker {
  return startModuleWorker(new URL('./landmark-worker.ts', import.meta.url));
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
 * caller's work, such as parsing the data). Optional: {@link startLandmarks} starts them too.
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

/**
 * Stops the landmark workers (a later call starts them again). Idle workers do not keep a process
 * alive, but a test runner or a host that wants every thread gone at once calls this.
 * @returns when every worker has exited
 */
export async function closeLandmarkWorkers(): Promise<void> {
  const closing = workers;
  workers = [];
  for (const w of closing) w.removeAllListeners('exit');
  await Promise.all(closing.map((w) => w.terminate()));
  for (const p of pending.values()) p.reject(new Error('the landmark workers were closed'));
  pending.clear();
}

/** Scores the parts claimed from `claim` into `sink`. @returns the parts scored */
export function claimAndScore(task: LandmarkTask, parts: readonly LandmarkPart[], claim: Int32Array, sink: FeatureSink): LandmarkPart[] {
  const done: LandmarkPart[] = [];
  for (let k = Atomics.add(claim, 0, 1); k < parts.length; k = Atomics.add(claim, 0, 1)) {
    scoreLandmarks(task, sink, parts[k]);
    done.push(parts[k]);
  }
  return done;
}

/** Landmarks being scored on the workers; {@link finish} has the calling thread join in. */
export interface LandmarkRun {
  /**
   * Scores the parts no worker has claimed yet on the calling thread, then waits for the workers.
   * @returns the values and reasons a {@link FeatureSink} would hold after `scoreLandmarks(task, sink)`
   *   (`elapsed`: the longest time one thread spent scoring)
   */
  finish(): Promise<ScoredLandmarks>;
  /** How many parts no thread has claimed yet. */
  unclaimed(): number;
}

/**
 * Starts scoring a landmark task on the workers.
 * @param task - from `prepareLandmarks`; give it a SharedArrayBuffer-backed design matrix to avoid a copy
 * @returns the run: call `finish` once the calling thread is free
 */
export function startLandmarks(task: LandmarkTask): LandmarkRun {
  const parts: readonly LandmarkPart[] = LANDMARK_PARTS;
  const claim = new Int32Array(new SharedArrayBuffer(4));
  const replies = warmLandmarkWorker() ? workers.map((w) => askWorker(w, { id: nextId++, task, parts, claim, kernels: kernelsOn() })) : [];
  return {
    unclaimed: () => Math.max(0, parts.length - Atomics.load(claim, 0)),
    async finish(): Promise<ScoredLandmarks> {
      const here = new FeatureSink();
      const start = performance.now();
      const mine = claimAndScore(task, parts, claim, here);
      let elapsed = performance.now() - start;
      const threads: Partial<Record<LandmarkPart, number>> = {};
      for (const part of mine) threads[part] = threadId;
      const delivered = (await Promise.all(replies)).filter((r): r is LandmarkReply => r !== null);
      for (const reply of delivered) {
        for (const part of reply.parts) threads[part] = reply.thread;
        elapsed = Math.max(elapsed, reply.elapsed);
      }
      // Parts claimed by a worker that failed: scored here.
      const lost = parts.filter((part) => !(part in threads));
      if (lost.length > 0) {
        const again = performance.now();
        for (const part of lost) {
          scoreLandmarks(task, here, part);
          threads[part] = threadId;
        }
        elapsed = Math.max(elapsed, performance.now() - again);
      }
      const values: Record<string, number | null> = {};
      const missing: Record<string, string> = {};
      for (const name of LANDMARKING_FEATURES) {
        for (const from of [here, ...delivered]) {
          if (name in from.values) values[name] = from.values[name];
          if (name in from.missing) missing[name] = from.missing[name];
        }
      }
      return { values, missing, elapsed, threads };
    },
  };
}

/** Sends a request to a worker. @returns its reply, or null when it failed or reported an error */
async function askWorker(w: Worker, request: LandmarkRequest): Promise<LandmarkReply | null> {
  const reply = new Promise<LandmarkReply>((resolve, reject) => pending.set(request.id, { resolve, reject }));
  track(w, 1);
  w.postMessage(request);
  try {
    const answer = await reply;
    return answer.error === undefined ? answer : null;
  } catch {
    return null; // the worker is gone
  }
}
