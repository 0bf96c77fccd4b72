#!/usr/bin/env node
// The `clostera` command. This committed shim is what npm links as the bin: it exists before the
// first build (npm only links bins whose file exists at install time), and it says what to do
// when the TypeScript has not been compiled yet.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('clostera: the command is not built yet; run `npm run build` at the repository root first\n');
  process.exit(3);
}
await import(cli.href);
