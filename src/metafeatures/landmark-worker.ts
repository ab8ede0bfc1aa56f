/**
 * Entry point of a landmark worker thread (see `landmark-thread.ts`): claims parts of each task it
 * is sent, scores them with the same code as the calling thread and answers with the sink's
 * content and the parts it scored.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { FeatureSink } from './types.ts';
import { useKernels } from './simd-kernels.ts';
import { claimAndScore, type LandmarkReply, type LandmarkRequest } from './landmark-thread.ts';

const port = parentPort;
port?.on('message', (request: LandmarkRequest) => {
  const start = performance.now();
  const sink = new FeatureSink();
  let reply: LandmarkReply;
  try {
    useKernels(request.kernels);
    const parts = claimAndScore(request.task, request.parts, request.claim, sink);
    reply = { id: request.id, values: sink.values, missing: sink.missing, elapsed: performance.now() - start, thread: threadId, parts };
  } catch (error) {
    reply = { id: request.id, values: {}, missing: {}, elapsed: 0, thread: threadId, parts: [], error: String(error) };
  }
  port.postMessage(reply);
});
