/**
 * Declarative search spaces: loading and validation, samplers, vector encodings, canonical JSON
 * and configuration hashes.
 */
export type * from './types.ts';
export { SEARCH_SPACE_FORMAT_VERSION } from './types.ts';
export { SearchSpace } from './search-space.ts';
export { loadSearchSpace, parseSearchSpace, parseSearchSpaceText, builtinSearchSpaceNames, BUILTIN_SPACES_DIR } from './load.ts';
export { ParseContext } from './parse-context.ts';
export type { SpaceFillingDesign, SpaceFillingOptions } from './sampling.ts';
export type { NeighborOptions } from './neighborhood.ts';
export { definitionToJson, definitionFingerprint, type SpaceJson } from './serialize.ts';
export { canonicalJson, configHash } from './canonical.ts';
export { FLOAT_SIGNIFICANT_DIGITS, roundSignificant, describeDomain, isLegalValue } from './hyperparameter-values.ts';
export { SobolSequence, SOBOL_MAX_DIMENSION } from './design/sobol.ts';
export { latinHypercube } from './design/latin-hypercube.ts';
