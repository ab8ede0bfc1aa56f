/**
 * Runs the readers' and the space parser's fuzz properties (test/fuzz/reader-properties.ts) for
 * longer than `npm test` does, and prints what ran.
 *
 *   node --import tsx scripts/fuzz-readers.ts [--runs N] [--seed S] [--only substring]
 *
 * `--runs N` is the number of cases per unit of weight (default 2000; `npm test` uses 100); a
 * failure prints fast-check's seed, path and shrunk counterexample, and the exit code is 1.
 */
import { parseArgs } from 'node:util';
import { FUZZ_PROPERTIES } from '../test/fuzz/reader-properties.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '2000' }, seed: { type: 'string' }, only: { type: 'string' } },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: fuzz-readers.ts [--runs N] [--seed S] [--only substring]\n');
  process.exit(2);
}
let failed = 0;
for (const { property, weight } of FUZZ_PROPERTIES) {
  if (values.only !== undefined && !property.name.includes(values.only)) continue;
  const n = runs * weight;
  const started = performance.now();
  try {
    await property.run(n, seed);
    process.stdout.write(`ok    ${n} runs  ${((performance.now() - started) / 1000).toFixed(1)} s  ${property.name}\n`);
  } catch (error) {
    failed++;
    process.stdout.write(`FAIL  ${property.name}\n${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.stdout.write(`seed ${seed}: ${failed === 0 ? 'all properties held' : `${failed} properties failed`}\n`);
process.exitCode = failed === 0 ? 0 : 1;
