/** Shared helpers of the core tests: seeded data, temp dirs, running the built CLI. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { open } from '@clostera/io';

/** The built CLI (tests run against dist: build first). */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (or npx tsc -p tsconfig.build.json in packages/core) first`);

/** A temp directory removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clostera-core-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Gaussian-ish blobs: `clusters` centres spread far apart, small noise; seeded. */
export function blobs(n: number, d: number, clusters: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const r = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
  const centres = Float32Array.from({ length: clusters * d }, () => (r() - 0.5) * 20);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * clusters);
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c * d + j]! + (r() + r() + r() - 1.5);
  }
  return x;
}

/** Every value of a file, read back through `@clostera/io` (labels come back as one column). */
export async function readBack(path: string, options: Parameters<typeof open>[1] = {}): Promise<{ n: number; d: number; dtype: string; format: string; values: Float32Array }> {
  const s = await open(path, options);
  try {
    const values = new Float32Array(s.n * s.d);
    for await (const c of s.chunks()) values.set(c.data, c.start * s.d);
    return { n: s.n, d: s.d, dtype: s.dtype, format: s.detection.format, values };
  } finally {
    await s.close();
  }
}

/** Files in `dir`, hidden ones included (staged outputs are hidden). */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Result of a CLI run. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (stdio piped: not a TTY, so progress comes as plain lines). */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
