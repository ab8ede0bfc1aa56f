/**
 * CSV load benchmark: generates a ~100 MB numeric CSV in the temp directory, then measures in the
 * same run (1) the raw baseline — stream the file and split it into lines — and (2) metatune's
 * CSV reader (streaming, typed columns), and prints both throughputs and their ratio. The file is
 * deleted afterwards. Target: the reader within 3x the baseline. Both wall-clock and CPU time are
 * reported (best of the repeats): on a busy machine the CPU-time ratio is the steadier one. It also
 * times loading the largest ARFF datasets of meta-db/corpus (gzip; target: under 0.5 s each).
 *
 * Run: `node --import tsx scripts/bench-load.ts [sizeMB] [repeats]`
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../src/data/csv/reader.ts';
import { loadDataset } from '../src/data/index.ts';
import { Random } from '../src/random.ts';

const COLUMNS = 10;

async function generate(path: string, targetBytes: number): Promise<number> {
  const out = createWriteStream(path);
  const random = new Random(42);
  out.write(Array.from({ length: COLUMNS }, (_, j) => `x${j}`).join(',') + '\n');
  let written = 0;
  let rows = 0;
  while (written < targetBytes) {
    const lines: string[] = [];
    for (let i = 0; i < 10000; i++) {
      const cells: string[] = [];
      for (let j = 0; j < COLUMNS; j++) cells.push(j === 0 ? String(random.int(1000)) : (random.normal() * 100).toFixed(6));
      lines.push(cells.join(','));
    }
    const block = lines.join('\n') + '\n';
    written += block.length;
    rows += lines.length;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** The baseline: read through a stream, decode, split into lines (with carry-over), count them. */
async function baselineLines(path: string): Promise<number> {
  let lines = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const parts = (carry + chunk.toString('utf8')).split('\n');
    carry = parts.pop() ?? '';
    lines += parts.length;
  }
  return carry === '' ? lines : lines + 1;
}

/** Wall-clock seconds and CPU seconds (all threads of the process: user + system) of a run. */
async function time<T>(run: () => Promise<T>): Promise<{ seconds: number; cpu: number; result: T }> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await run();
  const cpu = process.cpuUsage(cpuStart);
  return { seconds: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6, result };
}

async function main(): Promise<void> {
  const sizeMb = Number(process.argv[2] ?? 100);
  const repeats = Number(process.argv[3] ?? 5);
  const path = join(tmpdir(), `metatune-bench-${process.pid}.csv`);
  try {
    const rows = await generate(path, sizeMb * 1e6);
    const mb = (await stat(path)).size / 1e6;
    console.log(`file: ${path}, ${mb.toFixed(1)} MB, ${rows} rows x ${COLUMNS} numeric columns`);
    const best = { baseline: Infinity, reader: Infinity, baselineCpu: Infinity, readerCpu: Infinity };
    for (let r = 0; r < repeats; r++) {
      const base = await time(() => baselineLines(path));
      const ours = await time(() => readCsv(path));
      if (base.result !== rows + 1 || ours.result.nRows !== rows) throw new Error('row counts disagree');
      best.baseline = Math.min(best.baseline, base.seconds);
      best.reader = Math.min(best.reader, ours.seconds);
      best.baselineCpu = Math.min(best.baselineCpu, base.cpu);
      best.readerCpu = Math.min(best.readerCpu, ours.cpu);
      console.log(
        `run ${r + 1}: baseline ${(mb / base.seconds).toFixed(1)} MB/s (cpu ${base.cpu.toFixed(2)} s), ` +
          `readCsv ${(mb / ours.seconds).toFixed(1)} MB/s (cpu ${ours.cpu.toFixed(2)} s)`,
      );
    }
    console.log(`best baseline (stream + split lines): ${(mb / best.baseline).toFixed(1)} MB/s wall, ${(mb / best.baselineCpu).toFixed(1)} MB/s of CPU time`);
    console.log(`best readCsv (typed columns):         ${(mb / best.reader).toFixed(1)} MB/s wall, ${(mb / best.readerCpu).toFixed(1)} MB/s of CPU time`);
    console.log(`ratio readCsv / baseline: ${(best.reader / best.baseline).toFixed(2)}x wall-clock, ${(best.readerCpu / best.baselineCpu).toFixed(2)}x CPU time (target <= 3x)`);
  } finally {
    await rm(path, { force: true });
  }
}

/** Times `loadDataset` on the 40,000-row ARFF datasets of the corpus (meta-db/corpus, gzip-compressed). */
async function benchArff(): Promise<void> {
  const root = fileURLToPath(new URL('../meta-db/corpus/regression/', import.meta.url));
  for (const name of ['fried.arff.gz', 'mv.arff.gz', '2dplanes.arff.gz', 'cal.housing.arff.gz']) {
    if (!existsSync(root + name)) continue;
    let best = Infinity;
    let rows = 0;
    for (let r = 0; r < 3; r++) {
      const { seconds, result } = await time(() => loadDataset(root + name));
      best = Math.min(best, seconds);
      rows = result.nRows;
    }
    console.log(`loadDataset ${name}: ${rows} rows in ${(best * 1000).toFixed(0)} ms (best of 3)`);
  }
}

await main();
await benchArff();
