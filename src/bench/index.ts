/** The leave-one-task-out benchmark of meta-models and search methods, with its reports. */
export { runBenchmark, DEFAULT_BUDGETS, type BenchOptions, type BenchResult, type TaskRegrets } from './loto.ts';
export { BENCH_METHODS, pickOrder, type BenchMethod, type FoldModels } from './methods.ts';
export { summarize, type BenchSummary } from './summary.ts';
export { benchMarkdown, benchJson } from './report.ts';
export { regretPlotSvg, type PlotSeries } from './plot.ts';
