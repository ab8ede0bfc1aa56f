/**
 * The readers' and the space parser's property-based fuzzing, at a size for every `npm test`
 * (a few hundred cases per property, a few seconds in all). `scripts/fuzz-readers.ts --runs N`
 * runs the same properties longer. A failure prints fast-check's seed and shrunk counterexample.
 */
import { test } from 'node:test';
import { FUZZ_PROPERTIES } from './reader-properties.ts';

/** Runs per unit of weight in `npm test`. */
const RUNS = 100;

for (const { property, weight } of FUZZ_PROPERTIES) {
  test(property.name, { timeout: 60_000 }, () => property.run(RUNS * weight));
}
