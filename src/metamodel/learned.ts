/**
 * The learned meta-model (the default): a deep ensemble of {@link ScoringNetwork}s that score
 * (meta-features ⊕ configuration) → expected normalised performance, meta-trained episodically
 * across tasks (`train.ts`) and adapted to the new task on the configurations already evaluated
 * there (`head.ts`), FSBO-style. `rank` sorts by the ensemble mean; `surrogate` gives mean and
 * uncertainty for Bayesian optimisation. Why: the nearest past tasks and the configuration's
 * normalised score on them.
 */
import { StoreError } from '../errors.ts';
import { deriveSeed } from '../random.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import type { Configuration } from '../spaces/types.ts';
import { configHash } from '../spaces/canonical.ts';
import { prepareTensorBackend } from './backend.ts';
import { MetaFeatureScaler, type MetaFeatureScalerState } from './features.ts';
import type { AdaptOptions } from './head.ts';
import { ScoringNetwork } from './network.ts';
import type { EpisodicSettings, NetworkShape } from './shapes.ts';
import { definitionOf } from './space-json.ts';
import { conditionedPortfolio, scenarioWeights, type ScenarioSettings } from './conditioned.ts';
import { TaskSurrogate, encodeRows } from './surrogate.ts';
import { TaskIndex, type IndexedTask } from './task-index.ts';
import { DEFAULT_EPISODIC_SETTINGS, defaultSteps, trainEpisodic, type EpisodeTask } from './train.ts';
import type { MetaFeatureValues, MetaModel, RankQuery, RankedCandidate, SerializedMetaModel, TrainingSet } from './types.ts';

/**
 * Weight of the configuration prior (the training tasks' mean normalised score of a configuration,
 * `TaskIndex.meanScores`) blended with the network's prediction before any evaluation as
 * (network + w × prior) / (1 + w); the ranking is that of network + w × (prior − its average),
 * which was measured: on the linear
 * space (108 tasks × 50 configurations, 3 folds) the zero-shot top-1 regret was .146 with the
 * network alone, .101 with weight 0.5, .094 with 1 (the portfolio's .094) and .097 with 2.
 */
export const PRIOR_WEIGHT = 1;

/**
 * The prior's weight after n evaluations is PRIOR_WEIGHT × fade / (fade + n); 0 keeps it for the
 * first pick only. Measured with weight 1 and expected improvement (same setting, regret after
 * 1/3/5/10 evaluations): fade 0 .094/.047/.028/.014, fade 1 .094/.063/.045/.015, fade 3
 * .094/.069/.051/.020, against .146/.047/.022/.014 without the prior: a prior that stays in the
 * mean keeps the picks among configurations that are good on average, which the task has already
 * shown it does not favour.
 */
export const PRIOR_FADE = 0;

/**
 * The first pick is a bet: before any evaluation, the network's favourite (the best blend of
 * network and prior) replaces the configuration with the best prior score — the one best on
 * average over the training tasks, which is the portfolio's first member — only when the ensemble
 * expects it to do better by more than this many times the combined standard deviation of the
 * members' two predictions; otherwise the safe configuration opens and the favourite comes second.
 * Measured with `metatune bench` on the shipped database (10 folds; regret after 1/3/5/10
 * evaluations): mlp, margin 0 (the favourite always) .103/.060/.044/.031, 0.25 .079/.053/.047/.030
 * (0.5 .084/.057/.047/.030, ≥ 1 — the safe configuration always — .084/.056/.047/.029, from cached
 * fold models; the portfolio .083/.067/.051/.036); the margin was chosen there. On another split of
 * the tasks (fold seed 1): margin 0 .093/.061/.049/.033, 0.25 .090/.056/.048/.035, portfolio
 * .089/.069/.051/.036 — the opener's lead over the portfolio is within the split's noise. Linear, margin 0
 * .101/.040/.025/.018, 0.25 .107/.048/.030/.019 (portfolio .121/.070/.050/.025): the hedge costs
 * regret on that small space while the learned model's average ranks improve (at 5 and 10:
 * 2.994/3.025 → 2.942/2.991).
 */
export const OPENER_MARGIN = 0.25;

/**
 * What {@link LearnedMetaModel.rank} does before any evaluation by default: null, the hedged opener
 * then the surrogate's order. The set choice ({@link ZERO_SHOT_SET}) was measured and NOT adopted:
 * on the corpus's 26 held-out datasets evaluated freshly (`scripts/bench-external.ts`), mlp, regret
 * of the best of the first 1/3/5: set .236/.204/.171, hedged ranking .236/.160/.124 (portfolio
 * .245/.193/.145); linear: set .205/.121/.059, hedged .205/.123/.109; leave-one-task-out on the
 * whole linear database: set .107/.059/.047, hedged .107/.048/.030 — better on one space and one
 * measure, worse on the others, so not a gain a user could count on.
 */
export const DEFAULT_ZERO_SHOT: ZeroShotSettings | null = null;

/**
 * A zero-shot list (no evaluation on the new task yet) chosen as a set, by the task-conditioned
 * portfolio of `conditioned.ts`, for the first `size` picks among the candidates some past task
 * evaluated (a configuration no task ran has the network's guess and no evidence: letting such
 * guesses into the set put diverging configurations first on regression tasks); the rest follow the
 * surrogate's order. Mode `residual` (these settings): after the hedged opener, each past task's
 * scenario is the network's prediction plus that task's deviation from the configuration's mean
 * score; mode `scenarios`: the past tasks' own scores weighted by meta-feature distance. Chosen on
 * the corpus's training part (`scripts/tune-conditioned-portfolio.ts --learned 5`, linear: regret
 * .183/.089/.068 at 1/3/5 against the hedged ranking's .183/.105/.072) — and then not adopted as the
 * default, see {@link DEFAULT_ZERO_SHOT}. Pass it to `rank` to use it.
 */
export const ZERO_SHOT_SET: ZeroShotSettings = Object.freeze({
  scenarios: Object.freeze({ tau: 1, lambda: 1 }),
  blend: 1,
  size: 10,
  mode: 'residual',
  spread: 1,
});

/** How {@link LearnedMetaModel.rank} chooses a zero-shot list (see {@link ZERO_SHOT_SET}). */
export interface ZeroShotSettings {
  readonly scenarios: ScenarioSettings;
  /** `scenarios` mode: weight of a past task's own score against the network's prediction. */
  readonly blend: number;
  /** How many picks are chosen as a set. */
  readonly size: number;
  /**
   * `scenarios`: past tasks' (blended) scores are the scenarios; `residual`: the network's prediction
   * plus `spread` × each past task's deviation from the weighted mean score of the configuration —
   * the network gives the expectation, the past tasks how configurations move together around it —
   * after the hedged opener.
   */
  readonly mode: 'scenarios' | 'residual';
  readonly spread: number;
}

/** Settings of {@link LearnedMetaModel.fit}. */
export interface LearnedOptions {
  /** Ensemble members (default 3). */
  readonly ensemble?: number;
  /** Width of the two hidden layers (default 64). */
  readonly hidden?: number;
  readonly seed?: number;
  readonly episodic?: Partial<EpisodicSettings>;
}

interface LearnedState {
  readonly scaler: MetaFeatureScalerState;
  readonly shape: NetworkShape;
  readonly members: number;
  readonly settings: EpisodicSettings;
  readonly trainingLoss: readonly number[];
  readonly taskScoreStd: number;
  readonly tasks: readonly IndexedTask[];
}

/** The meta-trained ensemble. */
export class LearnedMetaModel implements MetaModel {
  readonly type = 'learned';
  private constructor(
    readonly space: SearchSpace,
    private readonly scaler: MetaFeatureScaler,
    private readonly members: readonly ScoringNetwork[],
    private readonly index: TaskIndex,
    /** The meta-training settings it was fitted with. */
    readonly settings: EpisodicSettings,
    /** Final training loss of each member. */
    readonly trainingLoss: readonly number[],
    /** Mean over training tasks of the standard deviation of their normalised scores. */
    readonly taskScoreStd: number,
  ) {}

  /**
   * Meta-trains the ensemble.
   * @param training - past tasks of one space
   * @returns the fitted model (call `dispose` when done)
   * @throws StoreError when the training set has no task
   */
  static async fit(training: TrainingSet, options: LearnedOptions = {}): Promise<LearnedMetaModel> {
    if (training.tasks.length === 0) throw new StoreError(`the learned meta-model needs at least one training task in search space '${training.space.name}'`);
    await prepareTensorBackend();
    const scaler = MetaFeatureScaler.fit(training.tasks.map((t) => t.metaFeatures));
    const shape = { input: scaler.size + training.space.oneHotLabels().length, hidden: options.hidden ?? 64 };
    const merged = { ...DEFAULT_EPISODIC_SETTINGS, ...options.episodic };
    const total = training.tasks.reduce((n, t) => n + t.evaluations.length, 0);
    const settings = { ...merged, steps: options.episodic?.steps ?? defaultSteps(total, merged) };
    const episodes: EpisodeTask[] = training.tasks.map((t) => ({
      x: encodeRows(training.space, scaler.transform(t.metaFeatures), t.evaluations.map((e) => e.config)),
      y: Float32Array.from(t.evaluations, (e) => e.normalized),
      n: t.evaluations.length,
    }));
    const members: ScoringNetwork[] = [];
    const losses: number[] = [];
    try {
      for (let m = 0; m < (options.ensemble ?? 3); m++) {
        const seed = deriveSeed(options.seed ?? 0, 'learned-member', m);
        const net = ScoringNetwork.init(shape, seed);
        members.push(net);
        losses.push(trainEpisodic(net, episodes, settings, seed));
      }
    } catch (error) {
      for (const net of members) net.dispose();
      throw error;
    }
    return new LearnedMetaModel(training.space, scaler, members, TaskIndex.fromTraining(training), settings, losses, meanTaskScoreStd(training));
  }

  /** Rebuilds a model from {@link LearnedMetaModel.toJSON}'s state and weights. */
  static fromState(space: SearchSpace, state: LearnedState, weights: Float32Array): LearnedMetaModel {
    const size = ScoringNetwork.size(state.shape);
    if (weights.length !== size * state.members) throw new RangeError(`expected ${size * state.members} weights, got ${weights.length}`);
    const members = Array.from({ length: state.members }, (_, m) => ScoringNetwork.fromWeights(state.shape, weights.slice(m * size, (m + 1) * size)));
    return new LearnedMetaModel(space, MetaFeatureScaler.fromState(state.scaler), members, new TaskIndex(state.tasks), state.settings, state.trainingLoss, state.taskScoreStd);
  }

  /**
   * @param metaFeatures - the task's meta-features
   * @param adapt - adaptation settings (default: `head.ts`'s)
   * @param priorWeight - weight of the configuration prior before any evaluation ({@link PRIOR_WEIGHT}; 0: the network alone)
   * @param priorFade - how the prior fades with evaluations ({@link PRIOR_FADE})
   * @returns the model as a surrogate for one task (see {@link TaskSurrogate})
   */
  surrogate(metaFeatures: MetaFeatureValues, adapt?: AdaptOptions, priorWeight = PRIOR_WEIGHT, priorFade = PRIOR_FADE): TaskSurrogate {
    this.priorScores ??= this.index.meanScores();
    return new TaskSurrogate(this.space, this.members, this.scaler.transform(metaFeatures), this.taskScoreStd, adapt, { weight: priorWeight, fade: priorFade, scores: this.priorScores });
  }

  /** The training tasks' mean normalised score per configuration (computed at first use). */
  private priorScores: Map<string, number> | undefined;

  /**
   * Ranks candidates as a pick order: the k-th pick is the best remaining candidate under the
   * surrogate with the configuration prior at the weight it would have after k more evaluations
   * (with the default fade of 0, the prior chooses the first pick and the network orders the rest).
   * Before any evaluation the first pick is then hedged ({@link OPENER_MARGIN}): the candidate
   * with the best prior score opens unless the ensemble is confident enough in the favourite.
   * Each candidate's score is the value that ranked it (the blend at its pick's weight: with the
   * default fade, the first pick's score blends network and prior, the others' are the network's;
   * a favourite moved second by the hedge keeps its blend), so from the third pick on the scores
   * decrease down the list.
   * @param openerMargin - {@link OPENER_MARGIN}; 0 always opens with the favourite
   */
  rank(query: RankQuery, candidates: readonly Configuration[], openerMargin = OPENER_MARGIN, zeroShot: ZeroShotSettings | null = DEFAULT_ZERO_SHOT): RankedCandidate[] {
    const evaluated = query.evaluated ?? [];
    const surrogate = this.surrogate(query.metaFeatures);
    const predictions = surrogate.predict(candidates, evaluated);
    const prior = surrogate.priorScores(candidates);
    const neighbors = this.index.nearest(query.metaFeatures);
    const hashes = candidates.map((c) => configHash(c));
    const current = surrogate.priorWeight(evaluated.length);
    const network = predictions.map((p, i) => p.mean * (1 + current) - current * prior[i]);
    const remaining = hashes.map((_, i) => i);
    const picks: { index: number; score: number }[] = [];
    while (remaining.length > 0) {
      const weight = surrogate.priorWeight(evaluated.length + picks.length);
      const value = (i: number) => (network[i] + weight * prior[i]) / (1 + weight);
      let best = 0;
      for (let k = 1; k < remaining.length; k++) {
        const a = remaining[k];
        const b = remaining[best];
        if (value(a) > value(b) || (value(a) === value(b) && hashes[a] < hashes[b])) best = k;
      }
      const [index] = remaining.splice(best, 1);
      picks.push({ index, score: value(index) });
    }
    if (evaluated.length === 0 && picks.length > 1) {
      if (zeroShot === null || zeroShot.mode === 'residual') hedgeOpener(picks, predictions, prior, hashes, openerMargin, surrogate.priorWeight(0));
      if (zeroShot !== null) chooseAsSet(picks, network, hashes, this.index, neighbors, zeroShot);
    }
    return picks.map(({ index: i, score }) => ({
      config: candidates[i],
      configHash: hashes[i],
      score,
      uncertainty: predictions[i].std,
      why: { nearestTasks: this.index.explain(hashes[i], neighbors) },
    }));
  }

  toJSON(): SerializedMetaModel {
    const state: LearnedState = {
      scaler: this.scaler.toJSON(),
      shape: this.members[0]?.shape ?? { input: 0, hidden: 0 },
      members: this.members.length,
      settings: this.settings,
      trainingLoss: this.trainingLoss,
      taskScoreStd: this.taskScoreStd,
      tasks: this.index.tasks,
    };
    const parts = this.members.map((m) => m.weights());
    const weights = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((offset, p) => (weights.set(p, offset), offset + p.length), 0);
    return { type: 'learned', formatVersion: 1, space: definitionOf(this.space), state, weights };
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}

/**
 * Replaces the first `size` picks by the task-conditioned portfolio over every candidate (see
 * {@link ZERO_SHOT_SET}); each chosen candidate keeps its surrogate score, the others follow in
 * their previous order.
 */
function chooseAsSet(picks: { index: number; score: number }[], network: readonly number[], hashes: readonly string[], index: TaskIndex, neighbors: ReturnType<TaskIndex['nearest']>, settings: ZeroShotSettings): void {
  const weights = scenarioWeights(neighbors, index.tasks.map((t) => t.name), settings.scenarios);
  // only candidates some past task evaluated: a configuration no task ran has a network guess and no evidence
  const known = hashes.map((h, i) => [h, i] as const).filter(([h]) => index.tasks.some((t) => t.scores[h] !== undefined));
  if (known.length === 0) return;
  const key = known.map(([h, i]) => `${h}#${i}`);
  let scenarios: Map<string, number>[];
  let start: string[] = [];
  if (settings.mode === 'scenarios') {
    scenarios = index.tasks.map((t) => new Map(known.map(([h, i], k) => {
      const there = t.scores[h];
      return [key[k], there === undefined ? 0 : settings.blend * there + (1 - settings.blend) * network[i]] as const;
    })));
  } else {
    const mean = known.map(([h]) => {
      let sum = 0;
      let weight = 0;
      index.tasks.forEach((t, j) => {
        const there = t.scores[h];
        if (there !== undefined) {
          sum += weights[j] * there;
          weight += weights[j];
        }
      });
      return weight > 0 ? sum / weight : 0;
    });
    scenarios = index.tasks.map((t) => new Map(known.map(([h, i], k) => {
      const there = t.scores[h];
      return [key[k], network[i] + (there === undefined ? 0 : settings.spread * (there - mean[k]))] as const;
    })));
    const opener = known.findIndex(([, i]) => i === picks[0].index);
    if (opener >= 0) start = [key[opener]];
  }
  const tieBreak = new Map(known.map(([, i], k) => [key[k], network[i]]));
  const chosen = conditionedPortfolio(scenarios, weights, key, Math.min(settings.size, known.length), start, tieBreak).map((k) => Number(k.slice(k.indexOf('#') + 1)));
  const byIndex = new Map(picks.map((p) => [p.index, p]));
  const taken = new Set(chosen);
  picks.splice(0, picks.length, ...chosen.map((i) => byIndex.get(i)!), ...[...byIndex.values()].filter((p) => !taken.has(p.index)));
}

/**
 * Moves the candidate with the best prior score (ties: the smaller hash) to the front unless the
 * favourite at the front is predicted better by more than `margin` combined standard deviations.
 * Its score is then its own blend at the first pick's weight.
 */
function hedgeOpener(picks: { index: number; score: number }[], predictions: readonly { mean: number; std: number }[], prior: Float64Array, hashes: readonly string[], margin: number, weight: number): void {
  if (weight === 0) return; // no prior to fall back on
  let safe = 0;
  for (let i = 1; i < prior.length; i++) if (prior[i] > prior[safe] || (prior[i] === prior[safe] && hashes[i] < hashes[safe])) safe = i;
  const favourite = picks[0].index;
  if (safe === favourite) return;
  const a = predictions[favourite];
  const b = predictions[safe];
  if (a.mean - b.mean > margin * Math.sqrt(a.std ** 2 + b.std ** 2)) return;
  picks.splice(picks.findIndex((p) => p.index === safe), 1);
  picks.unshift({ index: safe, score: b.mean });
}

/** @returns the mean over tasks of the standard deviation of their normalised scores */
function meanTaskScoreStd(training: TrainingSet): number {
  const stds = training.tasks.map((t) => {
    const values = t.evaluations.map((e) => e.normalized);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length);
  });
  return stds.reduce((s, x) => s + x, 0) / Math.max(1, stds.length);
}
