// Ctrl-C in the middle of a run: the CLI aborts the fit through its AbortController, removes what
// it staged, prints one line and exits 130; no labels, centroids or temporary files remain.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCentroids } from '@clostera/io';
import { EXIT_CODES } from '../src/index.js';
import { blobs, CLI, filesIn, tempDir } from './helpers.js';

const dir = tempDir();
const input = join(dir, 'big.npy');

beforeAll(async () => {
  // 40,000 x 32 with 64 clusters, tol 0 and a huge iteration limit: the run would take minutes,
  // so the signal always lands in the middle of it.
  await writeCentroids(input, blobs(40_000, 32, 64, 11), 32);
});

function interrupted(signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; progressLines: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const args = ['cluster', input, '-k', '64', '--tol', '0', '--max-iter', '1000000', '--out', 'labels.npy', '--centroids', 'centroids.npy', '--save-model', 'model.bin'];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sentAt = 0;
    // If cancellation were broken the run would go on for minutes: fail fast instead of hanging.
    const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      // Wait until the iterations are under way, then interrupt.
      if (sentAt === 0 && /^progress: iteration 3:/m.test(stderr)) {
        sentAt = performance.now();
        child.kill(signal);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr, progressLines: stderr.split('\n').filter((l) => l.startsWith('progress: ')).length, ms: performance.now() - sentAt });
    });
  });
}

describe('cancellation', () => {
  it('Ctrl-C (SIGINT) mid-run exits 130 and leaves no output files', async () => {
    const before = filesIn(dir);
    const run = await interrupted('SIGINT');
    expect(run.progressLines).toBeGreaterThanOrEqual(3);
    expect(run.code, run.stderr).toBe(EXIT_CODES.interrupted);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/Ctrl-C: cancelling/);
    expect(run.stderr).toMatch(/clostera: cancelled by SIGINT; no output was written/);
    expect(run.ms).toBeLessThan(10_000);
    expect(filesIn(dir)).toEqual(before); // no labels, centroids, model, nor hidden staged files
  });

  it('SIGTERM exits 143, also without output', async () => {
    const before = filesIn(dir);
    const run = await interrupted('SIGTERM');
    expect(run.code, run.stderr).toBe(143);
    expect(filesIn(dir)).toEqual(before);
  });
});
