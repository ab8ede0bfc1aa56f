/** Study and benchmark reports: plot data, hyperparameter importance, task projection, SVG plots and self-contained HTML. */
export { collectStudyReport, studySections, studyReportHtml, taskMapPlot, STUDY_PLOTS, ORIGIN_COLORS, type StudyReport, type StudyReportOptions, type SectionOptions } from './study-report.ts';
export { benchCurves, benchSections, benchReportHtml, BENCH_PLOTS, type BenchCurves, type MethodCurve } from './bench-report.ts';
export { fanovaImportances, studyImportances, type ParameterImportance, type StudyImportances, type ForestOptions } from './importance.ts';
export { projectTasks, type TaskMap, type TaskMapPoint } from './projection.ts';
export { optimisationHistory, parallelCoordinatesData, intermediateValues, learningCurves, rungSteps, originKind, bestTrialOf, stateCounts, ORIGIN_KINDS, type HistoryPoint, type ParallelData, type IntermediateData, type TrialCurve, type OriginKind } from './study-data.ts';
export { lineChart, barChart, parallelCoordinates, scatterMap, heatmap, type Series, type AxisSpec, type Bar, type MapPoint } from './svg.ts';
export { configurationMatrix, type ConfigurationMatrix } from './space-data.ts';
export { startDashboard, DashboardPages, type Dashboard, type DashboardOptions } from '../dashboard/server.ts';
export { openStoreReadOnly, storagePath } from '../dashboard/open-store.ts';
