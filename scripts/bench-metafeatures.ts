/**
 * Meta-feature benchmark: generates two classification datasets (10,000 × 100 and 100,000 × 50
 * numeric features, a 3-class target from a noisy linear rule), writes each as CSV to the temp
 * directory, and measures in one run (1) parsing the CSV with metatune's data layer
 * (`loadDataset`) and (2) extracting every meta-feature group from the parsed dataset. Prints
 * both times, the per-group split and the ratio extraction / parse (also with landmarkCap 500,
 * to show how much of the cost is the landmarks, and with `extractMetaFeaturesAsync`, which scores
 * the landmarks on a worker thread beside the other groups; its values are checked against the
 * one-thread vector). Target: ≤ 2×. Times are the best of `repeats`.
 *
 * Run: `node --import tsx scripts/bench-metafeatures.ts [repeats]`
 *
 * Value check of a speed-up: `--corpus <out.json>` writes every meta-feature of every shared
 * corpus dataset (meta-db/corpus, landmarkCap 2000 and 300, seed 0); run it on the old and the
 * new code, then `--compare <old.json> <new.json>` counts the values that differ (per feature, with
 * the largest absolute difference).
 */
import { createWriteStream, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../src/data/index.ts';
import { extractMetaFeatures, extractMetaFeaturesAsync } from '../src/metafeatures/index.ts';
import { Random } from '../src/random.ts';

async function writeCsv(path: string, rows: number, cols: number, seed: number): Promise<void> {
  const random = new Random(seed);
  const weights = Array.from({ length: cols }, () => random.normal());
  const out = createWriteStream(path);
  out.write([...Array.from({ length: cols }, (_, j) => `x${j}`), 'class'].join(',') + '\n');
  for (let start = 0; start < rows; start += 5000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 5000); i++) {
      const cells: string[] = [];
      let score = 0;
      for (let j = 0; j < cols; j++) {
        const v = j % 10 === 0 ? random.int(20) : random.normal() * (1 + j);
        score += weights[j] * v / (1 + j);
        cells.push(Number.isInteger(v) ? String(v) : v.toFixed(5));
      }
      score += random.normal() * 2;
      cells.push(score < -1 ? 'a' : score < 1 ? 'b' : 'c');
      lines.push(cells.join(','));
    }
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function benchOne(rows: number, cols: number, repeats: number): Promise<[number, number]> {
  const path = join(tmpdir(), `metatune-bench-mf-${process.pid}-${rows}x${cols}.csv`);
  await writeCsv(path, rows, cols, rows + cols);
  try {
    let parse = Infinity;
    let extract = Infinity;
    let concurrent = Infinity;
    let smallCap = Infinity;
    let timings: Record<string, number> = {};
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const dataset = await loadDataset(path, { task: 'classification' });
      const t1 = performance.now();
      const vector = extractMetaFeatures(dataset, { timings: true, seed: r });
      const t2 = performance.now();
      extractMetaFeatures(dataset, { seed: r, landmarkCap: 500 });
      const t3 = performance.now();
      const together = await extractMetaFeaturesAsync(dataset, { seed: r });
      concurrent = Math.min(concurrent, performance.now() - t3);
      if (JSON.stringify(together.values) !== JSON.stringify(vector.values)) throw new Error('the landmark worker changed a value');
      smallCap = Math.min(smallCap, t3 - t2);
      parse = Math.min(parse, t1 - t0);
      if (t2 - t1 < extract) {
        extract = t2 - t1;
        timings = Object.fromEntries(Object.entries(vector.timings ?? {}).map(([k, v]) => [k, Math.round(v)]));
      }
    }
    const ratio = extract / parse;
    console.log(`${rows} x ${cols}: parse ${parse.toFixed(0)} ms, all groups ${extract.toFixed(0)} ms, ratio ${ratio.toFixed(2)}x`);
    console.log(`  per group (ms): ${JSON.stringify(timings)}`);
    console.log(`  with landmarkCap 500: ${smallCap.toFixed(0)} ms, ratio ${(smallCap / parse).toFixed(2)}x`);
    console.log(`  landmarks on the worker thread (extractMetaFeaturesAsync): ${concurrent.toFixed(0)} ms, ratio ${(concurrent / parse).toFixed(2)}x`);
    return [ratio, concurrent / parse];
  } finally {
    await rm(path, { force: true });
  }
}

const CORPUS = new URL('../meta-db/corpus/', import.meta.url);

/** Every corpus vector, keyed by landmark cap and file. */
async function corpusValues(worker: boolean): Promise<Record<string, Record<string, number | null>>> {
  const files = ['classification', 'regression'].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, CORPUS)).filter((f) => f.endsWith('.arff.gz')).sort().map((f) => `${dir}/${f}`),
  );
  const out: Record<string, Record<string, number | null>> = {};
  for (const cap of [2000, 300]) {
    for (const file of files) {
      const dataset = await loadDataset(new URL(file, CORPUS).pathname);
      const options = { landmarkCap: cap, seed: 0 };
      out[`${cap}:${file}`] = (worker ? await extractMetaFeaturesAsync(dataset, options) : extractMetaFeatures(dataset, options)).values;
    }
  }
  return out;
}

/** Prints how many values differ between two corpus dumps, per feature. */
function compareDumps(oldPath: string, newPath: string): void {
  const parse = (path: string): Record<string, Record<string, number | null>> => JSON.parse(readFileSync(path, 'utf8'));
  const [before, after] = [parse(oldPath), parse(newPath)];
  let total = 0;
  const differing: Record<string, { count: number; largest: number }> = {};
  for (const [key, values] of Object.entries(before)) {
    for (const [name, v] of Object.entries(values)) {
      total++;
      const w = after[key]?.[name];
      if (Object.is(v, w)) continue;
      const entry = (differing[name] ??= { count: 0, largest: 0 });
      entry.count++;
      entry.largest = Math.max(entry.largest, v === null || w === null || w === undefined ? Infinity : Math.abs(v - w));
    }
  }
  const changed = Object.values(differing).reduce((s, e) => s + e.count, 0);
  console.log(`${total} values compared, ${changed} differ`);
  for (const [name, e] of Object.entries(differing)) console.log(`  ${name}: ${e.count} values, largest difference ${e.largest}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--corpus') {
    const values = await corpusValues(process.argv[4] === '--worker');
    writeFileSync(process.argv[3], JSON.stringify(values));
    console.log(`${Object.keys(values).length} vectors written to ${process.argv[3]}`);
    return;
  }
  if (process.argv[2] === '--compare') return compareDumps(process.argv[3], process.argv[4]);
  const repeats = Number(process.argv[2] ?? 3);
  const ratios = [await benchOne(10_000, 100, repeats), await benchOne(100_000, 50, repeats)];
  for (const [label, index] of [['one thread', 0], ['landmarks on a worker', 1]] as const) {
    const worst = Math.max(...ratios.map((r) => r[index]));
    console.log(`worst ratio, ${label}: ${worst.toFixed(2)}x (target ≤ 2x): ${worst <= 2 ? 'met' : 'NOT met'}`);
  }
}

await main();
