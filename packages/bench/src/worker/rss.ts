/**
 * Peak resident memory of a worker: GNU time's report when `/usr/bin/time -v` works here, else
 * what the worker measured itself with getrusage (`ru_maxrss` / `process.resourceUsage()`).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where GNU time is expected. */
export const GNU_TIME = '/usr/bin/time';

let gnuTime: boolean | undefined;

/** True when `/usr/bin/time -v -o FILE` works (GNU time), checked once per process. */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    gnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', '-o', '/dev/null', 'true'], { timeout: 10_000 }).status === 0;
  }
  return gnuTime;
}

/** The "Maximum resident set size (kbytes)" of a `time -v` report, in bytes, or undefined. */
export function parseGnuTimeRss(report: string): number | undefined {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(report);
  return m === null ? undefined : Number(m[1]) * 1024;
}
