/**
 * The JavaScript engines a node worker can host, by contender id.
 *
 * @module
 */
import { closteraEngine } from './clostera.js';
import { mlKmeansEngine } from './ml-kmeans.js';
import type { InProcessEngine } from './types.js';

/** Factory of each JavaScript contender's engine. */
export const JS_ENGINES: Readonly<Record<string, () => InProcessEngine>> = {
  'clostera-row': () => closteraEngine({ algorithm: 'dense-exact-row' }),
  'clostera-random': () => closteraEngine({ algorithm: 'dense-exact-random' }),
  'clostera-row-all': () => closteraEngine({ algorithm: 'dense-exact-row', maxPointsPerCentroid: Infinity }),
  'clostera-random-all': () => closteraEngine({ algorithm: 'dense-exact-random', maxPointsPerCentroid: Infinity }),
  'ml-kmeans': () => mlKmeansEngine('kmeans++'),
};
