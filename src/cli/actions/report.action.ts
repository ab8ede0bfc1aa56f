/** `metatune report`: a study's or a benchmark's report written as one self-contained HTML file. */
import { existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readBenchResult } from '../../bench/read-result.ts';
import { openStoreReadOnly } from '../../dashboard/open-store.ts';
import { UsageError } from '../../errors.ts';
import { benchReportHtml } from '../../report/bench-report.ts';
import { collectStudyReport, studyReportHtml } from '../../report/study-report.ts';

export interface ReportContext {
  readonly study?: string;
  readonly bench?: string;
  readonly out?: string;
  readonly db?: string;
  readonly neighbors: number;
  readonly seed: number;
}

/**
 * Writes the report and prints its path.
 * @throws StoreError for an unknown study or database; InputError for a malformed bench.json;
 *   UsageError when `out` is a folder or its folder is missing
 */
export async function runReport(context: ReportContext): Promise<void> {
  let html: string;
  let fallback: string;
  let summary: string;
  if (context.bench !== undefined) {
    const file = existsSync(context.bench) && statSync(context.bench).isDirectory() ? join(context.bench, 'bench.json') : context.bench;
    const result = readBenchResult(file);
    html = benchReportHtml(result, file);
    fallback = `bench-${result.space}.html`;
    summary = `benchmark of ${result.space}: ${result.methods.length} methods, ${result.tasks} tasks`;
  } else {
    const store = openStoreReadOnly(context.db);
    try {
      const report = collectStudyReport(store, context.study as string, { neighbors: context.neighbors, seed: context.seed });
      html = studyReportHtml(report, { generatedAt: new Date().toISOString() });
      fallback = `${(context.study as string).replace(/[^A-Za-z0-9._-]/g, '_')}.html`;
      summary = `study ${report.study.name}: ${report.trials.length} trials`;
    } finally {
      store.close();
    }
  }
  const out = context.out ?? fallback;
  writeAtomically(out, html);
  process.stdout.write(`${summary} → ${out} (${Math.round(Buffer.byteLength(html) / 1024)} KiB)\n`);
}

function writeAtomically(out: string, text: string): void {
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out '${out}' is a folder; give a file name such as report.html`, { column: '--out' });
  const folder = dirname(out);
  if (!existsSync(folder)) throw new UsageError(`--out '${out}': the folder '${folder}' does not exist`, { column: '--out' });
  const temp = join(folder, `.${basename(out)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, out);
  } catch (error) {
    if (existsSync(temp)) unlinkSync(temp);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') throw new UsageError(`cannot write --out '${out}': ${code}`, { column: '--out' });
    throw error;
  }
}
