/**
 * The parent's handle on one worker process: start it, send fit requests with a timeout, read
 * its peak memory when it exits.
 *
 * Workers run in their own process group (detached), so a timeout kills the whole group: GNU
 * time, the interpreter and any helper it started.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { WorkerCommand } from '../contenders/types.js';
import { ioError } from '../errors.js';
import type { ByeMessage, ReadyMessage, RunReply, RunRequest, WorkerConfig } from './protocol.js';
import { GNU_TIME, hasGnuTime, parseGnuTimeRss } from './rss.js';

/** Thrown when a worker does not answer in time; the worker has been killed. */
export class WorkerTimeout extends Error {
  /** @param seconds - the limit that was exceeded. */
  constructor(readonly seconds: number) {
    super(`no answer within ${seconds} s`);
    this.name = 'WorkerTimeout';
  }
}

/** Everything needed to start a worker. */
export interface WorkerStart {
  /** Command of the contender. */
  command: WorkerCommand;
  /** Written to `configPath` and passed as the last argument. */
  config: WorkerConfig;
  /** Where to write the config. */
  configPath: string;
  /** Where the worker's stderr goes (kept for diagnosis). */
  logPath: string;
  /** Where GNU time writes its report. */
  timePath: string;
  /** Environment of the worker (thread counts). */
  env: NodeJS.ProcessEnv;
  /** Seconds allowed for start-up (imports and data loading). */
  startTimeoutSeconds: number;
}

/** How the peak memory was measured. */
export type RssSource = 'time -v' | 'getrusage';

/** A running worker. */
export class WorkerHandle {
  private readonly waiting: Array<(line: string | Error) => void> = [];
  private readonly buffered: Array<string | Error> = [];
  private exited: Promise<void>;
  private sequence = 0;
  /** Versions the worker reported when ready. */
  versions: Record<string, string> = {};

  private constructor(private readonly child: ChildProcess, private readonly start: WorkerStart) {
    // Writing to a worker that has died (timeout kill, crash) fails with EPIPE; the failure is
    // already reported through 'exit', so the stream error must not become an uncaught exception.
    child.stdin!.on('error', () => {});
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => this.push(line));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.push(new Error(`worker exited (${signal ?? `code ${code}`})${this.logTail()}`));
        resolve();
      });
      child.on('error', (error) => {
        this.push(ioError(`cannot start ${start.command.command}: ${error.message}`, { cause: error }));
        resolve();
      });
    });
  }

  /**
   * Starts a worker and waits for its ready line.
   *
   * @throws Error when it cannot start, exits, or is not ready within the start timeout.
   */
  static async start(start: WorkerStart): Promise<WorkerHandle> {
    writeFileSync(start.configPath, JSON.stringify(start.config));
    const log = openSync(start.logPath, 'w');
    const argv = [...start.command.args, start.configPath];
    const useTime = hasGnuTime();
    const child = useTime
      ? spawn(GNU_TIME, ['-v', '-o', start.timePath, start.command.command, ...argv], { detached: true, stdio: ['pipe', 'pipe', log], env: start.env })
      : spawn(start.command.command, argv, { detached: true, stdio: ['pipe', 'pipe', log], env: start.env });
    closeSync(log);
    const handle = new WorkerHandle(child, start);
    const ready = JSON.parse(await handle.next(start.startTimeoutSeconds)) as ReadyMessage;
    if (ready.type !== 'ready') throw new Error(`worker sent ${JSON.stringify(ready)} instead of ready`);
    handle.versions = ready.versions ?? {};
    return handle;
  }

  private push(item: string | Error): void {
    const waiter = this.waiting.shift();
    if (waiter !== undefined) waiter(item);
    else this.buffered.push(item);
  }

  private logTail(): string {
    try {
      const text = readFileSync(this.start.logPath, 'utf8').trim();
      return text === '' ? '' : `: ${text.slice(-600)}`;
    } catch {
      return '';
    }
  }

  /** The next stdout line, or a rejection on exit or timeout (which kills the worker). */
  private next(timeoutSeconds: number): Promise<string> {
    const item = this.buffered.shift();
    if (item !== undefined) return item instanceof Error ? Promise.reject(item) : Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(settle);
        if (i >= 0) this.waiting.splice(i, 1);
        this.kill();
        reject(new WorkerTimeout(timeoutSeconds));
      }, timeoutSeconds * 1000);
      const settle = (line: string | Error): void => {
        clearTimeout(timer);
        if (line instanceof Error) reject(line);
        else resolve(line);
      };
      this.waiting.push(settle);
    });
  }

  /**
   * Asks for one fit and waits for the reply.
   *
   * @throws {@link WorkerTimeout} after `timeoutSeconds` (the worker is killed); Error when it exits.
   */
  async run(request: Omit<RunRequest, 'type' | 'id'>, timeoutSeconds: number): Promise<RunReply> {
    const id = `r${++this.sequence}`;
    this.child.stdin!.write(JSON.stringify({ type: 'run', id, ...request }) + '\n');
    for (;;) {
      const reply = JSON.parse(await this.next(timeoutSeconds)) as RunReply;
      if (reply.id === id) return reply;
    }
  }

  /** Asks the worker to exit and returns its peak resident memory in bytes, when known. */
  async close(timeoutSeconds = 30): Promise<{ peakRssBytes?: number; rssSource?: RssSource }> {
    let bye: ByeMessage | undefined;
    try {
      this.child.stdin!.end(JSON.stringify({ type: 'exit' }) + '\n');
      bye = JSON.parse(await this.next(timeoutSeconds)) as ByeMessage;
    } catch {
      this.kill();
    }
    await this.exited;
    if (existsSync(this.start.timePath)) {
      const rss = parseGnuTimeRss(readFileSync(this.start.timePath, 'utf8'));
      if (rss !== undefined) return { peakRssBytes: rss, rssSource: 'time -v' };
    }
    return bye?.maxRssKb === undefined ? {} : { peakRssBytes: bye.maxRssKb * 1024, rssSource: 'getrusage' };
  }

  /** Kills the worker's whole process group. Safe to call more than once. */
  kill(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }
}
