/**
 * `@clostera/selector`: the measured rule behind `algorithm: 'auto'`.
 *
 * {@link select} maps a problem's shape (N, D, K, metric) to a backend and its training set, and
 * says why ({@link Selection.explain}). The rule is static, derived from the benchmark results
 * committed under `benchmarks/results/`; {@link replay} re-checks it against any results file.
 * Pure TypeScript: no native code, no I/O.
 *
 * @packageDocumentation
 */
export { BACKENDS } from './types.js';
export type { Backend, Configuration, Problem, Selection, SelectionStep, SelectorMetric, Training } from './types.js';
export { SelectorError, type SelectorErrorCode } from './errors.js';
export { CONFIGURATIONS, RANDOM_320, RANDOM_ALL, RANDOM_SUBSAMPLE, ROW_ALL, ROW_SUBSAMPLE, configurationOf } from './configurations.js';
export { decide, HIGH_D, LARGE_N, MEASURED_RANGE, outsideMeasuredRange, RULE_VERSION, type Decision } from './rule.js';
export { checkProblem, explain, formatPath, formatStep, select } from './select.js';
export { asResultsFile, RESULTS_SCHEMA, type ResultsContender, type ResultsDataset, type ResultsFile, type ResultsRow } from './results.js';
export { replay, replayLatest, replayTable, REPLAY_TOLERANCE, type NamedResults, type ReplayCell } from './replay.js';
