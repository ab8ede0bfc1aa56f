/**
 * `db build`: fills a store with meta-knowledge from a folder of datasets. Per dataset: the task
 * and its meta-features, then every configuration of each space's shared design evaluated under one
 * fixed protocol. Resumable by construction: what the store already holds is skipped, and each
 * chunk of evaluations is written in one transaction, so a kill loses at most the chunk in flight.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { loadDataset } from '../data/index.ts';
import type { Dataset, TaskType } from '../data/table.ts';
import { InputError } from '../errors.ts';
import { DEFAULT_PROTOCOL, evaluate, protocolId, type EvaluationProtocol, type Trainer } from '../evaluation/index.ts';
import { extractMetaFeatures, METAFEATURE_EXTRACTOR_VERSION } from '../metafeatures/index.ts';
import { loadSearchSpace, type SearchSpace } from '../spaces/index.ts';
import { fileSha256, registerTask, taskFromDataset, type MetaStore } from '../store/index.ts';
import { evaluationToInput } from './records.ts';
import { sharedDesign, type DesignPoint } from './design.ts';

/** Options of {@link buildMetaDatabase}. */
export interface BuildOptions {
  /** Folder searched recursively for `.arff` and `.csv` files. */
  readonly datasets: string;
  /** Space name → number of configurations of its shared design. */
  readonly spaces: ReadonlyMap<string, number>;
  /** Seed of the designs and of training. */
  readonly seed: number;
  /** Default: `DEFAULT_PROTOCOL`. */
  readonly protocol?: EvaluationProtocol;
  /** Trains the evaluations (a `TrainerPool` to use every core). */
  readonly trainer?: Trainer;
  /** Configurations evaluated and written per transaction (default 48). */
  readonly chunkSize?: number;
  /** Only datasets whose task name is in this list. */
  readonly only?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BuildProgress) => void;
}

/** Where a build stands. */
export interface BuildProgress {
  readonly task: string;
  readonly taskIndex: number;
  readonly tasks: number;
  /** Evaluations written in this run. */
  readonly done: number;
  /** Evaluations this run has to write (what the store lacked when the run started). */
  readonly todo: number;
  /** Evaluations found already stored and skipped. */
  readonly skipped: number;
}

/** What a build did. */
export interface BuildSummary {
  readonly tasks: number;
  readonly evaluated: number;
  readonly skipped: number;
  readonly failed: number;
  readonly protocolId: string;
}

/** A dataset file of the build and the task it becomes. */
export interface BuildTask {
  readonly name: string;
  readonly path: string;
  /** From the folder name (`classification/`, `regression/`), else inferred. */
  readonly task?: TaskType;
}

/**
 * Runs (or resumes) a build.
 * @param store - the store to fill
 * @param options - datasets, spaces and design sizes, seed, protocol, trainer
 * @returns counts of what was done
 * @throws InputError when the folder holds no dataset, or a dataset cannot be read
 */
export async function buildMetaDatabase(store: MetaStore, options: BuildOptions): Promise<BuildSummary> {
  const protocol = options.protocol ?? DEFAULT_PROTOCOL;
  const pid = protocolId(protocol);
  const tasks = await findBuildTasks(options.datasets, options.only);
  const designs = [...options.spaces].map(([name, n]) => {
    const space = loadSearchSpace(name);
    return { space, points: sharedDesign(space, n, options.seed) };
  });
  registerDesigns(store, designs);
  const pending = tasks.map((t) => designs.map((d) => missingPoints(store, t.name, d.space, d.points, pid, options.seed)));
  const todo = pending.reduce((s, perSpace) => s + perSpace.reduce((a, p) => a + p.length, 0), 0);
  const total = tasks.length * designs.reduce((s, d) => s + d.points.length, 0);
  const counts = { done: 0, failed: 0 };
  for (const [i, task] of tasks.entries()) {
    options.signal?.throwIfAborted();
    const progress = () => options.onProgress?.({ task: task.name, taskIndex: i, tasks: tasks.length, done: counts.done, todo, skipped: total - todo });
    progress();
    if (pending[i].every((p) => p.length === 0) && store.getMetaFeatures(task.name, METAFEATURE_EXTRACTOR_VERSION)) continue;
    const dataset = await registerBuildTask(store, task);
    for (const [s, design] of designs.entries()) {
      if (!fits(design.space, dataset)) continue;
      for (let start = 0; start < pending[i][s].length; start += options.chunkSize ?? 48) {
        const chunk = pending[i][s].slice(start, start + (options.chunkSize ?? 48));
        const evaluations = await evaluate(dataset, design.space, chunk.map((p) => p.config), {
          protocol, seed: options.seed, pool: options.trainer, signal: options.signal,
        });
        store.addEvaluations(evaluations.map((e) => evaluationToInput(task.name, design.space.name, e)));
        counts.done += chunk.length;
        counts.failed += evaluations.filter((e) => e.status === 'failed').length;
        progress();
      }
    }
  }
  return { tasks: tasks.length, evaluated: counts.done, skipped: total - todo, failed: counts.failed, protocolId: pid };
}

/**
 * Lists the dataset files of a folder (recursively, sorted), each with its task name: the file
 * name without extension; the task type comes from a `classification` or `regression` parent folder.
 * @throws InputError when the folder is missing or holds no dataset, or two files share a name
 */
export async function findBuildTasks(folder: string, only?: readonly string[]): Promise<BuildTask[]> {
  let entries: string[];
  try {
    entries = (await readdir(folder, { recursive: true })).map(String);
  } catch {
    throw new InputError('cannot read the datasets folder', { file: folder });
  }
  const files = entries.filter((f) => ['.arff', '.csv'].includes(extname(f).toLowerCase())).sort();
  const tasks = files.map((f): BuildTask => {
    const parent = basename(dirname(join(folder, f)));
    const task = parent === 'classification' || parent === 'regression' ? parent : undefined;
    return { name: basename(f, extname(f)), path: resolve(folder, f), ...(task ? { task } : {}) };
  });
  const names = new Set<string>();
  for (const t of tasks) {
    if (names.has(t.name)) throw new InputError(`two datasets are both named '${t.name}'; task names must be unique`, { file: t.path });
    names.add(t.name);
  }
  const chosen = only === undefined ? tasks : tasks.filter((t) => only.includes(t.name));
  if (chosen.length === 0) throw new InputError('no dataset (.arff or .csv) found', { file: folder });
  return chosen;
}

function registerDesigns(store: MetaStore, designs: readonly { space: SearchSpace; points: readonly DesignPoint[] }[]): void {
  store.batch(() => {
    for (const { space, points } of designs) {
      store.addSearchSpace({ name: space.name, version: space.fingerprint(), definition: space.toJSON() });
      store.addConfigurations(points.map((p) => ({ space: space.name, hash: p.hash, config: p.config, origin: p.origin })));
    }
  });
}

function missingPoints(store: MetaStore, task: string, space: SearchSpace, points: readonly DesignPoint[], pid: string, seed: number): DesignPoint[] {
  const done = new Set(
    store.listEvaluationScores({ task, space: space.name, protocolId: pid }).filter((s) => s.seed === seed).map((s) => s.configHash),
  );
  return points.filter((p) => !done.has(p.hash));
}

async function registerBuildTask(store: MetaStore, task: BuildTask): Promise<Dataset> {
  const dataset = await loadDataset(task.path, task.task ? { task: task.task } : {});
  if (store.getMetaFeatures(task.name, METAFEATURE_EXTRACTOR_VERSION) === undefined) {
    const record = taskFromDataset(dataset, await fileSha256(task.path), task.name);
    registerTask(store, record, extractMetaFeatures(dataset));
  }
  return dataset;
}

function fits(space: SearchSpace, dataset: Dataset): boolean {
  return space.taskTypes === undefined || space.taskTypes.includes(dataset.task);
}
