/**
 * The catalogue of synthetic families, looked up by name.
 *
 * @module
 */
import { invalidArgument } from '../errors.js';
import type { Family } from './family.js';
import { anisotropic, gaussian, studentT, zipf } from './families-mixtures.js';
import { dirMag, hubs, irrelevant, swissRoll } from './families-structured.js';

/** Every synthetic family, in the order reports list them. */
export const FAMILIES: readonly Family[] = [gaussian, zipf, anisotropic, studentT, hubs, swissRoll, irrelevant, dirMag];

/**
 * The family called `name`.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` naming the known families.
 */
export function family(name: string): Family {
  const found = FAMILIES.find((f) => f.name === name);
  if (found === undefined) {
    throw invalidArgument(`unknown synthetic family '${name}'`, { expected: FAMILIES.map((f) => f.name), actual: name });
  }
  return found;
}
