/** `metatune db export` and `metatune db import`. */
import { createWriteStream, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from '../../errors.ts';
import { exportLines } from '../../store/jsonl-export.ts';
import { checkImportFile, importFile, type ImportResult } from '../../store/jsonl-import.ts';
import { formatTable, printJson } from '../format.ts';
import { withStore } from './db.action.ts';

export interface DbExportContext {
  readonly db?: string;
  /** The output file; standard output when absent. */
  readonly out?: string;
}

/**
 * Writes the export to a file (atomically: a temporary file renamed at the end) or to stdout.
 * @throws UsageError when `--out` is a directory, lies in a missing folder, cannot be written, or is
 *   one of the databases being exported (or its journal), which the rename would destroy
 */
export async function runDbExport(context: DbExportContext): Promise<void> {
  await withStore(context, async (store) => {
    const out = context.out;
    if (out === undefined) {
      await writeLines(process.stdout, exportLines(store));
      return;
    }
    checkOutPath(out, store.describe().map((l) => l.path));
    const partial = `${out}.partial`;
    try {
      const file = createWriteStream(partial);
      const lines = await writeLines(file, exportLines(store));
      file.end();
      await once(file, 'finish');
      renameSync(partial, out);
      process.stderr.write(`exported ${lines - 1} records to ${out}\n`);
    } catch (error) {
      rmSync(partial, { force: true });
      if (isFileSystemError(error)) throw new UsageError(`cannot write the export: ${error.message}`, { file: out, column: '--out' }, { cause: error });
      throw error;
    }
  });
}

/**
 * Refuses an export path that cannot take a file or that would replace a database being read.
 * @throws UsageError naming `--out`
 */
function checkOutPath(out: string, databases: readonly string[]): void {
  const where = { file: out, column: '--out' };
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw new UsageError('is a directory; give the path of the export file to write', where);
  }
  const folder = dirname(resolve(out));
  if (statSync(folder, { throwIfNoEntry: false })?.isDirectory() !== true) {
    throw new UsageError(`its folder ${folder} does not exist`, where);
  }
  const target = canonicalPath(out);
  for (const db of databases) {
    if (db === ':memory:') continue;
    const owned = ['', '-wal', '-shm', '-journal'].map((suffix) => canonicalPath(`${db}${suffix}`));
    if (owned.includes(target) || owned.includes(canonicalPath(`${out}.partial`))) {
      throw new UsageError(`is the database being exported (${db}) or its journal; writing the export there would destroy it: choose another --out`, where);
    }
  }
}

/** @returns the absolute path with its folder's symbolic links resolved (the file itself may not exist) */
function canonicalPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return resolve(realpathSync(dirname(absolute)), absolute.slice(dirname(absolute).length + 1));
    } catch {
      return absolute;
    }
  }
}

function isFileSystemError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code);
}

async function writeLines(stream: Writable, lines: Iterable<string>): Promise<number> {
  let count = 0;
  for (const line of lines) {
    count++;
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  }
  return count;
}

export interface DbImportContext {
  readonly db?: string;
  readonly json: boolean;
  readonly file: string;
}

/**
 * Imports a file into the store (the user database unless --db) and prints counts per kind.
 * @throws StoreError at the line of a bad or conflicting record; nothing is imported then. A file
 *   that cannot be an export is refused before the database is opened (or created).
 */
export async function runDbImport(context: DbImportContext): Promise<void> {
  checkImportFile(context.file);
  const result = await withStore({ db: context.db, write: true }, (store) => importFile(store, context.file));
  if (context.json) printJson(result);
  else process.stdout.write(formatImport(result));
}

/** @returns the import counts as a table */
export function formatImport(result: ImportResult): string {
  return formatTable(['records', 'inserted', 'already stored'], Object.entries(result).map(([kind, c]) => [kind, c.inserted, c.skipped]));
}
