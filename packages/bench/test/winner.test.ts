import { describe, expect, it } from 'vitest';
import { judgeCell, judgeCells, median, roundOrder, type Row } from '../src/index.js';

function row(contender: string, seconds: number, objective: number, status: Row['status'] = 'ok', k = 10): Row {
  return {
    dataset: 'd',
    metric: 'l2',
    k,
    contender,
    status,
    times: [seconds],
    ...(status === 'ok' ? { seconds, quality: { objective, imbalance: 1, emptyClusters: 0, unusableCentroids: 0 } } : { reason: 'x' }),
  };
}

describe('winner rule: within 2.5% of the best objective and at least 1.5x faster', () => {
  it('the best-quality row wins when no faster row is close enough in quality', () => {
    // fast is 3x faster but 3% worse: quality counts first.
    expect(judgeCell([row('best', 3, 100), row('fast', 1, 103)])).toEqual({ best: 'best', winner: 'best', speedup: 1, qualityGap: 0 });
  });

  it('the best-quality row wins when the close row is less than 1.5x faster', () => {
    expect(judgeCell([row('best', 1.4, 100), row('close', 1, 101)]).winner).toBe('best');
  });

  it('a close and fast enough row wins; among several, the fastest', () => {
    const verdict = judgeCell([row('best', 6, 100), row('a', 3, 102), row('b', 2, 102.4), row('c', 1, 110)]);
    expect(verdict.best).toBe('best');
    expect(verdict.winner).toBe('b');
    expect(verdict.speedup).toBe(3);
    expect(verdict.qualityGap).toBeCloseTo(0.024, 12);
  });

  it('the bounds are inclusive: exactly 2.5% worse and exactly 1.5x faster qualifies', () => {
    expect(judgeCell([row('best', 3, 200), row('edge', 2, 205)]).winner).toBe('edge');
    expect(judgeCell([row('best', 3, 200), row('edge', 2.0001, 205)]).winner).toBe('best');
    expect(judgeCell([row('best', 3, 200), row('edge', 2, 205.001)]).winner).toBe('best');
  });

  it('equal objectives: the faster row is the best', () => {
    expect(judgeCell([row('slow', 2, 50), row('quick', 1, 50)])).toMatchObject({ best: 'quick', winner: 'quick' });
  });

  it('rows that did not finish take no part; a cell with none has no verdict', () => {
    expect(judgeCell([row('best', 5, 100), row('t', 0, 0, 'timeout'), row('m', 0, 0, 'missing')])).toMatchObject({ best: 'best', winner: 'best' });
    expect(judgeCell([row('t', 0, 0, 'timeout'), row('e', 0, 0, 'error')])).toEqual({});
  });

  it('judgeCells groups rows by (dataset, metric, K)', () => {
    const cells = judgeCells([row('a', 1, 10, 'ok', 10), row('b', 2, 9, 'ok', 10), row('a', 1, 5, 'ok', 20), row('b', 9, 5.1, 'ok', 20)]);
    expect(cells).toEqual([
      { dataset: 'd', metric: 'l2', k: 10, best: 'b', winner: 'b', speedup: 1, qualityGap: 0 },
      { dataset: 'd', metric: 'l2', k: 20, best: 'a', winner: 'a', speedup: 1, qualityGap: 0 },
    ]);
  });
});

describe('timing helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('round order rotates so no contender always runs first', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(roundOrder(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
  });
});
