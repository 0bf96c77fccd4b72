/**
 * `select(problem)`: checks the problem, applies the rule and packages the answer with its path.
 *
 * @module
 */
import { SelectorError } from './errors.js';
import { decide, outsideMeasuredRange, RULE_VERSION } from './rule.js';
import type { Problem, Selection, SelectionStep } from './types.js';

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new SelectorError('CLOSTERA_INVALID_ARGUMENT', `${name} must be a positive integer`, 'integer >= 1', value);
  }
  return value;
}

/** Checks a problem's fields (positive integers, K <= N, a known metric). */
export function checkProblem(problem: Problem): Problem {
  if (problem === null || typeof problem !== 'object') {
    throw new SelectorError('CLOSTERA_INVALID_ARGUMENT', 'the problem must be an object { n, d, k, metric }', 'object', problem);
  }
  const n = positiveInteger('N', problem.n);
  const d = positiveInteger('D', problem.d);
  const k = positiveInteger('K', problem.k);
  if (k > n) throw new SelectorError('CLOSTERA_INVALID_ARGUMENT', `K = ${k} exceeds N = ${n}`, `<= ${n}`, k);
  if (problem.metric !== 'l2' && problem.metric !== 'cos') {
    throw new SelectorError('CLOSTERA_INVALID_ARGUMENT', `unknown metric ${String(problem.metric)}`, "'l2' | 'cos'", problem.metric);
  }
  return { n, d, k, metric: problem.metric };
}

/** One decision as text: `D = 784 → >= 160: dense-exact-row on the default subsample; measured on ...`. */
export function formatStep(step: SelectionStep): string {
  return `${step.test} = ${step.value} → ${step.branch}; ${step.because}`;
}

/** Renders a path as text: one numbered line per decision, then any extrapolation notes. */
export function formatPath(path: readonly SelectionStep[], extrapolated: readonly string[] = []): string {
  const lines = path.map((s, i) => `${i + 1}. ${formatStep(s)}`);
  for (const note of extrapolated) lines.push(`note: ${note}; the choice there is extrapolated, not measured`);
  return lines.join('\n');
}

/**
 * Picks the backend (and its training set) for a problem, with the path the rule took.
 *
 * @example
 * ```ts
 * const s = select({ n: 10_000, d: 784, k: 10, metric: 'l2' });
 * s.algorithm; // 'dense-exact-row'
 * console.log(s.explain());
 * ```
 * @throws `CLOSTERA_INVALID_ARGUMENT` (a {@link SelectorError}) when N, D or K is not a positive
 *   integer, K > N, or the metric is unknown.
 */
export function select(problem: Problem): Selection {
  const p = checkProblem(problem);
  const { configuration, path } = decide(p);
  const extrapolated = outsideMeasuredRange(p);
  return {
    ...configuration,
    problem: p,
    path,
    extrapolated,
    rule: RULE_VERSION,
    explain: () => formatPath(path, extrapolated),
  };
}

/** The path {@link select} takes for `problem`, as text (one line per decision). */
export function explain(problem: Problem): string {
  return select(problem).explain();
}
