/** The dataset files of a build and the tasks they become. */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { dataFileStem, loadDataset } from '../data/index.ts';
import type { Dataset, TaskType } from '../data/table.ts';
import { InputError } from '../errors.ts';

/** A dataset file of the build and the task it becomes. */
export interface BuildTask {
  /** The file name without its extension; unique in a build. */
  readonly name: string;
  readonly path: string;
  /** From a `classification/` or `regression/` parent folder, else inferred when loaded. */
  readonly task?: TaskType;
  /** The target column when it is not the last one. */
  readonly target?: string;
}

/**
 * Lists the dataset files of a folder (recursively, sorted by path).
 * @param folder - the datasets folder
 * @param options - `only`: task names to keep; `targets`: task name → target column
 * @returns the tasks
 * @throws InputError when the folder is missing or holds no dataset, or two files share a name
 */
export async function findBuildTasks(folder: string, options: { only?: readonly string[]; targets?: Readonly<Record<string, string>> } = {}): Promise<BuildTask[]> {
  let entries: string[];
  try {
    entries = (await readdir(folder, { recursive: true })).map(String);
  } catch {
    throw new InputError('cannot read the datasets folder', { file: folder });
  }
  const targets = options.targets ?? {};
  const tasks = entries
    .filter((f) => /\.(arff|csv)(\.gz)?$/i.test(f))
    .sort()
    .map((f): BuildTask => {
      const parent = basename(dirname(join(folder, f)));
      const name = dataFileStem(f);
      const task = parent === 'classification' || parent === 'regression' ? parent : undefined;
      return { name, path: resolve(folder, f), ...(task ? { task } : {}), ...(targets[name] ? { target: targets[name] } : {}) };
    });
  checkUnique(tasks);
  const chosen = options.only === undefined ? tasks : tasks.filter((t) => options.only!.includes(t.name));
  if (chosen.length === 0) throw new InputError('no dataset (.arff or .csv, optionally .gz) found', { file: folder });
  return chosen;
}

/** Loads a build task's dataset with its task type and target. */
export function loadBuildTask(task: BuildTask): Promise<Dataset> {
  return loadDataset(task.path, { ...(task.task ? { task: task.task } : {}), ...(task.target ? { target: task.target } : {}) });
}

function checkUnique(tasks: readonly BuildTask[]): void {
  const names = new Set<string>();
  for (const t of tasks) {
    if (names.has(t.name)) throw new InputError(`two datasets are both named '${t.name}'; task names must be unique`, { file: t.path });
    names.add(t.name);
  }
}
