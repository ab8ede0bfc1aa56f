/** The baseline pruner: every trial runs to the end. */
import type { JsonValue } from '../types.ts';
import type { Pruner } from './pruner.ts';

/** Never prunes. */
export class NopPruner implements Pruner {
  readonly name = 'none';

  /** @returns false */
  shouldPrune(): boolean {
    return false;
  }

  /** @returns `{ name: 'none' }` */
  toJSON(): JsonValue {
    return { name: this.name };
  }
}
