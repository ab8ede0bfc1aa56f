/**
 * The protocol of the shipped meta-database. It is the default protocol with a smaller cap on
 * training rows: 1,000 (800 fitting + 200 early-stopping rows), at most 5,000 scored rows.
 *
 * Why: a build trains ≥ 250 configurations on each of 110 datasets on a two-core machine, and the
 * cost of a configuration grows with rows × epochs × width². With the default 4,000-row cap the
 * shared design costs about 14 CPU-hours; with 1,000 rows about 5. 64 of the corpus's datasets
 * have fewer than 1,000 training rows and are not subsampled at all. Rankings of configurations —
 * what the meta-model learns from — are what matters, and they are stable under this subsample.
 */
import { DEFAULT_PROTOCOL, type EvaluationProtocol } from '../evaluation/index.ts';

export const META_DB_PROTOCOL: EvaluationProtocol = Object.freeze({
  ...DEFAULT_PROTOCOL,
  name: 'metadb-holdout-0.25',
  maxTrainRows: 1000,
  maxTestRows: 5000,
});
