/**
 * Child-process entry for the JavaScript contenders (node worker side of the protocol in
 * `protocol.ts`): loads the engine and the data, then answers fit requests until told to exit.
 *
 * Run as `node js-worker.js CONFIG.json`. Anything an engine prints goes to stderr so stdout
 * carries protocol lines only.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { jsEngine } from '../engines/registry.js';
import type { ByeMessage, ReadyMessage, RunReply, RunRequest, WorkerConfig } from './protocol.js';

function emit(message: ReadyMessage | RunReply | ByeMessage): void {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function bytesOf(a: Float32Array | Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Reads a raw float32 file into a fresh, aligned Float32Array. */
function readMatrix(path: string, n: number, d: number): Float32Array {
  const bytes = readFileSync(path);
  const x = new Float32Array(n * d);
  new Uint8Array(x.buffer).set(bytes.subarray(0, x.byteLength));
  return x;
}

async function main(): Promise<void> {
  const configPath = process.argv[2];
  if (configPath === undefined) throw new Error('usage: js-worker.js CONFIG.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as WorkerConfig;
  const make = jsEngine(config.contender);
  if (make === undefined) throw new Error(`unknown JavaScript contender '${config.contender}'`);
  // Engines may log; keep stdout for the protocol.
  console.log = console.error;
  const engine = make();
  const versions = await engine.load();
  const x = readMatrix(config.data, config.n, config.d);
  await engine.prepare(x, config.n, config.d, config.metric, config.threads);
  emit({ type: 'ready', versions });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line) as RunRequest | { type: 'exit' };
    if (request.type === 'exit') break;
    try {
      const t0 = performance.now();
      const fit = await engine.fit({ k: request.k, maxIter: request.maxIter, seed: request.seed });
      const seconds = (performance.now() - t0) / 1000;
      writeFileSync(`${request.out}.centroids.f32`, bytesOf(fit.centroids));
      if (fit.labels !== undefined) writeFileSync(`${request.out}.labels.u32`, bytesOf(fit.labels));
      emit({
        type: 'result',
        id: request.id,
        seconds,
        labels: fit.labels !== undefined,
        ...(fit.iterations === undefined ? {} : { iterations: fit.iterations }),
        ...(fit.reportedObjective === undefined ? {} : { reportedObjective: fit.reportedObjective }),
        ...(fit.notes === undefined ? {} : { notes: fit.notes }),
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      emit({ type: 'error', id: request.id, message: (error as Error).message ?? String(error), ...(typeof code === 'string' ? { code } : {}) });
    }
  }
  // maxRSS is in KiB on every platform Node supports.
  emit({ type: 'bye', maxRssKb: process.resourceUsage().maxRSS });
}

main().catch((error: unknown) => {
  process.stderr.write(`js-worker: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
