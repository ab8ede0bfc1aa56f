/** A search space inside a serialised meta-model: its file format, so the model reloads on its own. */
import { parseSearchSpace } from '../spaces/load.ts';
import { ParseContext } from '../spaces/parse-context.ts';
import type { SearchSpace } from '../spaces/search-space.ts';

/** @returns the space's definition in the search-space file format */
export function definitionOf(space: SearchSpace): unknown {
  return space.toJSON();
}

/**
 * @returns the space a serialised model was fitted on
 * @throws SearchSpaceError when the stored definition no longer validates
 */
export function spaceFromDefinition(definition: unknown): SearchSpace {
  return parseSearchSpace(definition, new ParseContext('search space stored with a meta-model'));
}
