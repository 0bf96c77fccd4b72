import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeCells, readResults, renderPlots, renderReport, writeOutputs, type BenchResults } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/small-results.json', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'bench-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function load(): BenchResults {
  const r = readResults(fixture);
  r.cells = judgeCells(r.rows);
  return r;
}

/** Well-formedness check without an XML parser: every opened element is closed in order. */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self === '/') continue;
    if (close === '/') {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}

describe('verdicts of the fixture', () => {
  it('the fast row within 2.5% wins; ties go to the faster row', () => {
    const cells = load().cells;
    expect(cells.map((c) => [c.dataset, c.metric, c.k, c.best, c.winner])).toEqual([
      ['fmnist-10k', 'l2', 10, 'faiss-all', 'clostera-row'],
      ['fmnist-10k', 'l2', 100, 'faiss-all', 'clostera-row'],
      ['fmnist-10k', 'cos', 100, 'faiss-all', 'clostera-row'],
      ['gaussian:n=1000,d=8,k=4,seed=1', 'l2', 4, 'clostera-row', 'clostera-row'],
      ['gaussian:n=4000,d=8,k=4,seed=1', 'l2', 4, 'clostera-row', 'clostera-row'],
    ]);
    expect(cells[0]!.speedup).toBeCloseTo(5, 12);
  });
});

describe('Markdown report', () => {
  const md = renderReport(load(), { plots: { folder: 'plots', files: renderPlots(load()) } });

  it('states the command, environment, method and winner rule', () => {
    expect(md).toContain('# Clostera benchmark: quick suite');
    expect(md).toContain('Command: `npm run bench -- --suite quick`');
    expect(md).toContain('Test CPU, 2 cores');
    expect(md).toContain('SIMD level: avx512 (available: scalar, avx2, avx512)');
    expect(md).toContain('Git revision: 0123456789ab');
    expect(md).toContain('within 2.5% of the best objective and at least 1.5x faster');
    expect(md).toContain('**Warning:** the machine was busy');
  });

  it('lists missing contenders with their reason, never silently', () => {
    expect(md).toContain('**Missing contenders**');
    expect(md).toContain('| ml-kmeans | `ml-kmeans` | **missing** | js | ml-kmeans is not installed |');
    // Every cell table has a row for the missing contender.
    expect(md.match(/\| ml-kmeans \| \*\*missing\*\* \|/g)?.length).toBe(5);
    expect(md).toContain('| **timeout** |');
    expect(md).toContain('repetition 1 took longer than 120 s');
  });

  it('has the summary and a per-cell table with marks and escaped cells', () => {
    expect(md).toContain('| Fashion-MNIST 10k (embedded) (10000x784) | l2 | 10 | FAISS (all points) | Clostera row (defaults) | 5.00x | +1.01% |');
    expect(md).toMatch(/\| FAISS \(all points\) ★ \| 1\.00 \| 1\.00x \| 20 \|/);
    expect(md).toMatch(/\| Clostera row \(defaults\) ⚡ \| 0\.200 \| 5\.00x \|/);
    expect(md).toContain('pipe \\| in note');
    expect(md).toContain('| mean cos |');
    expect(md).toContain('[Fit time vs K: Fashion-MNIST 10k (embedded), l2](plots/time-vs-k-fmnist-10k-l2.svg)');
  });
});

describe('SVG plots', () => {
  const plots = renderPlots(load());

  it('renders time vs K, time vs N and quality vs time', () => {
    expect(plots.map((p) => p.file).sort()).toEqual([
      'quality-vs-time-fmnist-10k-cos.svg',
      'quality-vs-time-fmnist-10k-l2.svg',
      'quality-vs-time-gaussian-n-1000-d-8-k-4-seed-1-l2.svg',
      'quality-vs-time-gaussian-n-4000-d-8-k-4-seed-1-l2.svg',
      'time-vs-k-fmnist-10k-l2.svg',
      'time-vs-n-gaussian-d-8-k-4-seed-1-l2-k4.svg',
    ]);
  });

  it('are well-formed standalone SVG with one marker per finished row', () => {
    for (const p of plots) {
      expect(p.svg.startsWith('<?xml')).toBe(true);
      expect(p.svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(balanced(p.svg)).toBe(true);
    }
    const timeVsK = plots.find((p) => p.file === 'time-vs-k-fmnist-10k-l2.svg')!.svg;
    // 3 finished contenders x 2 K values, plus one legend dot per contender shown.
    expect(timeVsK.match(/<circle[^>]*r="4.5"/g)?.length).toBe(6);
    expect(timeVsK.match(/<polyline/g)?.length).toBe(3);
    expect(timeVsK).toContain('Clostera row (defaults)');
    const qk = plots.find((p) => p.file === 'quality-vs-time-fmnist-10k-l2.svg')!.svg;
    expect(qk).toContain('K=10');
    expect(qk).toContain('K=100');
  });

  it('render to PNG with rsvg-convert when it is installed', () => {
    if (spawnSync('rsvg-convert', ['--version']).status !== 0) {
      console.warn('skipped: rsvg-convert is not installed (apt-get install librsvg2-bin)');
      return;
    }
    const png = execFileSync('rsvg-convert', ['-f', 'png'], { input: plots[0]!.svg });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('writeOutputs', () => {
  it('writes the JSON, the report and the plot folder, and re-reads the JSON', () => {
    const r = load();
    const written = writeOutputs(r, tmp);
    expect(written.json).toBe(join(tmp, '20260102-030405-quick.json'));
    expect(readResults(written.json)).toEqual(r);
    expect(readFileSync(written.report, 'utf8')).toContain('](20260102-030405-quick/time-vs-k-fmnist-10k-l2.svg)');
    expect(readdirSync(join(tmp, '20260102-030405-quick')).length).toBe(6);
  });

  it('rejects a file that is not a results file', () => {
    expect(() => readResults(join(tmp, 'missing.json'))).toThrow(expect.objectContaining({ code: 'CLOSTERA_IO' }));
    expect(() => readResults(fileURLToPath(new URL('../package.json', import.meta.url)))).toThrow(expect.objectContaining({ code: 'CLOSTERA_FORMAT' }));
  });
});
