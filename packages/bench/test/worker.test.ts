import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, nearestAssignment, type Contender } from '../src/index.js';
import { runCell } from '../src/runner/cell.js';
import { parseGnuTimeRss } from '../src/worker/rss.js';

const tmp = mkdtempSync(join(tmpdir(), 'bench-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A stand-in engine speaking the worker protocol, so the runner is tested without Python or a
 * real engine: `ok` returns the first k rows as centroids, `hang` never answers a fit, `fail`
 * answers with an error, `crash` exits before it is ready.
 */
const FAKE_WORKER = `
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
const mode = process.argv[2];
const cfg = JSON.parse(readFileSync(process.argv[3], 'utf8'));
if (mode === 'crash') { process.stderr.write('crashed on purpose'); process.exit(3); }
const bytes = readFileSync(cfg.data);
const x = new Float32Array(new Uint8Array(bytes).buffer);
const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
out({ type: 'ready', versions: { fake: '1' } });
for await (const line of createInterface({ input: process.stdin })) {
  const req = JSON.parse(line);
  if (req.type === 'exit') break;
  if (mode === 'hang') { setInterval(() => {}, 1000); continue; }
  if (mode === 'fail') { out({ type: 'error', id: req.id, message: 'engine refused' }); continue; }
  const c = x.slice(0, req.k * cfg.d);
  writeFileSync(req.out + '.centroids.f32', new Uint8Array(c.buffer));
  out({ type: 'result', id: req.id, seconds: 0.01 * req.maxIter, labels: false, iterations: req.maxIter, notes: 'fake' });
}
out({ type: 'bye', maxRssKb: process.resourceUsage().maxRSS });
`;

function fake(id: string, mode: string, extra: Partial<Contender> = {}): Contender {
  const script = join(tmp, 'fake-worker.mjs');
  writeFileSync(script, FAKE_WORKER);
  return {
    id,
    label: id,
    family: 'clostera',
    description: `fake ${mode}`,
    supports: () => undefined,
    probe: async () => ({ available: true, version: 'fake 1' }),
    worker: () => ({ command: process.execPath, args: [script, mode] }),
    ...extra,
  };
}

describe('runCell with stand-in workers', () => {
  it('reports ok, timeout, error, missing and skipped rows, never dropping one', async () => {
    const dataset = await loadDataset('gaussian:n=400,d=4,k=3,seed=5');
    const dataFile = join(tmp, 'data.f32');
    writeFileSync(dataFile, new Uint8Array(dataset.x.buffer));
    const contenders = [
      fake('ok', 'ok'),
      fake('hang', 'hang'),
      fake('fail', 'fail'),
      fake('crash', 'crash'),
      fake('gone', 'ok'),
      fake('declines', 'ok', { supports: () => 'too large for this test' }),
    ];
    const logs: string[] = [];
    const rows = await runCell({
      dataset,
      x: dataset.x,
      dataFile,
      metric: 'l2',
      k: 3,
      contenders: contenders.map((contender) => ({
        contender,
        availability: contender.id === 'gone' ? { available: false, reason: 'not installed here' } : { available: true },
      })),
      settings: { repeats: 3, warmup: 1, warmupIter: 2, maxIter: 5, timeoutSeconds: 1, seed: 1, threads: 1 },
      dir: tmp,
      log: (line) => logs.push(line),
    });
    expect(rows.map((r) => [r.contender, r.status])).toEqual([
      ['ok', 'ok'],
      ['hang', 'timeout'],
      ['fail', 'error'],
      ['crash', 'error'],
      ['gone', 'missing'],
      ['declines', 'skipped'],
    ]);
    const ok = rows[0]!;
    expect(ok.times).toEqual([0.05, 0.05, 0.05]);
    expect(ok.seconds).toBe(0.05);
    expect(ok.iterations).toBe(5);
    expect(ok.notes).toBe('fake');
    expect(ok.peakRssBytes).toBeGreaterThan(1e6);
    const expected = nearestAssignment(dataset.x, dataset.x.slice(0, 12), 4, 'l2', 1).objective;
    expect(ok.quality?.objective).toBeCloseTo(expected, 10);
    expect(ok.quality?.vMeasure).toBeGreaterThanOrEqual(0);
    expect(rows[1]!.reason).toMatch(/warm-up took longer than 1 s/);
    expect(rows[2]!.reason).toMatch(/engine refused/);
    expect(rows[3]!.reason).toMatch(/worker did not start.*crashed on purpose/);
    expect(rows[4]!.reason).toBe('not installed here');
    expect(rows[5]!.reason).toBe('too large for this test');
    expect(logs.filter((l) => l.includes('run ')).length).toBe(3);
  }, 30_000);
});

describe('peak memory', () => {
  it('reads GNU time -v reports', () => {
    expect(parseGnuTimeRss('\tMaximum resident set size (kbytes): 102204\n')).toBe(102204 * 1024);
    expect(parseGnuTimeRss('nothing here')).toBeUndefined();
  });
});
