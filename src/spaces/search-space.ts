/**
 * A loaded search space: its hyperparameters, which of them are active in a configuration, which
 * configurations are legal, and the samplers, encodings and hashes built on that.
 */

import { SearchSpaceError } from '../errors.ts';
import type { TaskType } from '../data/table.ts';
import type { Random } from '../random.ts';
import { canonicalJson, configHash } from './canonical.ts';
import { ParseContext } from './parse-context.ts';
import { isParsedDefinition, parseSpaceDocument } from './parse-space.ts';
import { orderByConditions } from './condition-graph.ts';
import {
  fromOneHotVector,
  fromVector,
  oneHotLabels,
  toOneHotVector,
  toVector,
} from './encoding.ts';
import { isLegalValue, describeDomain, roundSignificant } from './hyperparameter-values.ts';
import { conditionHolds, conditionParents, describeCondition, forbiddenMatches } from './rules.ts';
import { neighbors, type NeighborOptions } from './neighborhood.ts';
import { sampleRandom, sampleSpaceFilling, type SpaceFillingOptions } from './sampling.ts';
import { definitionFingerprint, definitionToJson, type SpaceJson } from './serialize.ts';
import type {
  Configuration,
  ConditionClause,
  ForbiddenClause,
  Hyperparameter,
  HyperparameterValue,
  SearchSpaceDefinition,
  UniformIntHyperparameter,
} from './types.ts';

/** A validated search space. Build one with `loadSearchSpace` or `parseSearchSpace`. */
export class SearchSpace {
  readonly name: string;
  readonly description: string;
  readonly formatVersion: number;
  readonly taskTypes: readonly TaskType[] | undefined;
  /** Hyperparameters in declaration order; vectors use this order. */
  readonly hyperparameters: readonly Hyperparameter[];
  readonly forbiddens: readonly ForbiddenClause[];
  /** Where the space was loaded from, if it came from a file. */
  readonly source: string | undefined;
  /** The training-budget hyperparameter (`"fidelity": true`), if the space has one. */
  readonly fidelity: UniformIntHyperparameter | undefined;
  /** Hyperparameters ordered so that every parent precedes its children. */
  readonly activationOrder: readonly Hyperparameter[];
  private readonly byName: ReadonlyMap<string, Hyperparameter>;
  private readonly conditionOf: ReadonlyMap<string, ConditionClause>;

  /** The validated definition the space was built from. */
  readonly definition: SearchSpaceDefinition;

  /**
   * Builds a space from a definition, checking it as the loader does unless it came from the
   * parser (every hyperparameter's own arguments, references, cycles) and checking that the default
   * configuration is not forbidden.
   * @param definition - the definition, e.g. from `parseSearchSpace` or written in code
   * @param ctx - where the definition came from, so that errors carry file, line and column
   * @throws SearchSpaceError naming the JSON path of the first problem and what was expected
   */
  constructor(definition: SearchSpaceDefinition, ctx: ParseContext = new ParseContext(definition.source)) {
    const checked = isParsedDefinition(definition) ? definition : parseSpaceDocument(definitionToJson(definition), ctx);
    this.definition = checked;
    this.name = checked.name;
    this.description = checked.description;
    this.formatVersion = checked.formatVersion;
    this.taskTypes = checked.taskTypes;
    this.hyperparameters = checked.hyperparameters;
    this.forbiddens = checked.forbiddens;
    this.source = checked.source;
    this.byName = new Map(checked.hyperparameters.map((hp) => [hp.name, hp]));
    this.conditionOf = new Map(checked.conditions.map((c) => [c.child, c.when]));
    this.fidelity = checked.hyperparameters.find(
      (hp): hp is UniformIntHyperparameter => hp.type === 'uniform_int' && hp.fidelity,
    );
    this.activationOrder = this.orderHyperparameters();
    const defaults = this.defaultConfiguration();
    const index = this.forbiddens.findIndex((f) => forbiddenMatches(f, defaults));
    if (index >= 0) {
      throw ctx.error(['forbiddens', index], 'the default configuration is forbidden by this clause; change a default_value or the clause');
    }
  }

  private orderHyperparameters(): Hyperparameter[] {
    const parents = new Map([...this.conditionOf].map(([child, when]) => [child, conditionParents(when)]));
    const result = orderByConditions([...this.byName.keys()], parents);
    if ('cycle' in result) throw new SearchSpaceError(`conditions form a cycle: ${result.cycle.join(' → ')}`);
    return result.order.map((name) => this.hyperparameter(name));
  }

  /**
   * @param name - a hyperparameter name
   * @returns its definition
   * @throws SearchSpaceError when the space has no such hyperparameter
   */
  hyperparameter(name: string): Hyperparameter {
    const hp = this.byName.get(name);
    if (hp === undefined) throw new SearchSpaceError(`search space '${this.name}' has no hyperparameter '${name}'`);
    return hp;
  }

  /** @returns the condition that switches `name` on, or undefined when it is always active */
  conditionOn(name: string): ConditionClause | undefined {
    return this.conditionOf.get(name);
  }

  /**
   * @param name - a hyperparameter name
   * @param config - a configuration, possibly partial (parents are read from it)
   * @returns whether `name` is active: it has no condition, or its condition holds in `config`
   * @throws SearchSpaceError when the space has no such hyperparameter
   */
  isActive(name: string, config: Configuration): boolean {
    this.hyperparameter(name);
    const when = this.conditionOf.get(name);
    return when === undefined || conditionHolds(when, config, this.byName);
  }

  /** @returns whether `config` matches any forbidden clause */
  isForbidden(config: Configuration): boolean {
    return this.forbiddens.some((f) => forbiddenMatches(f, config));
  }

  /**
   * Keeps from a full assignment only the hyperparameters that are active, deciding parents first.
   * @param assignment - a value for (at least) every hyperparameter that can become active
   * @returns the configuration, with inactive hyperparameters absent
   */
  applyConditions(assignment: Readonly<Record<string, HyperparameterValue>>): Configuration {
    const config: Record<string, HyperparameterValue> = {};
    for (const hp of this.activationOrder) {
      const value = assignment[hp.name];
      if (value !== undefined && this.isActive(hp.name, config)) config[hp.name] = value;
    }
    return this.inDeclarationOrder(config);
  }

  /** @returns the configuration of every default value, conditions applied */
  defaultConfiguration(): Configuration {
    return this.applyConditions(Object.fromEntries(this.hyperparameters.map((hp) => [hp.name, hp.defaultValue])));
  }

  /**
   * Checks a configuration and returns it canonical: floats rounded to 10 significant digits,
   * keys in declaration order.
   * @param config - an untrusted value, e.g. parsed from `--config`
   * @returns the canonical configuration
   * @throws SearchSpaceError naming the hyperparameter and what was expected: an unknown name,
   *   a wrong type or range, a missing active or a present inactive hyperparameter, a forbidden match
   */
  validateConfiguration(config: unknown): Configuration {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw this.configError('expected an object of hyperparameter values');
    }
    const entries = new Map<string, unknown>(Object.entries(config));
    for (const key of entries.keys()) {
      if (!this.byName.has(key)) {
        throw this.configError(`unknown hyperparameter '${key}'; the space has ${[...this.byName.keys()].join(', ')}`);
      }
    }
    const checked: Record<string, HyperparameterValue> = {};
    for (const hp of this.activationOrder) this.checkValue(hp, entries.get(hp.name), checked);
    const index = this.forbiddens.findIndex((f) => forbiddenMatches(f, checked));
    if (index >= 0) throw this.configError(`matches forbiddens[${index}] ${JSON.stringify(this.forbiddens[index])}`);
    return this.inDeclarationOrder(checked);
  }

  private checkValue(hp: Hyperparameter, raw: unknown, checked: Record<string, HyperparameterValue>): void {
    const active = this.isActive(hp.name, checked);
    if (!active) {
      const when = this.conditionOf.get(hp.name);
      if (raw !== undefined && when !== undefined) {
        throw this.configError(`'${hp.name}' must be absent: it is active only when ${describeCondition(when)}`);
      }
      return;
    }
    if (raw === undefined) throw this.configError(`'${hp.name}' is missing; expected ${describeDomain(hp)}`);
    const value = hp.type === 'uniform_float' && typeof raw === 'number' ? roundSignificant(raw) : raw;
    if (!isLegalValue(hp, value)) {
      throw this.configError(`'${hp.name}' is ${JSON.stringify(raw)}; expected ${describeDomain(hp)}`);
    }
    checked[hp.name] = value;
  }

  private configError(message: string): SearchSpaceError {
    return new SearchSpaceError(`configuration for search space '${this.name}': ${message}`);
  }

  private inDeclarationOrder(config: Readonly<Record<string, HyperparameterValue>>): Configuration {
    const out: Record<string, HyperparameterValue> = {};
    for (const hp of this.hyperparameters) if (config[hp.name] !== undefined) out[hp.name] = config[hp.name];
    return Object.freeze(out);
  }

  /** Draws `n` independent configurations; see {@link sampleRandom}. */
  sampleRandom(rng: Random, n: number): Configuration[] {
    return sampleRandom(this, rng, n);
  }

  /** Draws `n` configurations from a space-filling design; see {@link sampleSpaceFilling}. */
  sampleSpaceFilling(n: number, seed: number, options?: SpaceFillingOptions): Configuration[] {
    return sampleSpaceFilling(this, n, seed, options);
  }

  /** One coordinate per hyperparameter in [0, 1], NaN when inactive; see {@link toVector}. */
  toVector(config: Configuration): Float64Array {
    return toVector(this, config);
  }

  /** Inverse of {@link SearchSpace.toVector}; see {@link fromVector}. */
  fromVector(vector: ArrayLike<number>): Configuration {
    return fromVector(this, vector);
  }

  /** Categoricals one-hot plus an activity slot per conditional hyperparameter; see {@link toOneHotVector}. */
  toOneHotVector(config: Configuration): Float64Array {
    return toOneHotVector(this, config);
  }

  /** Inverse of {@link SearchSpace.toOneHotVector}; see {@link fromOneHotVector}. */
  fromOneHotVector(vector: ArrayLike<number>): Configuration {
    return fromOneHotVector(this, vector);
  }

  /** @returns a name for every slot of {@link SearchSpace.toOneHotVector}, e.g. `activation=relu`, `momentum:active` */
  oneHotLabels(): string[] {
    return oneHotLabels(this);
  }

  /** The one-exchange neighbourhood of a configuration; see {@link neighbors}. */
  neighbors(config: Configuration, rng: Random, options?: NeighborOptions): Configuration[] {
    return neighbors(this, config, rng, options);
  }

  /** @returns the space in its file format, e.g. to store it; see {@link definitionToJson} */
  toJSON(): { [key: string]: SpaceJson } {
    return definitionToJson(this.definition);
  }

  /** @returns a 16-hex-digit fingerprint of what decides the configurations; see {@link definitionFingerprint} */
  fingerprint(): string {
    return definitionFingerprint(this.definition);
  }

  /** Canonical JSON of a validated configuration; see {@link canonicalJson}. */
  canonicalJson(config: Configuration): string {
    return canonicalJson(this.validateConfiguration(config));
  }

  /** First 16 hex digits of the SHA-256 of {@link SearchSpace.canonicalJson}. */
  configHash(config: Configuration): string {
    return configHash(this.validateConfiguration(config));
  }
}
