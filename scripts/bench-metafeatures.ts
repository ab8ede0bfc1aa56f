/**
 * Meta-feature benchmark: generates two classification datasets (10,000 × 100 and 100,000 × 50
 * numeric features, a 3-class target from a noisy linear rule), writes each as CSV to the temp
 * directory, and measures in one run (1) parsing the CSV with metatune's data layer
 * (`loadDataset`) and (2) extracting every meta-feature group from the parsed dataset. Prints
 * both times, the per-group split and the ratio extraction / parse (also with landmarkCap 500,
 * to show how much of the cost is the landmarks). Target: ≤ 2×. Times are the best of `repeats`.
 *
 * Run: `node --import tsx scripts/bench-metafeatures.ts [repeats]`
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../src/data/index.ts';
import { extractMetaFeatures } from '../src/metafeatures/index.ts';
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

async function benchOne(rows: number, cols: number, repeats: number): Promise<number> {
  const path = join(tmpdir(), `metatune-bench-mf-${process.pid}-${rows}x${cols}.csv`);
  await writeCsv(path, rows, cols, rows + cols);
  try {
    let parse = Infinity;
    let extract = Infinity;
    let smallCap = Infinity;
    let timings: Record<string, number> = {};
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const dataset = await loadDataset(path, { task: 'classification' });
      const t1 = performance.now();
      const vector = extractMetaFeatures(dataset, { timings: true, seed: r });
      const t2 = performance.now();
      extractMetaFeatures(dataset, { seed: r, landmarkCap: 500 });
      smallCap = Math.min(smallCap, performance.now() - t2);
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
    return ratio;
  } finally {
    await rm(path, { force: true });
  }
}

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 3);
  const ratios = [await benchOne(10_000, 100, repeats), await benchOne(100_000, 50, repeats)];
  const worst = Math.max(...ratios);
  console.log(`worst ratio ${worst.toFixed(2)}x (target ≤ 2x): ${worst <= 2 ? 'met' : 'NOT met'}`);
}

await main();
