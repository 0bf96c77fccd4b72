// The replay guard: every cell of the committed results files, run through the rule, each cell
// (dataset, metric, K, seed) taken from the newest file that measured the rule's choice there
// (older files measured older engines). A cell fails when the rule's choice is more than 2.5%
// above (worse than) the best objective our measured configurations reached there, or when the
// choice was not measured at all.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asResultsFile, replay, replayLatest, replayTable, REPLAY_TOLERANCE, type ResultsFile } from '../src/index.js';

const RESULTS_DIR = fileURLToPath(new URL('../../../benchmarks/results/', import.meta.url));

function committedResults(): Array<{ name: string; results: ResultsFile }> {
  const out = [];
  for (const file of readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const json: unknown = JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8'));
    if ((json as { schema?: unknown }).schema !== 'clostera-bench/1') continue;
    out.push({ name: file, results: asResultsFile(json, file) });
  }
  return out;
}

const files = committedResults();

describe('replay of the committed benchmark results', () => {
  it('finds at least one results file with measured cells of ours', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((f) => replay(f.results)).length).toBeGreaterThan(0);
  });

  const latest = replayLatest(files);
  for (const { name: file, cells } of latest) {
    describe(file, () => {
      it.each(cells.map((c) => [`${c.dataset} ${c.metric} K=${c.k}`, c] as const))('%s: the choice is within 2.5% of our best', (_name, cell) => {
        expect(cell.reason ?? '').toBe('');
        expect(cell.gap).toBeLessThanOrEqual(REPLAY_TOLERANCE);
        expect(cell.pass).toBe(true);
      });
      it('maps every contender of ours to a configuration (add new ones to CONFIGURATIONS)', () => {
        expect([...new Set(cells.flatMap((c) => c.unmapped))]).toEqual([]);
      });
      it('renders the evidence table', () => {
        const table = replayTable(cells);
        expect(table.split('\n')).toHaveLength(cells.length + 2);
        if (process.env['SELECTOR_PRINT'] === '1') console.log(`${file}\n${table}`);
      });
    });
  }
});
