/**
 * A record of the machine and software a run used: CPU, SIMD level, threads, versions, git revision.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { simdInfo } from '@clostera/kernels';
import { packageVersion } from '../engines/package-version.js';
import type { Environment } from '../results/schema.js';
import { repoRoot } from '../paths.js';
import { hasGnuTime } from '../worker/rss.js';

/** Environment variables recorded because they change what runs or how fast. */
export const RECORDED_VARIABLES = [
  'CLOSTERA_NUM_THREADS',
  'CLOSTERA_SIMD',
  'OMP_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_CORETYPE',
  'OPENBLAS_L2_SIZE',
  'CLOSTERA_BENCH_PYTHON',
] as const;

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m !== null) return m[1]!.trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function gitState(): Environment['git'] {
  try {
    const cwd = repoRoot();
    const revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { revision, dirty: status.trim() !== '' };
  } catch (error) {
    return { error: `git unavailable: ${(error as Error).message.split('\n')[0]}` };
  }
}

function simd(): Environment['simd'] {
  try {
    const info = simdInfo();
    return { inUse: info.inUse, available: [...info.available], threads: info.threads, ...(info.bf16Speedup === undefined ? {} : { bf16Speedup: info.bf16Speedup }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Collects the environment. `peerVersions` holds what each contender's probe reported, keyed by
 * contender id; they are merged into `versions`.
 */
export function collectEnvironment(threads: number, peerVersions: Record<string, string>): Environment {
  const versions: Record<string, string> = { node: process.version };
  for (const name of ['@clostera/bench', '@clostera/kernels', '@clostera/io', '@clostera/kmeans', 'ml-kmeans']) {
    const v = packageVersion(name);
    if (v !== undefined) versions[name] = v;
  }
  Object.assign(versions, peerVersions);
  const variables: Record<string, string> = {};
  for (const name of RECORDED_VARIABLES) {
    const v = process.env[name];
    if (v !== undefined) variables[name] = v;
  }
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    simd: simd(),
    threads,
    versions,
    git: gitState(),
    variables,
    loadAverage: { start: os.loadavg() },
    rssMethod: hasGnuTime() ? 'GNU time -v (maximum resident set size of each worker process)' : 'getrusage ru_maxrss reported by each worker process',
  };
}
