/**
 * The `Clusterer` facade: vectors in (a typed array, a file, any `@clostera/io` source), k and a
 * metric, labels and centroids out; with `algorithm: 'auto'` the backend is chosen by the
 * measured rule of `@clostera/selector`, and the path it took is kept in `selection`.
 *
 * @module
 */
import { DEFAULTS, fit, KMeansModel, loadModel, saveModel, type DenseBackend, type IterationStats, type KMeansOptions } from '@clostera/kmeans';
import { select, type Selection } from '@clostera/selector';
import { availableAlgorithms, availableMetrics, type Algorithm, type Metric } from './algorithms.js';
import { asClosteraError, invalidArgument, throwIfAborted } from './errors.js';
import { openInput, type ClusterInput, type OpenedInput } from './input.js';
import { checkOptions, type CallOptions, type CheckedOptions, type ClustererOptions } from './options.js';
import { ProgressTracker } from './progress.js';
import { distancesAll, labelAll, type Centroids } from './streaming.js';
import { needsSample, trainingRows } from './training.js';

/** What a fit trained on. */
export interface TrainingInfo {
  /** Rows of the input. */
  n: number;
  /** Components per row. */
  d: number;
  /** Rows read into memory for training (`n` unless sampled). */
  rows: number;
  /** True when the input exceeded `maxRam` and the fit trained on a seeded sample (every row is still labelled). */
  sampled: boolean;
  /** Format of the input (`'memory'`, `'npy'`, `'parquet'`, ...). */
  format: string;
}

interface Fitted {
  model: KMeansModel;
  selection: Selection | undefined;
  training: TrainingInfo;
  seconds: number;
}

/** Engine options of the constructor, without the facade's own fields. */
function engineOptions(o: ClustererOptions): Omit<KMeansOptions, 'k' | 'algorithm'> {
  const { k: _k, algorithm: _a, maxRam: _m, onProgress: _p, onIteration: _i, signal: _s, ...rest } = o;
  return rest;
}

/**
 * k-means behind one object.
 *
 * @example
 * ```ts
 * const c = new Clusterer({ k: 10, metric: 'l2', algorithm: 'auto', seed: 1234 });
 * await c.fit(x, { d: 784 });          // or c.fit('vectors.npy'), c.fit(await open(...))
 * c.algorithm;                          // the backend 'auto' chose
 * console.log(c.selection?.explain());  // and why
 * c.labels; c.centroids; c.stats;
 * ```
 */
export class Clusterer {
  /** The options given to the constructor. */
  readonly options: Readonly<ClustererOptions>;
  private readonly checked: CheckedOptions;
  private state: Fitted | undefined;

  /**
   * @param options - `k` and optionally the metric, algorithm, seed, memory budget and any engine option.
   * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` for a bad k, metric, algorithm or `maxRam`.
   */
  constructor(options: ClustererOptions) {
    this.checked = checkOptions(options);
    this.options = { ...options };
  }

  /** Every value `algorithm` accepts (`'auto'` first). */
  static availableAlgorithms(): readonly Algorithm[] {
    return availableAlgorithms();
  }

  /** Every value `metric` accepts. */
  static availableMetrics(): readonly Metric[] {
    return availableMetrics();
  }

  /**
   * A fitted clusterer from a model saved by {@link Clusterer.save}. Its `selection` is
   * `undefined` (the file keeps the backend, not the rule's path).
   */
  static async load(path: string, options: Omit<ClustererOptions, 'k' | 'metric' | 'algorithm'> = {}): Promise<Clusterer> {
    const model = await loadModel(path);
    const c = new Clusterer({ ...options, k: model.k, metric: model.params.metric, algorithm: model.params.algorithm, seed: model.params.seed });
    c.state = {
      model,
      selection: undefined,
      training: { n: model.params.rows, d: model.d, rows: model.params.trainingRows, sampled: model.params.trainingRows < model.params.rows, format: 'model' },
      seconds: 0,
    };
    return c;
  }

  /** Clusters requested. */
  get k(): number {
    return this.checked.k;
  }

  /** Metric. */
  get metric(): Metric {
    return this.checked.metric;
  }

  /** True once {@link fit} (or {@link Clusterer.load}) has succeeded. */
  get isFitted(): boolean {
    return this.state !== undefined;
  }

  private fitted(): Fitted {
    if (this.state === undefined) throw invalidArgument('the clusterer is not fitted yet: call fit() first');
    return this.state;
  }

  /** The fitted model (`@clostera/kmeans`): centroids, labels, objective, stats and parameters. */
  get model(): KMeansModel {
    return this.fitted().model;
  }

  /** Cluster of every row of the input of the last fit. */
  get labels(): Uint32Array {
    return this.fitted().model.labels;
  }

  /** Row-major `k x d` centroids (unit norm under `'cos'`). */
  get centroids(): Float32Array {
    return this.fitted().model.centroids;
  }

  /** The concrete backend the fit ran (what `'auto'` resolved to). */
  get algorithm(): DenseBackend {
    return this.fitted().model.params.algorithm;
  }

  /** Statistics of every Lloyd iteration (of every restart). */
  get stats(): IterationStats[] {
    return this.fitted().model.stats;
  }

  /** Final objective over every row: mean squared distance (`'l2'`) or mean of 1 - cos (`'cos'`). */
  get objective(): number {
    return this.fitted().model.objective;
  }

  /** The rule's choice and path when `algorithm` was `'auto'`; `undefined` for an explicit backend or a loaded model. */
  get selection(): Selection | undefined {
    return this.fitted().selection;
  }

  /** What the last fit trained on. */
  get training(): TrainingInfo {
    return this.fitted().training;
  }

  /** Wall-clock seconds of the last fit (reading, training and labelling). */
  get seconds(): number {
    return this.fitted().seconds;
  }

  /**
   * Fits the model. Inputs: a `Float32Array` with `{ d }` (used in place: do not modify it until
   * the promise settles), a path or URL, bytes, an Arrow table, or a `VectorSource`. With
   * `algorithm: 'auto'` the backend comes from `select({ n, d, k, metric })`.
   *
   * @throws {@link ClosteraError} with the engine's and `@clostera/io`'s codes, `CLOSTERA_CANCELLED`
   *   when the signal fires, `CLOSTERA_OUT_OF_MEMORY` when `maxRam` holds fewer than k rows.
   */
  async fit(input: ClusterInput, call: CallOptions = {}): Promise<this> {
    const started = performance.now();
    const signal = call.signal ?? this.options.signal;
    let opened: OpenedInput | undefined;
    try {
      throwIfAborted(signal, 'the fit');
      opened = await openInput(input, call);
      const { k, metric, seed, maxRam } = this.checked;
      const selection = this.checked.algorithm === 'auto' ? select({ n: opened.n, d: opened.d, k, metric }) : undefined;
      const algorithm: DenseBackend = selection?.algorithm ?? (this.checked.algorithm as DenseBackend);
      const sampled = needsSample(opened, maxRam);
      const tracker = new ProgressTracker(
        {
          fit: true,
          read: opened.matrix === undefined && !sampled,
          sample: sampled,
          predict: sampled,
          maxIter: this.options.maxIter ?? DEFAULTS.maxIter,
          redos: algorithm === 'dense-exact-nredo' ? (this.options.nRedo ?? DEFAULTS.nRedo) : 1,
        },
        call.onProgress ?? this.options.onProgress,
      );
      const train = await trainingRows(opened, { maxRam, k, seed, signal }, tracker);
      if (train.sampled && this.options.sampleWeights !== undefined) {
        throw invalidArgument('sampleWeights need every row in memory, but the input exceeds maxRam and would be sampled', `n * d * 4 <= ${maxRam}`, opened.n * opened.d * 4);
      }
      const options: KMeansOptions = {
        ...engineOptions(this.options),
        k,
        metric,
        algorithm,
        seed,
        onProgress: (p) => tracker.engine(p),
      };
      if (signal !== undefined) options.signal = signal;
      if (this.options.onIteration !== undefined) options.onIteration = this.options.onIteration;
      // The rule's training set applies unless the caller chose one.
      if (selection?.training === 'all' && this.options.maxPointsPerCentroid === undefined) options.maxPointsPerCentroid = Infinity;
      if (selection?.rowsPerCentroid !== undefined && this.options.maxPointsPerCentroid === undefined) options.maxPointsPerCentroid = selection.rowsPerCentroid;
      let model = await fit(train.matrix, opened.d, options);
      if (train.sampled) {
        const all = await labelAll(opened, { centroids: model.centroids, k, d: opened.d, metric }, signal, tracker);
        model = new KMeansModel({
          params: { ...model.params, rows: opened.n },
          centroids: model.centroids,
          labels: all.labels,
          objective: all.objective,
          stats: model.stats,
          trials: model.trials,
          refinement: model.refinement,
          bestRedo: model.bestRedo,
          warnings: [...model.warnings, `trained on a seeded sample of ${train.rows} of ${opened.n} rows (the input exceeds maxRam); every row is labelled`],
        });
      }
      tracker.finish(train.sampled ? 'predict' : 'final', opened.n);
      this.state = {
        model,
        selection,
        training: { n: opened.n, d: opened.d, rows: train.rows, sampled: train.sampled, format: opened.format },
        seconds: (performance.now() - started) / 1000,
      };
      return this;
    } catch (error) {
      throw asClosteraError(error);
    } finally {
      await opened?.close();
    }
  }

  /** {@link fit}, then the labels of every row of `input`. */
  async fitPredict(input: ClusterInput, call: CallOptions = {}): Promise<Uint32Array> {
    await this.fit(input, call);
    return this.labels;
  }

  private centroidSet(): Centroids {
    const m = this.fitted().model;
    return { centroids: m.centroids, k: m.k, d: m.d, metric: m.params.metric };
  }

  private async withInput<T>(input: ClusterInput, call: CallOptions, run: (opened: OpenedInput, signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    const signal = call.signal ?? this.options.signal;
    let opened: OpenedInput | undefined;
    try {
      throwIfAborted(signal, 'the pass');
      // Typed arrays may leave out d: the model knows it.
      opened = await openInput(input, input instanceof Float32Array && call.d === undefined ? { ...call, d: this.fitted().model.d } : call);
      return await run(opened, signal);
    } catch (error) {
      throw asClosteraError(error);
    } finally {
      await opened?.close();
    }
  }

  /** Nearest centroid of every row of `input` (largest cosine under `'cos'`), streamed chunk by chunk for sources. */
  async predict(input: ClusterInput, call: CallOptions = {}): Promise<Uint32Array> {
    const c = this.centroidSet();
    return this.withInput(input, call, async (opened, signal) => {
      const tracker = new ProgressTracker({ fit: false, read: false, sample: false, predict: true, maxIter: 0, redos: 0 }, call.onProgress ?? this.options.onProgress);
      const { labels } = await labelAll(opened, c, signal, tracker);
      tracker.finish('predict', opened.n);
      return labels;
    });
  }

  /**
   * Distances from every row of `input` to every centroid, row-major `n x k`: squared Euclidean
   * distances under `'l2'`, `1 - cosine similarity` under `'cos'`.
   *
   * @throws {@link ClosteraError} `CLOSTERA_OUT_OF_MEMORY` when `n x k x 4` bytes exceed `maxRam`.
   */
  async transform(input: ClusterInput, call: CallOptions = {}): Promise<Float32Array> {
    const c = this.centroidSet();
    return this.withInput(input, call, (opened, signal) => distancesAll(opened, c, this.checked.maxRam, signal));
  }

  /** Saves the fitted model (centroids, labels, parameters, statistics) atomically; read it back with {@link Clusterer.load}. */
  async save(path: string): Promise<void> {
    const model = this.fitted().model;
    try {
      await saveModel(model, path);
    } catch (error) {
      throw asClosteraError(error);
    }
  }
}
