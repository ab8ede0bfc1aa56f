/**
 * CPU time per tfjs kernel, for the development profiles (`bench-trainer-profile.ts`,
 * `profile-build-workload.ts`): wraps the engine's `runKernel` and returns a report printer.
 */
import { tf } from '../src/backend/tf.ts';

/**
 * Starts timing every kernel call (CPU time of this process).
 * @returns prints the kernels by CPU time (the `top` most costly) and the process's CPU since the call
 */
export function timeKernels(): (top?: number) => void {
  const timing = new Map<string, { calls: number; ms: number }>();
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  engine.runKernel = ((name: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => {
    const t0 = process.cpuUsage();
    const out = original(name, inputs, attrs);
    const used = process.cpuUsage(t0);
    const entry = timing.get(name) ?? { calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += (used.user + used.system) / 1000;
    timing.set(name, entry);
    return out;
  }) as typeof engine.runKernel;
  const start = process.cpuUsage();
  return (top = Infinity) => {
    const usage = process.cpuUsage(start);
    let kernels = 0;
    for (const [name, e] of [...timing.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) {
      kernels += e.ms;
      console.log(name.padEnd(28), `${e.ms.toFixed(0).padStart(7)} ms ${String(e.calls).padStart(8)} calls ${((e.ms / e.calls) * 1000).toFixed(1).padStart(8)} us/call`);
    }
    console.log(`total CPU ${((usage.user + usage.system) / 1000).toFixed(0)} ms, listed kernels ${kernels.toFixed(0)} ms`);
  };
}
