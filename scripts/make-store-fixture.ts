/**
 * Writes test/fixtures/store/v1.sqlite: a store at schema version 1 (migration 001 only) holding
 * one of every kind of record, written with plain SQL so that it stays a faithful version-1 file
 * whatever the current code writes. The upgrade tests copy it and upgrade the copy.
 * Run: node --import tsx scripts/make-store-fixture.ts
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migration001 } from '../src/store/migrations/001_initial.ts';

const out = fileURLToPath(new URL('../test/fixtures/store/v1.sqlite', import.meta.url));
mkdirSync(fileURLToPath(new URL('../test/fixtures/store/', import.meta.url)), { recursive: true });
rmSync(out, { force: true });

const db = new Database(out);
db.pragma('journal_mode = DELETE');
db.pragma('foreign_keys = ON');
const at = '2026-01-01T00:00:00.000Z';
db.transaction(() => {
  migration001.up(db);
  db.prepare('INSERT INTO schema_version (id, version, updated_at) VALUES (1, 1, ?)').run(at);
  db.prepare(`INSERT INTO tasks (id, name, source, content_hash, n_rows, n_features, task_type, target, n_classes, created_at)
    VALUES (1, 'iris', 'iris.arff', ?, 150, 4, 'classification', 'class', 3, ?)`).run('a'.repeat(64), at);
  db.prepare(`INSERT INTO meta_feature_sets (task_id, extractor_version, created_at) VALUES (1, '1', ?)`).run(at);
  db.prepare(`INSERT INTO meta_features (task_id, extractor_version, name, value, missing_reason) VALUES
    (1, '1', 'NumberOfInstances', 150, NULL), (1, '1', 'NumberOfFeatures', 4, NULL), (1, '1', 'PCAKurtosisFirstPC', NULL, 'not computed')`).run();
  db.prepare(`INSERT INTO search_spaces (name, version, definition, created_at) VALUES ('mlp', '1', '{"name":"mlp"}', ?)`).run(at);
  db.prepare(`INSERT INTO configurations (id, space, hash, canonical_json) VALUES
    (1, 'mlp', '00000000000000a1', '{"units":16}'), (2, 'mlp', '00000000000000a2', '{"units":32}')`).run();
  const evaluation = db.prepare(`INSERT INTO evaluations (task_id, configuration_id, protocol_id, fidelity, seed, status, error,
    metrics, primary_score, curve, epochs_run, wall_time_ms, backend, metatune_version, created_at)
    VALUES (1, ?, 'holdout-v1', 20, 0, ?, ?, ?, ?, ?, 3, 100, 'wasm', '0.1.0', ?)`);
  evaluation.run(1, 'ok', null, '{"accuracy":0.9}', 0.9, '[0.5,0.8,0.9]', at);
  evaluation.run(2, 'failed', 'diverged', '{}', null, '[0.4,null]', at);
  db.prepare(`INSERT INTO studies (id, name, direction, space, task_id, settings, created_at) VALUES (1, 'search-1', 'maximize', 'mlp', 1, '{}', ?)`).run(at);
  db.prepare(`INSERT INTO trials (id, study_id, number, state, config_hash, config, origin, value, started_at, finished_at)
    VALUES (1, 1, 0, 'complete', '00000000000000a1', '{"units":16}', 'warm-start:knn', 0.9, ?, ?)`).run(at, at);
  db.prepare(`INSERT INTO trial_intermediate (trial_id, step, value) VALUES (1, 0, 0.5), (1, 1, 0.9)`).run();
  db.prepare(`INSERT INTO meta_models (name, version, weights, report, created_at) VALUES ('knn', '1', ?, '{}', ?)`).run(Buffer.from([1, 2, 3]), at);
  db.prepare(`INSERT INTO provenance (id, kind, command, seed, metatune_version, backend, details, created_at)
    VALUES ('0123456789abcdef', 'build', 'metatune db build --seed 1', 1, '0.1.0', 'wasm', '{}', ?)`).run(at);
})();
db.close();
process.stdout.write(`wrote ${out}\n`);
