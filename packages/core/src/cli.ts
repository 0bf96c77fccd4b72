#!/usr/bin/env node
/**
 * The `clostera` command (`clostera --help`). Exit codes: `EXIT_CODES` in `exit-codes.ts`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { runCli } from './cli/program.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const code = await runCli(process.argv.slice(2), version);
// Let pending stdout/stderr writes drain instead of calling process.exit.
process.exitCode = code;
