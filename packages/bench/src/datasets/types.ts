/**
 * The in-memory dataset every benchmark cell runs on.
 *
 * @module
 */

/** A labeled or unlabeled dense matrix, loaded and ready to hand to contenders. */
export interface Dataset {
  /** Canonical spec string; parsing it again loads the same data. Used as the key in results. */
  id: string;
  /** Short human name for tables and plot titles. */
  title: string;
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
  /** Row-major `n x d` values. */
  x: Float32Array;
  /** Ground-truth class of each row, when known. */
  labels?: Uint32Array;
  /** Number of distinct ground-truth classes, when labels are known. */
  classes?: number;
  /** Where the data came from (file paths, generator parameters). */
  source: string;
  /**
   * Datasets that differ only in `n` share a series key, so reports can plot time against N
   * (for example every `gaussian:d=32,k=16,seed=1` size).
   */
  series?: string;
}
