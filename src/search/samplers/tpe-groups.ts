/**
 * How TPE partitions a space's hyperparameters into groups drawn jointly, parents first.
 * Independent TPE: one group per hyperparameter. Multivariate TPE: one group per activity
 * condition (the unconditional hyperparameters together, and each set of hyperparameters switched
 * on by the same condition together), the decomposition Optuna's `group=True` infers from
 * co-occurrence, read here from the space's conditions.
 */
import type { SearchSpace } from '../../spaces/index.ts';
import { axisOf, type TpeAxis } from './axes.ts';

/** Hyperparameters that are active together and drawn together. */
export interface AxisGroup {
  /** Axes in activation order; constants included (they are set, not drawn). */
  readonly axes: readonly TpeAxis[];
  /** A member's name: the group is active in a configuration exactly when this one is present. */
  readonly witness: string;
}

/**
 * @param space - the search space
 * @param multivariate - one group per condition rather than per hyperparameter
 * @returns the groups, each after the groups holding its parents
 */
export function axisGroups(space: SearchSpace, multivariate: boolean): AxisGroup[] {
  if (!multivariate) return space.activationOrder.map((hp) => ({ axes: [axisOf(hp)], witness: hp.name }));
  const byCondition = new Map<string, TpeAxis[]>();
  for (const hp of space.activationOrder) {
    const when = space.conditionOn(hp.name);
    const key = when === undefined ? '' : JSON.stringify(when);
    const group = byCondition.get(key);
    if (group === undefined) byCondition.set(key, [axisOf(hp)]);
    else group.push(axisOf(hp));
  }
  return [...byCondition.values()].map((axes) => ({ axes, witness: axes[0].name }));
}
