import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/cli/args.js';
import { CONTENDERS, makePlan, selectContenders } from '../src/index.js';

describe('command line', () => {
  it('defaults to a quick run', () => {
    expect(parseCommand([])).toEqual({ kind: 'run', plan: {}, keepScratch: false, dryRun: false });
  });

  it('parses lists given comma-separated or repeated', () => {
    const c = parseCommand(['--suite', 'full', '--dataset', 'fmnist', '--dataset', 'zipf:n=100,d=4', '--k', '10,100', '--k', '1000', '--metric', 'l2,cos', '--contenders', 'faiss,clostera-row', '--threads', '2', '--timeout', '30']);
    expect(c).toMatchObject({
      kind: 'run',
      plan: { suite: 'full', datasets: ['fmnist', 'zipf:n=100,d=4'], ks: [10, 100, 1000], metrics: ['l2', 'cos'], contenders: ['faiss', 'clostera-row'], threads: 2, timeoutSeconds: 30 },
    });
  });

  it('parses the report and generate commands', () => {
    expect(parseCommand(['report', 'r.json'])).toEqual({ kind: 'report', results: 'r.json' });
    expect(parseCommand(['generate', '--family', 'hubs', '--n', '1e6', '--out', 'dir', '--shard-rows', '1000'])).toEqual({
      kind: 'generate',
      family: 'hubs',
      n: 1_000_000,
      k: 16,
      seed: 1,
      out: 'dir',
      shardRows: 1000,
    });
  });

  it('rejects unknown options and bad values with CLOSTERA_INVALID_ARGUMENT', () => {
    for (const argv of [['--bogus'], ['--metric', 'ip'], ['--k', 'ten'], ['--timeout', '0'], ['frobnicate'], ['report']]) {
      expect(() => parseCommand(argv)).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    }
  });
});

describe('plans', () => {
  it('quick covers every contender and the embedded real set under l2 and cos', () => {
    const plan = makePlan({ suite: 'quick', threads: 2 });
    expect(plan.contenders.map((c) => c.id)).toEqual(CONTENDERS.map((c) => c.id));
    expect(plan.cases.filter((c) => c.dataset === 'fmnist-10k').flatMap((c) => c.metrics)).toEqual(['l2', 'cos']);
    expect(plan.settings).toMatchObject({ repeats: 3, warmup: 1, maxIter: 20, threads: 2 });
  });

  it('applies overrides: datasets replace the suite, K and metrics apply to them', () => {
    const plan = makePlan({ datasets: ['gaussian:n=100,d=4,k=3', 'fmnist-10k'], ks: [5], metrics: ['cos'], contenders: ['sklearn'], repeats: 1 });
    expect(plan.suite).toBe('custom');
    expect(plan.cases).toEqual([
      { dataset: 'gaussian:n=100,d=4,k=3', metrics: ['cos'], ks: [5] },
      { dataset: 'fmnist-10k', metrics: ['cos'], ks: [5] },
    ]);
    expect(plan.contenders.map((c) => c.id)).toEqual(['sklearn-kpp', 'sklearn-random', 'sklearn-minibatch']);
    expect(plan.settings.repeats).toBe(1);
  });

  it('--warmup-iter sets the warm-up fits\' iterations (default: the suite\'s 2)', () => {
    const parsed = parseCommand(['--dataset', 'fmnist-10k', '--warmup', '3', '--warmup-iter', '20']);
    expect(parsed.kind).toBe('run');
    const plan = makePlan((parsed as { plan: Parameters<typeof makePlan>[0] }).plan);
    expect(plan.settings).toMatchObject({ warmup: 3, warmupIter: 20 });
    expect(makePlan({ datasets: ['fmnist-10k'] }).settings.warmupIter).toBe(2);
    expect(() => parseCommand(['--warmup-iter', 'x'])).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => makePlan({ warmupIter: 0 })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
  });

  it('a dataset without overrides uses its class count as K', () => {
    expect(makePlan({ datasets: ['zipf:n=100,d=4,k=7'] }).cases).toEqual([{ dataset: 'zipf:n=100,d=4,k=7', metrics: ['l2'], ks: [7] }]);
  });

  it('metric filters drop suite cases left without a metric', () => {
    const plan = makePlan({ suite: 'quick', metrics: ['cos'] });
    expect(plan.cases.every((c) => c.metrics.length === 1 && c.metrics[0] === 'cos')).toBe(true);
  });

  it('rejects unknown suites, contenders and bad settings', () => {
    expect(() => makePlan({ suite: 'huge' })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => selectContenders(['nope'])).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => makePlan({ repeats: 0 })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => makePlan({ datasets: ['nope'] })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
  });

  it('sized ids make contenders trained on N rows per centroid, after the catalogue ones', () => {
    const picked = selectContenders(['clostera-random-mppc-384', 'faiss-default', 'faiss-mppc-384', 'clostera-random-mppc-384']);
    expect(picked.map((c) => c.id)).toEqual(['faiss-default', 'clostera-random-mppc-384', 'faiss-mppc-384']);
    expect(picked[1]).toMatchObject({ family: 'clostera', label: 'Clostera random (384 per centroid)' });
    expect(picked[2]).toMatchObject({ family: 'faiss', label: 'FAISS (384 per centroid)' });
    for (const bad of ['faiss-mppc-0', 'clostera-row-mppc-', 'clostera-nredo-mppc-4']) {
      expect(() => selectContenders([bad])).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    }
  });

  it('the JavaScript baseline declines cells too large for it, with the reason', () => {
    const ml = CONTENDERS.find((c) => c.id === 'ml-kmeans')!;
    expect(ml.supports({ n: 2000, d: 784, k: 10, metric: 'l2', maxIter: 20 })).toBeUndefined();
    expect(ml.supports({ n: 10000, d: 784, k: 100, metric: 'l2', maxIter: 20 })).toMatch(/too large for the JavaScript baseline/);
    expect(CONTENDERS.find((c) => c.id === 'faiss-all')!.supports({ n: 5, d: 2, k: 10, metric: 'l2', maxIter: 20 })).toMatch(/exceeds n/);
  });
});
