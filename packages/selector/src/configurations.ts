/**
 * The configurations the benchmarks measure, keyed by the `@clostera/bench` contender that runs
 * each one. The replay looks the rule's choice up through this table, so a configuration the rule
 * may pick must appear here with the contender that measures it.
 *
 * @module
 */
import type { Configuration } from './types.js';

/** k-means++ seeding (`dense-exact-row`) trained on the engine's default subsample. */
export const ROW_SUBSAMPLE: Configuration = { algorithm: 'dense-exact-row', training: 'subsample', contender: 'clostera-row' };

/** k-means++ seeding (`dense-exact-row`) trained on every row. */
export const ROW_ALL: Configuration = { algorithm: 'dense-exact-row', training: 'all', contender: 'clostera-row-all' };

/** k distinct random rows as seeds (`dense-exact-random`), trained on every row. */
export const RANDOM_ALL: Configuration = { algorithm: 'dense-exact-random', training: 'all', contender: 'clostera-random-all' };

/** k distinct random rows as seeds (`dense-exact-random`), trained on the engine's default subsample. */
export const RANDOM_SUBSAMPLE: Configuration = { algorithm: 'dense-exact-random', training: 'subsample', contender: 'clostera-random' };

/**
 * k distinct random rows as seeds, trained on 320 rows per centroid: the rule's choice for l2 at
 * D < 160 on large N (see `rule.ts`).
 */
export const RANDOM_320: Configuration = { algorithm: 'dense-exact-random', training: 'subsample', rowsPerCentroid: 320, contender: 'clostera-random-mppc-320' };

/** Every measured configuration with the default training sizes, in the bench's report order. */
export const CONFIGURATIONS: readonly Configuration[] = [ROW_SUBSAMPLE, RANDOM_SUBSAMPLE, ROW_ALL, RANDOM_ALL];

/** Contender ids of our engines trained on a given subsample size (`clostera-random-mppc-384`). */
const SIZED = /^clostera-(row|random)-mppc-([1-9][0-9]*)$/;

/**
 * The configuration a contender id runs (the sized ids included, with their `rowsPerCentroid`),
 * or `undefined` for a contender that is not one of ours (or not mapped yet).
 */
export function configurationOf(contender: string): Configuration | undefined {
  const fixed = CONFIGURATIONS.find((c) => c.contender === contender);
  if (fixed !== undefined) return fixed;
  const sized = SIZED.exec(contender);
  if (sized === null) return undefined;
  return { algorithm: sized[1] === 'row' ? 'dense-exact-row' : 'dense-exact-random', training: 'subsample', rowsPerCentroid: Number(sized[2]), contender };
}
