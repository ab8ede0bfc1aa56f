import type { Migration } from './migration.ts';

/**
 * Records why each configuration exists (`origin`: 'default', 'design:sobol'...), which `db build`
 * needs to keep the space's default and the shared space-filling design apart, and adds the indexes
 * that per-configuration coverage and sorting tasks by a meta-feature use.
 */
export const migration002: Migration = {
  version: 2,
  description: 'configuration origin; indexes for coverage and meta-feature sorting',
  up(db) {
    db.exec(`
      ALTER TABLE configurations ADD COLUMN origin TEXT;
      CREATE INDEX evaluations_by_configuration ON evaluations(configuration_id, status);
      CREATE INDEX meta_features_by_name ON meta_features(name, value);
    `);
  },
};
