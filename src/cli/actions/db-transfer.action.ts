/** `metatune db export` and `metatune db import`. */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
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
 */
export async function runDbExport(context: DbExportContext): Promise<void> {
  await withStore(context, async (store) => {
    if (context.out === undefined) {
      await writeLines(process.stdout, exportLines(store));
      return;
    }
    const partial = `${context.out}.partial`;
    try {
      const file = createWriteStream(partial);
      const lines = await writeLines(file, exportLines(store));
      file.end();
      await once(file, 'finish');
      renameSync(partial, context.out);
      process.stderr.write(`exported ${lines - 1} records to ${context.out}\n`);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
  });
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
