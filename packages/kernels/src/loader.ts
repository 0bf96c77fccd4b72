/**
 * Finds and loads the native addon (`clostera-kernels.<platform-arch-abi>.node`).
 *
 * Candidates, in order:
 * 1. the package root (one level above this file, so it works from `src/` and `dist/`), where
 *    `napi build --platform --output-dir .` puts a locally built binary;
 * 2. the platform package `@clostera/kernels-<platform-arch-abi>` (published prebuilt binaries).
 *
 * When none loads, one {@link ClosteraError} (`CLOSTERA_INTERNAL`) names every candidate and why
 * it failed.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ClosteraError, ErrorCode } from './errors.js';
import type { NativeBinding } from './native.js';

/** Base name of the binary, as in `package.json` `napi.binaryName`. */
const BINARY_NAME = 'clostera-kernels';

/**
 * True when the running Node links against musl libc (Alpine) rather than glibc. Reads
 * `/usr/bin/ldd` first (a script that names its libc; well under a millisecond); only when that
 * file is missing or unreadable does it fall back to Node's diagnostic report, which took 9-20 ms
 * here, paid by the first call of every process.
 */
export function isMusl(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return readFileSync('/usr/bin/ldd', 'latin1').includes('musl');
  } catch {
    // No ldd (minimal images): ask the report below.
  }
  try {
    // Skips the network part of the report where Node supports it (v20.13+).
    if (process.report !== undefined) (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
    // glibc builds of Node report the runtime glibc version in the diagnostic report header.
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return report?.header !== undefined && report.header.glibcVersionRuntime === undefined;
  } catch {
    return false;
  }
}

/**
 * The `<platform-arch-abi>` suffix of the binary for a platform, in napi-rs naming:
 * `linux-x64-gnu`, `linux-x64-musl`, `linux-arm-gnueabihf`, `darwin-arm64`, `win32-x64-msvc`...
 */
export function platformTriple(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  musl: boolean = platform === 'linux' && isMusl()
): string {
  switch (platform) {
    case 'linux':
      if (arch === 'arm') return `linux-arm-${musl ? 'musleabihf' : 'gnueabihf'}`;
      return `linux-${arch}-${musl ? 'musl' : 'gnu'}`;
    case 'win32':
      return `win32-${arch}-msvc`;
    default:
      return `${platform}-${arch}`;
  }
}

/** Where to look for the binary; the defaults describe this installation. */
export interface LoadOptions {
  /** Directory searched first; defaults to the package root. */
  packageRoot?: string;
  /** The `<platform-arch-abi>` suffix; defaults to {@link platformTriple}(). */
  triple?: string;
}

/** The package root: the parent of the directory holding this file (`src/` or `dist/`). */
function defaultPackageRoot(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * Loads the native binding, trying each candidate in turn.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INTERNAL` listing every candidate and its failure.
 */
export function loadNativeBinding(options: LoadOptions = {}): NativeBinding {
  const triple = options.triple ?? platformTriple();
  const root = options.packageRoot ?? defaultPackageRoot();
  const require = createRequire(import.meta.url);
  const failures: string[] = [];

  const localPath = join(root, `${BINARY_NAME}.${triple}.node`);
  if (existsSync(localPath)) {
    try {
      return require(localPath) as NativeBinding;
    } catch (error) {
      failures.push(`${localPath}: ${reason(error)}`);
    }
  } else {
    failures.push(`${localPath}: not found (build it with \`npm run build:native\` in packages/kernels)`);
  }

  const platformPackage = `@clostera/kernels-${triple}`;
  try {
    return require(platformPackage) as NativeBinding;
  } catch (error) {
    const notInstalled =
      (error as { code?: unknown }).code === 'MODULE_NOT_FOUND' && reason(error).includes(platformPackage);
    failures.push(`${platformPackage}: ${notInstalled ? 'not installed' : reason(error)}`);
  }

  throw new ClosteraError(
    ErrorCode.Internal,
    `cannot load the Clostera native binding for ${triple}; tried:\n${failures.map((f) => `  - ${f}`).join('\n')}`,
    { expected: `${BINARY_NAME}.${triple}.node`, actual: failures }
  );
}
