import { describe, expect, it } from 'vitest';

import { ClosteraError, ErrorCode, platformTriple } from '../src/index.js';
import { isMusl, loadNativeBinding } from '../src/loader.js';
import { native } from '../src/native.js';

describe('native binary loader', () => {
  it('tells musl from glibc as the diagnostic report does', () => {
    if (process.platform !== 'linux') {
      expect(isMusl()).toBe(false);
      return;
    }
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    if (header === undefined) {
      console.warn('skipped: this Node has no diagnostic report to compare with');
      return;
    }
    expect(isMusl()).toBe(header.glibcVersionRuntime === undefined);
  });

  it('names binaries the napi-rs way', () => {
    expect(platformTriple('linux', 'x64', false)).toBe('linux-x64-gnu');
    expect(platformTriple('linux', 'x64', true)).toBe('linux-x64-musl');
    expect(platformTriple('linux', 'arm64', false)).toBe('linux-arm64-gnu');
    expect(platformTriple('darwin', 'arm64', false)).toBe('darwin-arm64');
    expect(platformTriple('win32', 'x64', false)).toBe('win32-x64-msvc');
  });

  it('loads the binary of this platform', () => {
    expect(typeof native().assign).toBe('function');
    expect(Object.keys(native())).toEqual(
      expect.arrayContaining(['rowNorms', 'distanceTile', 'assign', 'topL', 'accumulate', 'kmeansppUpdate'])
    );
  });

  it('fails with one error naming every candidate and why it failed', () => {
    let caught: unknown;
    try {
      loadNativeBinding({ packageRoot: '/nonexistent/clostera', triple: 'plan9-mips-none' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ClosteraError);
    const error = caught as ClosteraError;
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).toContain('/nonexistent/clostera/clostera-kernels.plan9-mips-none.node: not found');
    expect(error.message).toContain('@clostera/kernels-plan9-mips-none: not installed');
    expect(error.actual).toHaveLength(2);
  });
});
