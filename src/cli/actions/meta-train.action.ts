/** `metatune meta-train`: cross-validate, fit and save meta-models. */
import { crossValidate, type CrossValidationReport } from '../../metamodel/cross-validate.ts';
import { fitMetaModel, type MetaModelOptions } from '../../metamodel/factory.ts';
import { saveMetaModel, metaModelName } from '../../metamodel/serialize.ts';
import { LearnedMetaModel } from '../../metamodel/learned.ts';
import { loadTrainingSet } from '../../metamodel/training-set.ts';
import type { MetaModelType, TrainingSet } from '../../metamodel/types.ts';
import { prepareTensorBackend } from '../../metamodel/backend.ts';
import type { MetaStore } from '../../store/types.ts';
import { formatTable, printJson } from '../format.ts';
import { withStore } from './db.action.ts';

export interface MetaTrainContext {
  readonly models: readonly MetaModelType[];
  readonly space: string;
  readonly folds: number;
  readonly validate: boolean;
  /** Undefined: the learned model's default (15 passes over the evaluations, at least 500: `defaultSteps`). */
  readonly steps: number | undefined;
  readonly ensemble: number;
  readonly seed: number;
  readonly db?: string;
  readonly json: boolean;
}

/** What was trained and saved, per model. */
interface TrainedModel {
  readonly model: MetaModelType;
  readonly name: string;
  readonly version: string;
  readonly tasks: number;
  readonly validation: Omit<CrossValidationReport, 'perTask'> | null;
  readonly fitSeconds: number;
}

/**
 * Fits each requested model on every usable task of the space, reports its leave-one-task-out
 * quality (fitted once per fold) and saves it into the store, versioned by the current time.
 * @throws StoreError when the store has no usable task for the space
 */
export async function runMetaTrain(context: MetaTrainContext): Promise<void> {
  await prepareTensorBackend();
  const options: MetaModelOptions = { learned: { ensemble: context.ensemble, seed: context.seed, episodic: { steps: context.steps } } };
  const trained = await withStore({ db: context.db, write: true }, async (store) => {
    const training = loadTrainingSet(store, context.space);
    const out: TrainedModel[] = [];
    for (const type of context.models) out.push(await trainOne(type, training, options, context, store));
    return out;
  });
  if (context.json) printJson(trained);
  else process.stdout.write(formatTrained(trained));
}

async function trainOne(
  type: MetaModelType,
  training: TrainingSet,
  options: MetaModelOptions,
  context: MetaTrainContext,
  store: MetaStore,
): Promise<TrainedModel> {
  const validation = context.validate ? await crossValidate(training, (t) => fitMetaModel(type, t, options), context.folds, context.seed) : null;
  const started = performance.now();
  const model = await fitMetaModel(type, training, options);
  const fitSeconds = (performance.now() - started) / 1000;
  try {
    const version = new Date().toISOString();
    const summary = validation === null ? null : { folds: validation.folds, tasks: validation.tasks, meanRegretAt1: validation.meanRegretAt1, meanSpearman: validation.meanSpearman };
    const perTask = validation === null ? [] : validation.perTask.map((q) => ({ ...q }));
    saveMetaModel(store, model, version, {
      type, space: context.space, tasks: training.tasks.length,
      validation: summary === null ? null : { ...summary, perTask },
      settings: { steps: model instanceof LearnedMetaModel ? model.settings.steps : null, ensemble: context.ensemble, seed: context.seed },
    });
    return { model: type, name: metaModelName(type, context.space), version, tasks: training.tasks.length, validation: summary, fitSeconds };
  } finally {
    model.dispose();
  }
}

function formatTrained(trained: readonly TrainedModel[]): string {
  return formatTable(
    ['model', 'tasks', 'folds', 'regret@1 (LOTO)', 'Spearman (LOTO)', 'fit s', 'saved as'],
    trained.map((t) => [t.model, t.tasks, t.validation?.folds, t.validation?.meanRegretAt1, t.validation?.meanSpearman, t.fitSeconds, `${t.name}@${t.version}`]),
  );
}
