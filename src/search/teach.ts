/**
 * Every study teaches the store: with a `protocol`, each finished trial of a study over the
 * meta-knowledge store is also written as an evaluation of the study's task in its space, under
 * that protocol, so that knn, the portfolio and the learned model (`recommend --space NAME`,
 * `meta-train --space NAME`) learn from the user's own studies as from metatune's built-in ones.
 *
 * A define-by-run trial that failed before suggesting any parameter is not stored (it has no
 * configuration). An evaluation's primary score is larger-is-better: the trial's value for a maximised study, its
 * negation for a minimised one. Its key is (task, space, configuration, protocol, fidelity 0, the
 * study's seed), so a configuration tried again in another study of the same seed is kept once.
 */
import { VERSION } from '../version.ts';
import { ParseContext, parseSearchSpace, type SearchSpace } from '../spaces/index.ts';
import type { Distribution } from './distributions.ts';
import { discoverSpace } from './discovered-space.ts';
import type { EvaluationInput, MetaStore } from '../store/types.ts';
import { StudyError } from './errors.ts';
import type { FrozenTrial, StudyDirection } from './types.ts';

/** Protocol names: a lower-case word, optionally `:detail` (e.g. `user:my-cnn`). */
export const PROTOCOL_PATTERN = /^[a-z][a-z0-9-]*(:[A-Za-z0-9._-]+)*$/;

/** What a teaching study writes to. */
export interface StudyTeacher {
  readonly store: MetaStore;
  readonly task: string;
  /** The declared space; undefined for a define-by-run study, whose space is discovered (`discovered-space.ts`). */
  readonly space: SearchSpace | undefined;
  /** The name the evaluations are stored under (the declared space's, or the one a define-by-run study names). */
  readonly spaceName: string;
  readonly protocol: string;
  readonly direction: StudyDirection;
  readonly seed: number;
}

/**
 * Registers the space's definition in the store (a no-op when stored), so `recommend --space NAME`
 * and `meta-train --space NAME` can read it.
 * @throws StudyError for a malformed protocol
 */
export function prepareTeaching(teacher: StudyTeacher): void {
  if (!PROTOCOL_PATTERN.test(teacher.protocol)) throw new StudyError(`protocol '${teacher.protocol}' must look like 'name' or 'name:detail' (e.g. 'user:my-cnn')`);
  if (teacher.space === undefined) return;
  const version = teacher.space.fingerprint();
  if (teacher.store.getSearchSpace(teacher.space.name, version) === undefined) {
    teacher.store.addSearchSpace({ name: teacher.space.name, version, definition: teacher.space.toJSON() });
  }
}

/** @returns the evaluation a finished trial becomes (complete: ok; failed: failed), or undefined for a running or pruned trial */
export function trialEvaluation(teacher: StudyTeacher, trial: FrozenTrial): EvaluationInput | undefined {
  // a pruned trial's last report is not a final score: it teaches nothing
  if (trial.state === 'running' || trial.state === 'pruned') return undefined;
  const ok = trial.state === 'complete' && trial.value !== null && Number.isFinite(trial.value);
  const score = ok ? (teacher.direction === 'maximize' ? (trial.value as number) : -(trial.value as number)) : null;
  const wall = trial.finishedAt === null ? 0 : Math.max(0, Date.parse(trial.finishedAt) - Date.parse(trial.startedAt));
  return {
    task: teacher.task,
    space: teacher.spaceName,
    configHash: trial.configHash,
    config: trial.config,
    protocolId: teacher.protocol,
    fidelity: 0,
    seed: teacher.seed,
    status: ok ? 'ok' : 'failed',
    error: ok ? null : (trial.error ?? `trial ${trial.state}`),
    metrics: { value: trial.value },
    primaryScore: score,
    curve: trial.intermediate,
    epochsRun: trial.intermediate.length,
    wallTimeMs: Number.isFinite(wall) ? wall : 0,
    backend: 'user',
    metatuneVersion: VERSION,
  };
}

/**
 * Writes a finished trial as an evaluation, in one transaction; a define-by-run study first stores
 * the space its trials discovered (a new version when the trial widened it).
 * @param teacher - where to write
 * @param trial - the finished trial
 * @param distributions - the distributions its parameters were suggested with (define-by-run)
 */
export function teachTrial(teacher: StudyTeacher, trial: FrozenTrial, distributions: ReadonlyMap<string, Distribution>): void {
  const evaluation = trialEvaluation(teacher, trial);
  if (evaluation === undefined) return;
  // a define-by-run trial that failed before its first suggest call tried no configuration: it stays
  // a failed trial of the study, but there is no evaluation of a configuration to store
  if (teacher.space === undefined && Object.keys(trial.config).length === 0) return;
  const store = teacher.store;
  store.batch(() => {
    if (teacher.space === undefined) {
      const stored = store.getSearchSpace(teacher.spaceName);
      const previous = stored === undefined ? undefined : parseSearchSpace(stored.definition, new ParseContext(`stored search space '${teacher.spaceName}'`));
      const configs = [...store.listEvaluations({ space: teacher.spaceName }).map((e) => e.config), trial.config];
      const space = discoverSpace(teacher.spaceName, previous, distributions, configs);
      if (previous?.fingerprint() !== space.fingerprint()) store.addSearchSpace({ name: teacher.spaceName, version: space.fingerprint(), definition: space.toJSON() });
    }
    store.addEvaluations([evaluation]);
  });
}
