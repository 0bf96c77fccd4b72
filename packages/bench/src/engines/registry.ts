/**
 * The JavaScript engines a node worker can host, by contender id.
 *
 * @module
 */
import { closteraEngine } from './clostera.js';
import { mlKmeansEngine } from './ml-kmeans.js';
import type { InProcessEngine } from './types.js';

/** `clostera-row-mppc-N` / `clostera-random-mppc-N`: our engines trained on N rows per centroid. */
export const CLOSTERA_SIZED = /^clostera-(row|random)-mppc-([1-9][0-9]*)$/;

/** The engine factory of a contender id, including the sized forms ({@link CLOSTERA_SIZED}). */
export function jsEngine(id: string): (() => InProcessEngine) | undefined {
  const fixed = JS_ENGINES[id];
  if (fixed !== undefined) return fixed;
  const sized = CLOSTERA_SIZED.exec(id);
  if (sized === null) return undefined;
  const algorithm = sized[1] === 'row' ? 'dense-exact-row' : 'dense-exact-random';
  return () => closteraEngine({ algorithm, maxPointsPerCentroid: Number(sized[2]) });
}

/** Factory of each JavaScript contender's engine. */
export const JS_ENGINES: Readonly<Record<string, () => InProcessEngine>> = {
  'clostera-row': () => closteraEngine({ algorithm: 'dense-exact-row' }),
  'clostera-random': () => closteraEngine({ algorithm: 'dense-exact-random' }),
  'clostera-row-all': () => closteraEngine({ algorithm: 'dense-exact-row', maxPointsPerCentroid: Infinity }),
  'clostera-random-all': () => closteraEngine({ algorithm: 'dense-exact-random', maxPointsPerCentroid: Infinity }),
  'ml-kmeans': () => mlKmeansEngine('kmeans++'),
};
