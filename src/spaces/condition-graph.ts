/**
 * The parent → child graph of a space's conditions: an order in which every parent comes before
 * its children (so activity can be decided in one pass), or the cycle that prevents one.
 */

/** Result of ordering: either an order of all names or a cycle, listed from a node back to it. */
export type ConditionOrder = { readonly order: string[] } | { readonly cycle: string[] };

/**
 * Orders hyperparameters so that parents precede children, keeping declaration order otherwise.
 * @param names - every hyperparameter, in declaration order
 * @param parentsOf - child → the parents its condition reads
 * @returns the order, or a cycle such as `['a', 'b', 'a']`
 */
export function orderByConditions(
  names: readonly string[],
  parentsOf: ReadonlyMap<string, readonly string[]>,
): ConditionOrder {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];

  const visit = (name: string): string[] | undefined => {
    const s = state.get(name);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const parent of parentsOf.get(name) ?? []) {
      const cycle = visit(parent);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    order.push(name);
    return undefined;
  };

  for (const name of names) {
    const cycle = visit(name);
    if (cycle !== undefined) return { cycle };
  }
  return { order };
}
