// Types of the bundle scripts/build.mjs generates beside this file: it only registers tfjs-core's
// gradients and chained tensor methods, and exports nothing.
export {};
