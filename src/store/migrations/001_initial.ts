import type { Migration } from './migration.ts';

/** The first schema: tasks, meta-features, spaces, configurations, evaluations, studies, models, provenance. */
export const migration001: Migration = {
  version: 1,
  description: 'initial schema',
  up(db) {
    db.exec(SQL);
  },
};

const SQL = `
CREATE TABLE schema_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  n_rows INTEGER NOT NULL,
  n_features INTEGER NOT NULL,
  task_type TEXT NOT NULL CHECK (task_type IN ('classification', 'regression')),
  target TEXT NOT NULL,
  n_classes INTEGER,
  created_at TEXT NOT NULL
);

CREATE TABLE meta_feature_sets (
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  extractor_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (task_id, extractor_version)
);

-- One row per feature, so that any feature can be filtered and sorted on in SQL.
CREATE TABLE meta_features (
  task_id INTEGER NOT NULL,
  extractor_version TEXT NOT NULL,
  name TEXT NOT NULL,
  value REAL,
  missing_reason TEXT,
  PRIMARY KEY (task_id, extractor_version, name),
  FOREIGN KEY (task_id, extractor_version)
    REFERENCES meta_feature_sets(task_id, extractor_version) ON DELETE CASCADE
);

CREATE TABLE search_spaces (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (name, version)
);

CREATE TABLE configurations (
  id INTEGER PRIMARY KEY,
  space TEXT NOT NULL,
  hash TEXT NOT NULL,
  canonical_json TEXT NOT NULL,
  UNIQUE (space, hash)
);

CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  configuration_id INTEGER NOT NULL REFERENCES configurations(id),
  protocol_id TEXT NOT NULL,
  fidelity REAL NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  error TEXT,
  metrics TEXT NOT NULL,
  primary_score REAL,
  curve TEXT NOT NULL,
  epochs_run INTEGER NOT NULL,
  wall_time_ms REAL NOT NULL,
  backend TEXT NOT NULL,
  metatune_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (task_id, configuration_id, protocol_id, fidelity, seed)
);

CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  direction TEXT NOT NULL CHECK (direction IN ('maximize', 'minimize')),
  space TEXT NOT NULL,
  task_id INTEGER REFERENCES tasks(id),
  settings TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'pruned')),
  config_hash TEXT NOT NULL,
  config TEXT NOT NULL,
  origin TEXT NOT NULL,
  value REAL,
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  UNIQUE (study_id, number)
);

CREATE TABLE trial_intermediate (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  value REAL,
  PRIMARY KEY (trial_id, step)
);

CREATE TABLE meta_models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  weights BLOB NOT NULL,
  report TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (name, version)
);

CREATE TABLE provenance (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  command TEXT NOT NULL,
  seed INTEGER,
  metatune_version TEXT NOT NULL,
  backend TEXT,
  details TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;
