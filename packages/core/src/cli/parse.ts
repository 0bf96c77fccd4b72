/**
 * Value parsers for command-line options. They throw commander's `InvalidArgumentError`, so a
 * bad value is reported like any other usage error (exit code 2) with the option named.
 *
 * @module
 */
import { InvalidArgumentError } from 'commander';
import { isAlgorithm, isMetric, type Algorithm, type Metric } from '../algorithms.js';
import { parseByteSize } from '../bytes.js';

/** A positive integer. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** A non-negative integer. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer >= 0.');
  return n;
}

/** A finite number >= 0. */
export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0.');
  return n;
}

/** A metric name. */
export function metric(value: string): Metric {
  if (!isMetric(value)) throw new InvalidArgumentError("expected 'l2' or 'cos'.");
  return value;
}

/** An algorithm name. */
export function algorithm(value: string): Algorithm {
  if (!isAlgorithm(value)) throw new InvalidArgumentError("expected 'auto', 'dense-exact-row', 'dense-exact-random' or 'dense-exact-nredo'.");
  return value;
}

/** A byte size such as `8GiB`. */
export function byteSize(value: string): number {
  try {
    return parseByteSize(value);
  } catch {
    throw new InvalidArgumentError('expected a size such as 512MiB, 8GiB or 2GB.');
  }
}
