#!/usr/bin/env node
/**
 * `clostera-bench`: the benchmark command (`npm run bench -- --suite quick|full ...`).
 *
 * @module
 */
import { dirname, resolve } from 'node:path';
import { USAGE, parseCommand, type Command } from './cli/args.js';
import { CONTENDERS } from './contenders/registry.js';
import { SUITES } from './runner/suites.js';
import { FAMILIES } from './synthetic/catalog.js';
import { writeShards } from './synthetic/shards.js';
import { makePlan } from './runner/plan.js';
import { runPlan } from './runner/execute.js';
import { judgeCells } from './runner/winner.js';
import { readResults, resultsBaseName, writeOutputs, writeResultsJson } from './results/store.js';
import { defaultResultsDir, defaultScratchDir } from './paths.js';

/** How the command was invoked, for the results file (npm script form when run through npm). */
function commandLine(argv: readonly string[]): string {
  const args = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return process.env['npm_lifecycle_event'] === 'bench' ? `npm run bench -- ${args}`.trim() : `node packages/bench/dist/cli.js ${args}`.trim();
}

function printList(): void {
  const lines = ['Suites:', ...SUITES.map((s) => `  ${s.name.padEnd(8)} ${s.description}`), '', 'Contenders:'];
  lines.push(...CONTENDERS.map((c) => `  ${c.id.padEnd(18)} [${c.family}] ${c.description}`), '', 'Synthetic families:');
  lines.push(...FAMILIES.map((f) => `  ${f.name.padEnd(12)} d=${String(f.defaultD).padEnd(4)} ${f.summary}`));
  process.stdout.write(lines.join('\n') + '\n');
}

async function execute(command: Command, argv: readonly string[]): Promise<void> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE + '\n');
      return;
    case 'list':
      printList();
      return;
    case 'report': {
      const results = readResults(command.results);
      // Verdicts follow from the rows; recomputing them keeps old files consistent with today's rule.
      results.cells = judgeCells(results.rows);
      const dir = command.out ?? dirname(resolve(command.results));
      const written = writeOutputs(results, dir, resultsBaseName(results));
      process.stdout.write(`report: ${written.report}\nplots: ${written.plots.length} in ${dirname(written.plots[0] ?? written.report)}\n`);
      return;
    }
    case 'generate': {
      const started = Date.now();
      const manifest = await writeShards({ family: command.family, n: command.n, d: command.d ?? FAMILIES.find((f) => f.name === command.family)?.defaultD ?? 32, k: command.k, seed: command.seed }, command.out, {
        ...(command.shardRows === undefined ? {} : { shardRows: command.shardRows }),
        onProgress: (done, total) => process.stderr.write(`\r${done} / ${total} rows`),
      });
      process.stderr.write('\n');
      process.stdout.write(`${manifest.n} x ${manifest.d} in ${manifest.shards.length} shard(s) at ${resolve(command.out)} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      return;
    }
    case 'run': {
      const plan = makePlan(command.plan);
      const cells = plan.cases.reduce((s, c) => s + c.metrics.length * c.ks.length, 0);
      process.stderr.write(`suite ${plan.suite}: ${cells} cells x ${plan.contenders.length} contenders, ${plan.settings.repeats} repetitions, ${plan.settings.threads} threads\n`);
      if (command.dryRun) {
        for (const c of plan.cases) process.stdout.write(`${c.dataset}  metrics=${c.metrics.join(',')}  K=${c.ks.join(',')}\n`);
        process.stdout.write(`contenders: ${plan.contenders.map((c) => c.id).join(', ')}\n`);
        return;
      }
      const outDir = resolve(command.out ?? defaultResultsDir());
      let base: string | undefined;
      const results = await runPlan(plan, {
        scratchDir: resolve(command.scratch ?? defaultScratchDir()),
        command: commandLine(argv),
        keepScratch: command.keepScratch,
        onProgress: (partial) => {
          base ??= resultsBaseName(partial);
          writeResultsJson(partial, outDir, base);
        },
      });
      const written = writeOutputs(results, outDir, base ?? resultsBaseName(results));
      process.stdout.write(`results: ${written.json}\nreport:  ${written.report}\nplots:   ${written.plots.length} SVG files\n`);
      return;
    }
  }
}

const argv = process.argv.slice(2);
try {
  await execute(parseCommand(argv), argv);
} catch (error) {
  const e = error as { code?: string; message?: string };
  process.stderr.write(`clostera-bench: ${e.code === undefined ? '' : `${e.code}: `}${e.message ?? String(error)}\n`);
  if (e.code === 'CLOSTERA_INVALID_ARGUMENT') process.stderr.write(`\n${USAGE}\n`);
  process.exitCode = 1;
}
