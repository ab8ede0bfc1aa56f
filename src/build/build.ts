/**
 * `db build`: fills a store with meta-knowledge from a folder of datasets: every task with its
 * meta-features, then each space's shared design evaluated on every task under one protocol.
 *
 * Order: rounds of `chunkSize` design configurations, each round over every task. A partial
 * build is therefore always a dense task × configuration matrix (the first k configurations on
 * every task), which the meta-model and the benchmark can use at once.
 *
 * Resumable by construction: what the store holds is skipped, and each task × chunk is written in
 * one transaction, so a kill loses at most the chunk in flight.
 */
import type { Dataset } from '../data/table.ts';
import { evaluate, protocolId, type EvaluationProtocol, type Trainer } from '../evaluation/index.ts';
import { extractMetaFeatures, METAFEATURE_EXTRACTOR_VERSION } from '../metafeatures/index.ts';
import { loadSearchSpace, type SearchSpace } from '../spaces/index.ts';
import { fileSha256, registerTask, taskFromDataset, type MetaStore } from '../store/index.ts';
import { evaluationToInput } from './records.ts';
import { sharedDesign, type DesignPoint } from './design.ts';
import { findBuildTasks, loadBuildTask, type BuildTask } from './tasks.ts';
import { META_DB_PROTOCOL } from './protocol.ts';

/** Options of {@link buildMetaDatabase}. */
export interface BuildOptions {
  /** Folder searched recursively for `.arff` and `.csv` files. */
  readonly datasets: string;
  /** Space name → number of configurations of its shared design, built in this order. */
  readonly spaces: ReadonlyMap<string, number>;
  /** Seed of the designs and of training. */
  readonly seed: number;
  /** Default: {@link META_DB_PROTOCOL}. */
  readonly protocol?: EvaluationProtocol;
  /** Trains the evaluations (a `TrainerPool` to use every core). */
  readonly trainer?: Trainer;
  /** Configurations per round and per transaction (default 25). */
  readonly chunkSize?: number;
  /** Only datasets whose task name is in this list. */
  readonly only?: readonly string[];
  /** Task name → target column, for files whose target is not the last column. */
  readonly targets?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BuildProgress) => void;
}

/** Where a build stands. */
export interface BuildProgress {
  readonly task: string;
  readonly space: string;
  /** 0-based round and number of rounds (over all spaces). */
  readonly round: number;
  readonly rounds: number;
  /** Evaluations written in this run. */
  readonly done: number;
  /** Evaluations this run has to write (what the store lacked when the run started). */
  readonly todo: number;
}

/** What a build did. */
export interface BuildSummary {
  readonly tasks: number;
  readonly evaluated: number;
  readonly skipped: number;
  readonly failed: number;
  readonly protocolId: string;
}

interface Round {
  readonly space: SearchSpace;
  readonly points: readonly DesignPoint[];
}

/**
 * Runs (or resumes) a build.
 * @param store - the store to fill
 * @param options - datasets, spaces and design sizes, seed, protocol, trainer
 * @returns counts of what was done
 * @throws InputError when the folder holds no dataset, or a dataset cannot be read
 */
export async function buildMetaDatabase(store: MetaStore, options: BuildOptions): Promise<BuildSummary> {
  const protocol = options.protocol ?? META_DB_PROTOCOL;
  const pid = protocolId(protocol);
  const tasks = await findBuildTasks(options.datasets, { only: options.only, targets: options.targets });
  const rounds = planRounds(store, options);
  const datasets = new Map<string, Dataset>();
  for (const task of tasks) {
    options.signal?.throwIfAborted();
    datasets.set(task.name, await registerBuildTask(store, task));
  }
  const todoOf = (r: Round, task: string) => missingPoints(store, task, r, pid, options.seed);
  const todo = rounds.reduce((s, r) => s + tasks.reduce((a, t) => a + todoOf(r, t.name).length, 0), 0);
  const total = rounds.reduce((s, r) => s + r.points.length, 0) * tasks.length;
  const counts = { done: 0, failed: 0 };
  for (const [index, round] of rounds.entries()) {
    for (const task of tasks) {
      options.signal?.throwIfAborted();
      const chunk = todoOf(round, task.name);
      options.onProgress?.({ task: task.name, space: round.space.name, round: index, rounds: rounds.length, done: counts.done, todo });
      if (chunk.length === 0) continue;
      const evaluations = await evaluate(datasets.get(task.name)!, round.space, chunk.map((p) => p.config), {
        protocol, seed: options.seed, pool: options.trainer, signal: options.signal,
      });
      store.addEvaluations(evaluations.map((e) => evaluationToInput(task.name, round.space.name, e)));
      counts.done += chunk.length;
      counts.failed += evaluations.filter((e) => e.status === 'failed').length;
    }
  }
  return { tasks: tasks.length, evaluated: counts.done, skipped: total - todo, failed: counts.failed, protocolId: pid };
}

/** Splits each space's design into rounds of `chunkSize` configurations and stores the designs. */
function planRounds(store: MetaStore, options: BuildOptions): Round[] {
  const size = options.chunkSize ?? 25;
  const rounds: Round[] = [];
  store.batch(() => {
    for (const [name, n] of options.spaces) {
      const space = loadSearchSpace(name);
      const points = sharedDesign(space, n, options.seed);
      store.addSearchSpace({ name: space.name, version: space.fingerprint(), definition: space.toJSON() });
      store.addConfigurations(points.map((p) => ({ space: space.name, hash: p.hash, config: p.config, origin: p.origin })));
      for (let start = 0; start < points.length; start += size) rounds.push({ space, points: points.slice(start, start + size) });
    }
  });
  return rounds;
}

function missingPoints(store: MetaStore, task: string, round: Round, pid: string, seed: number): DesignPoint[] {
  const done = new Set(
    store.listEvaluationScores({ task, space: round.space.name, protocolId: pid }).filter((s) => s.seed === seed).map((s) => s.configHash),
  );
  return round.points.filter((p) => !done.has(p.hash));
}

/** Loads a task's dataset and, unless stored with the current extractor, registers it with its meta-features. */
async function registerBuildTask(store: MetaStore, task: BuildTask): Promise<Dataset> {
  const dataset = await loadBuildTask(task);
  if (store.getMetaFeatures(task.name, METAFEATURE_EXTRACTOR_VERSION) === undefined) {
    const record = taskFromDataset(dataset, await fileSha256(task.path), task.name);
    registerTask(store, record, extractMetaFeatures(dataset));
  }
  return dataset;
}
