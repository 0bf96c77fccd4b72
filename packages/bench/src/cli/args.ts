/**
 * Command-line parsing for `clostera-bench` (`npm run bench -- ...`).
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { invalidArgument } from '../errors.js';
import type { BenchMetric } from '../metrics/objective.js';
import type { PlanOptions } from '../runner/plan.js';

/** What the command line asks for. */
export type Command =
  | { kind: 'run'; plan: PlanOptions; out?: string; scratch?: string; keepScratch: boolean; dryRun: boolean }
  | { kind: 'report'; results: string; out?: string }
  | { kind: 'generate'; family: string; n: number; d?: number; k: number; seed: number; out: string; shardRows?: number }
  | { kind: 'list' }
  | { kind: 'help' };

/** The usage text. */
export const USAGE = `Usage:
  npm run bench -- [--suite quick|full] [--dataset SPEC]... [--k 10,100] [--metric l2,cos]
                   [--contenders ID|FAMILY,...] [--threads N] [--repeats N] [--warmup N] [--warmup-iter N]
                   [--max-iter N] [--timeout SECONDS] [--seed N] [--out DIR] [--scratch DIR]
                   [--keep-scratch] [--dry-run]
  node packages/bench/dist/cli.js report RESULTS.json [--out DIR]
  node packages/bench/dist/cli.js generate --family F --n N [--d D] [--k K] [--seed S] --out DIR [--shard-rows R]
  node packages/bench/dist/cli.js list

Dataset specs: fmnist | fmnist-train | fmnist-test | fmnist-10k  (each [:n=N])
               <family>:n=N,d=D,k=K,seed=S   (families: see 'list')
               file:PATH[,labels=PATH][,d=D][,n=N]   (read through @clostera/io)
Results go to benchmarks/results/ (JSON, Markdown report, SVG plots).`;

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return items.length === 0 ? undefined : items;
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw invalidArgument(`--${name} must be an integer`, { actual: value });
  return n;
}

function metrics(value: string | string[] | undefined): BenchMetric[] | undefined {
  const items = list(value);
  if (items === undefined) return undefined;
  for (const m of items) if (m !== 'l2' && m !== 'cos') throw invalidArgument(`--metric must be l2 or cos`, { expected: ['l2', 'cos'], actual: m });
  return items as BenchMetric[];
}

/**
 * Parses `argv` (without the node and script paths).
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` for unknown options or bad values.
 */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        suite: { type: 'string' },
        dataset: { type: 'string', multiple: true },
        k: { type: 'string', multiple: true },
        metric: { type: 'string', multiple: true },
        contenders: { type: 'string', multiple: true },
        threads: { type: 'string' },
        repeats: { type: 'string' },
        warmup: { type: 'string' },
        'warmup-iter': { type: 'string' },
        'max-iter': { type: 'string' },
        timeout: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        scratch: { type: 'string' },
        'keep-scratch': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        family: { type: 'string' },
        n: { type: 'string' },
        d: { type: 'string' },
        'shard-rows': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw invalidArgument((error as Error).message, { cause: error });
  }
  const { values: v, positionals } = parsed;
  const sub = positionals[0] ?? 'run';
  if (v.help === true || sub === 'help') return { kind: 'help' };
  if (sub === 'list') return { kind: 'list' };
  if (sub === 'report') {
    const results = positionals[1];
    if (results === undefined) throw invalidArgument('report needs a results JSON file');
    return { kind: 'report', results, ...(v.out === undefined ? {} : { out: v.out }) };
  }
  if (sub === 'generate') {
    if (v.family === undefined || v.out === undefined || v.n === undefined) throw invalidArgument('generate needs --family, --n and --out');
    const d = int('d', v.d);
    const shardRows = int('shard-rows', v['shard-rows']);
    const k = list(v.k);
    return {
      kind: 'generate',
      family: v.family,
      n: int('n', v.n)!,
      ...(d === undefined ? {} : { d }),
      k: int('k', k?.[0]) ?? 16,
      seed: int('seed', v.seed) ?? 1,
      out: v.out,
      ...(shardRows === undefined ? {} : { shardRows }),
    };
  }
  if (sub !== 'run') throw invalidArgument(`unknown command '${sub}'`, { expected: ['run', 'report', 'generate', 'list'], actual: sub });
  const plan: PlanOptions = {};
  if (v.suite !== undefined) plan.suite = v.suite;
  const datasets = v.dataset?.filter((d) => d.trim() !== '');
  if (datasets !== undefined && datasets.length > 0) plan.datasets = datasets;
  const ks = list(v.k)?.map((k) => int('k', k)!);
  if (ks !== undefined) plan.ks = ks;
  const m = metrics(v.metric);
  if (m !== undefined) plan.metrics = m;
  const contenders = list(v.contenders);
  if (contenders !== undefined) plan.contenders = contenders;
  for (const [key, name] of [
    ['threads', 'threads'],
    ['repeats', 'repeats'],
    ['warmup', 'warmup'],
    ['warmupIter', 'warmup-iter'],
    ['maxIter', 'max-iter'],
    ['seed', 'seed'],
  ] as const) {
    const value = int(name, v[name]);
    if (value !== undefined) plan[key] = value;
  }
  if (v.timeout !== undefined) {
    const t = Number(v.timeout);
    if (!(t > 0)) throw invalidArgument('--timeout must be a positive number of seconds', { actual: v.timeout });
    plan.timeoutSeconds = t;
  }
  return {
    kind: 'run',
    plan,
    ...(v.out === undefined ? {} : { out: v.out }),
    ...(v.scratch === undefined ? {} : { scratch: v.scratch }),
    keepScratch: v['keep-scratch'] === true,
    dryRun: v['dry-run'] === true,
  };
}
