/**
 * The meta-knowledge store: the {@link MetaStore} interface and its records, the SQLite backend,
 * layering of the user database over the shipped one, schema migrations, JSON Lines export and
 * import, and the summaries the `db` commands print. See README.md in this folder.
 */
export type * from './types.ts';
export { SqliteMetaStore, type SqliteStoreOptions } from './sqlite-store.ts';
export { LayeredMetaStore, type StoreLayers } from './layered-store.ts';
export { openMetaStore, shippedDatabasePath, userDatabasePath, type OpenStoreOptions } from './locations.ts';
export { upgradeStore, prepareForShipping, BUSY_TIMEOUT_MS, type UpgradeResult } from './schema.ts';
export { CURRENT_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';
export { exportLines, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, RECORD_KINDS, type RecordKind } from './jsonl-export.ts';
export { importFile, importLines, type ImportResult } from './jsonl-import.ts';
export { parseFilter, matchesFilter, type FilterClause, type TaskView } from './filter.ts';
export { nearestTasks, vectorPerTask, type TaskNeighbor, type NearestOptions } from './similarity.ts';
export { storeStats, rankConfigurations, scoreDistribution, type StoreStats, type SpaceCoverage, type RankedConfiguration, type ScoreDistribution } from './summary.ts';
export { taskFromDataset, registerTask } from './register.ts';
export { fileSha256 } from './canonical.ts';
