/**
 * `@clostera/bench`: reproducible side-by-side k-means benchmarks.
 *
 * - Datasets: {@link loadDataset} (Fashion-MNIST from IDX files, synthetic families, any file
 *   through `@clostera/io`), seeded {@link generate}ors and {@link writeShards} for huge sets.
 * - Metrics: {@link evaluateClustering} (objectives through the native kernels, balance) and
 *   {@link externalScores} (V-measure, NMI, ARI) over typed arrays in O(N).
 * - Contenders: our engines, FAISS, scikit-learn and ml-kmeans ({@link CONTENDERS}), each in its
 *   own worker process.
 * - Runs: {@link makePlan} + {@link runPlan}; verdicts by {@link judgeCell}; output by
 *   {@link writeOutputs} ({@link renderReport}, {@link renderPlots}).
 *
 * The command line is `npm run bench -- --suite quick|full` (see `dist/cli.js`).
 *
 * @packageDocumentation
 */
export { ClosteraError, ErrorCode } from './errors.js';
export { Rng } from './random/rng.js';

export type { Dataset } from './datasets/types.js';
export { loadDataset } from './datasets/load.js';
export { parseDatasetSpec, formatDatasetSpec, seriesKey, SYNTHETIC_DEFAULTS, type DatasetSpec, type FashionMnistVariant } from './datasets/spec.js';
export { parseIdx, readIdx, type IdxArray } from './datasets/idx.js';
export { loadFashionMnist, DEBIAN_FASHION_MNIST_DIR, EMBEDDED_FASHION_MNIST_DIR, embeddedFashionMnistDir, type FashionMnistPart } from './datasets/fashion-mnist.js';
export { loadFile, readLabels, importIo, type FileDatasetOptions, type IoModule, type IoSource } from './datasets/file.js';
export { normalizeRows } from './datasets/normalize.js';

export type { Family, RowModel } from './synthetic/family.js';
export { FAMILIES, family } from './synthetic/catalog.js';
export { generate, syntheticChunks, syntheticModel, type SyntheticSpec, type SyntheticChunk, type SyntheticData } from './synthetic/generate.js';
export { writeShards, type ShardManifest, type ShardEntry, type ShardOptions } from './synthetic/shards.js';

export { contingency, type Contingency } from './metrics/contingency.js';
export { externalScores, entropy, mutualInformation, adjustedRandIndex, type ExternalScores } from './metrics/external.js';
export { clusterSizes, imbalanceFactor, emptyClusters } from './metrics/balance.js';
export { nearestAssignment, type BenchMetric, type NearestAssignment } from './metrics/objective.js';
export { evaluateClustering, type Quality, type EvaluationInput } from './metrics/evaluate.js';

export type { Contender, Availability, CellShape, EngineFamily, WorkerCommand } from './contenders/types.js';
export { CONTENDERS, selectContenders } from './contenders/registry.js';
export { PYTHON_CONTENDERS, PEER_SCRIPT, probePython, pythonExecutable, DEFAULT_PYTHON, type PythonProbe } from './contenders/python-peers.js';
export { JS_CONTENDERS, ML_KMEANS_WORK_LIMIT } from './contenders/js-contenders.js';
export type { InProcessEngine, EngineFit, FitJob } from './engines/types.js';

export { SUITES, suite, type Suite, type SuiteCase } from './runner/suites.js';
export { makePlan, type Plan, type PlanOptions } from './runner/plan.js';
export { runPlan, type RunContext } from './runner/execute.js';
export { judgeCell, judgeCells, qualityGap, QUALITY_TOLERANCE, MIN_SPEEDUP } from './runner/winner.js';
export { median, roundOrder } from './runner/stats.js';

export { RESULTS_SCHEMA, type BenchResults, type Row, type RowStatus, type CellSummary, type ContenderRecord, type DatasetRecord, type Environment, type Settings } from './results/schema.js';
export { readResults, writeOutputs, writeResultsJson, resultsBaseName, type WrittenOutputs } from './results/store.js';
export { renderReport, type ReportOptions } from './report/markdown.js';
export { renderPlots, type PlotFile } from './plot/plots.js';
export { renderChart, type Chart, type Panel, type Series, type Point } from './plot/charts.js';
