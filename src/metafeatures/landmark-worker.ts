/**
 * Entry point of a landmark worker thread (see `landmark-thread.ts`): scores the part of each task
 * it is sent with the same code as the calling thread and answers with the sink's content.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { FeatureSink } from './types.ts';
import { scoreLandmarks } from './landmarking.ts';
import { useKernels } from './simd-kernels.ts';
import type { LandmarkReply, LandmarkRequest } from './landmark-thread.ts';

const port = parentPort;
port?.on('message', (request: LandmarkRequest) => {
  const start = performance.now();
  const sink = new FeatureSink();
  let reply: LandmarkReply;
  try {
    useKernels(request.kernels);
    scoreLandmarks(request.task, sink, request.part);
    reply = { id: request.id, values: sink.values, missing: sink.missing, elapsed: performance.now() - start, thread: threadId };
  } catch (error) {
    reply = { id: request.id, values: {}, missing: {}, elapsed: 0, thread: threadId, error: String(error) };
  }
  port.postMessage(reply);
});
