import { describe, expect, it } from 'vitest';
import { BACKENDS, configurationOf, HIGH_D, RANDOM_SUBSAMPLE, replay, replayLatest, select, SelectorError, type ResultsFile } from '../src/index.js';

describe('select', () => {
  it('picks k-means++ on the subsample for cos, whatever the shape', () => {
    for (const d of [8, 784, 4096]) {
      const s = select({ n: 1_000_000, d, k: 1000, metric: 'cos' });
      expect(s.algorithm).toBe('dense-exact-row');
      expect(s.training).toBe('subsample');
      expect(s.path).toHaveLength(1);
    }
  });

  it('splits l2 on the dimension', () => {
    expect(select({ n: 10_000, d: 784, k: 10, metric: 'l2' }).algorithm).toBe('dense-exact-row');
    expect(select({ n: 10_000, d: HIGH_D, k: 10, metric: 'l2' }).algorithm).toBe('dense-exact-row');
    const low = select({ n: 20_000, d: HIGH_D - 1, k: 16, metric: 'l2' });
    expect(low.algorithm).toBe('dense-exact-random');
    expect(low.training).toBe('subsample');
    expect(low.path.map((s) => s.test)).toEqual(['metric', 'D']);
    expect(low.path[1]!.branch).toMatch(/^< 160: dense-exact-random/);
  });

  it('only ever names a backend that exists', () => {
    for (const metric of ['l2', 'cos'] as const) {
      for (const d of [1, 32, 159, 160, 2048]) expect(BACKENDS).toContain(select({ n: 100, d, k: 5, metric }).algorithm);
    }
  });

  it('explains the path, and flags shapes outside the measured range', () => {
    const inside = select({ n: 10_000, d: 784, k: 10, metric: 'l2' });
    expect(inside.extrapolated).toEqual([]);
    expect(inside.explain()).toMatch(/^1\. metric = l2 → split on D; /);
    expect(inside.explain()).toMatch(/\n2\. D = 784 → >= 160: dense-exact-row on the default subsample; measured/);
    const outside = select({ n: 1_000_000_000, d: 784, k: 10, metric: 'l2' });
    expect(outside.extrapolated).toHaveLength(1);
    expect(outside.explain()).toMatch(/note: N = 1000000000 is outside/);
  });

  it('survives JSON (the CLI prints selections with --json)', () => {
    const s = JSON.parse(JSON.stringify(select({ n: 100, d: 4, k: 3, metric: 'l2' })));
    expect(s).toMatchObject({ algorithm: 'dense-exact-random', training: 'subsample', contender: 'clostera-random', problem: { n: 100, d: 4, k: 3 } });
  });

  it('rejects bad problems with CLOSTERA_INVALID_ARGUMENT', () => {
    const bad = [
      { n: 0, d: 4, k: 1, metric: 'l2' },
      { n: 10, d: 1.5, k: 1, metric: 'l2' },
      { n: 10, d: 4, k: 11, metric: 'l2' },
      { n: 10, d: 4, k: 2, metric: 'ip' },
    ];
    for (const p of bad) {
      const fn = (): unknown => select(p as never);
      expect(fn).toThrow(SelectorError);
      try {
        fn();
      } catch (error) {
        expect((error as SelectorError).code).toBe('CLOSTERA_INVALID_ARGUMENT');
      }
    }
  });
});

describe('replay', () => {
  const results = (objectives: Record<string, number | undefined>, d = 32): ResultsFile => ({
    schema: 'clostera-bench/1',
    suite: 'custom',
    datasets: [{ id: 'x', n: 1000, d }],
    contenders: [...Object.keys(objectives).map((id) => ({ id, family: id.startsWith('clostera') ? 'clostera' : 'peer' }))],
    rows: Object.entries(objectives).map(([contender, objective]) => ({
      dataset: 'x',
      metric: 'l2',
      k: 8,
      contender,
      status: objective === undefined ? 'timeout' : 'ok',
      seconds: 1,
      ...(objective === undefined ? {} : { quality: { objective } }),
    })),
  });

  it('passes within the tolerance and reports the peer gap separately', () => {
    const [cell] = replay(results({ 'clostera-random': 1.02, 'clostera-row': 1.0, faiss: 0.9 }));
    expect(cell).toMatchObject({ chosen: 'clostera-random', best: 'clostera-row', pass: true, bestPeer: 'faiss' });
    expect(cell!.gap).toBeCloseTo(0.02, 10);
    expect(cell!.peerGap).toBeCloseTo(1 / 0.9 - 1, 10);
  });

  it('fails beyond the tolerance, and when the choice was not measured', () => {
    expect(replay(results({ 'clostera-random': 1.03, 'clostera-row': 1.0 }))[0]!.pass).toBe(false);
    const [unmeasured] = replay(results({ 'clostera-random': undefined, 'clostera-row': 1.0 }));
    expect(unmeasured).toMatchObject({ pass: false, gap: Infinity });
    expect(unmeasured!.reason).toMatch(/not measured here \(timeout\)/);
  });

  it('counts unmapped contenders of ours for the best and lists them', () => {
    const [cell] = replay(results({ 'clostera-random': 1.0, 'clostera-nredo': 0.5 }));
    expect(cell).toMatchObject({ best: 'clostera-nredo', pass: false, unmapped: ['clostera-nredo'] });
  });

  it('maps the default and the sized contenders of ours to their configurations', () => {
    expect(configurationOf('clostera-random')).toBe(RANDOM_SUBSAMPLE);
    expect(configurationOf('clostera-random-mppc-384')).toEqual({ algorithm: 'dense-exact-random', training: 'subsample', rowsPerCentroid: 384, contender: 'clostera-random-mppc-384' });
    expect(configurationOf('clostera-row-mppc-64')).toMatchObject({ algorithm: 'dense-exact-row', rowsPerCentroid: 64 });
    expect(configurationOf('clostera-random-mppc-0')).toBeUndefined();
    expect(configurationOf('faiss-mppc-384')).toBeUndefined();
  });

  it('keeps each cell (dataset, metric, K, seed) from the newest file that measured the choice', () => {
    const older = results({ 'clostera-random-all': 1.0, 'clostera-row': 1.0 });
    const newer = results({ 'clostera-random': 1.01, 'clostera-row': 1.0 });
    const otherSeed = { ...results({ 'clostera-random-all': 1.0 }), settings: { seed: 2 } };
    const kept = replayLatest([
      { name: '20261123-2-custom.json', results: newer },
      { name: '20261123-1-custom.json', results: older },
      { name: '20261123-3-custom.json', results: otherSeed },
    ]);
    expect(kept.map((f) => [f.name, f.cells.length])).toEqual([
      ['20261123-1-custom.json', 0],
      ['20261123-2-custom.json', 1],
      ['20261123-3-custom.json', 1],
    ]);
    expect(kept[1]!.cells[0]).toMatchObject({ chosen: 'clostera-random', pass: true });
    // The seed-2 cell is its own cell; its choice was not measured, so it stays and fails.
    expect(kept[2]!.cells[0]).toMatchObject({ seed: 2, pass: false });
  });

  it('leaves out cells where none of ours was measured', () => {
    expect(replay(results({ faiss: 1 }))).toEqual([]);
  });
});
