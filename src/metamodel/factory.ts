/** Fitting any meta-model type by name, with its settings, as the commands and the benchmark do. */
import { KnnMetaModel, type KnnOptions } from './knn.ts';
import { LearnedMetaModel, type LearnedOptions } from './learned.ts';
import { PortfolioMetaModel, type PortfolioOptions } from './portfolio.ts';
import type { MetaModel, MetaModelType, TrainingSet } from './types.ts';

/** Settings of every type, each optional. */
export interface MetaModelOptions {
  readonly knn?: KnnOptions;
  readonly portfolio?: PortfolioOptions;
  readonly learned?: LearnedOptions;
}

/**
 * @param type - which model
 * @param training - past tasks of one space
 * @returns the fitted model (dispose it when done)
 */
export async function fitMetaModel(type: MetaModelType, training: TrainingSet, options: MetaModelOptions = {}): Promise<MetaModel> {
  if (type === 'knn') return KnnMetaModel.fit(training, options.knn);
  if (type === 'portfolio') return PortfolioMetaModel.fit(training, options.portfolio);
  return LearnedMetaModel.fit(training, options.learned);
}
