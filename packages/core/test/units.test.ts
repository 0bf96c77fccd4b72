// Small pure pieces: byte sizes, the row sampler, exit codes.
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, ErrorCode, exitCodeFor, formatBytes, parseByteSize } from '../src/index.js';
import { sampleIndices } from '../src/random.js';

describe('parseByteSize', () => {
  it('reads binary and decimal units', () => {
    expect(parseByteSize('8GiB')).toBe(8 * 1024 ** 3);
    expect(parseByteSize('8g')).toBe(8 * 1024 ** 3);
    expect(parseByteSize('2GB')).toBe(2e9);
    expect(parseByteSize('1.5 MiB')).toBe(1.5 * 1024 ** 2);
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize(100)).toBe(100);
    expect(formatBytes(30.6 * 1024 ** 2)).toBe('30.6 MiB');
  });
  it('rejects anything else', () => {
    for (const bad of ['', 'lots', '-1GB', '0', '8 parsecs', '1e9']) expect(() => parseByteSize(bad)).toThrow(/byte size/);
  });
});

describe('sampleIndices', () => {
  it('picks m distinct sorted rows, the same for the same seed', () => {
    const a = sampleIndices(100_000, 1000, 7);
    expect(a).toHaveLength(1000);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
    expect(a[a.length - 1]!).toBeLessThan(100_000);
    expect(sampleIndices(100_000, 1000, 7)).toEqual(a);
    expect(sampleIndices(100_000, 1000, 8)).not.toEqual(a);
    expect(Array.from(sampleIndices(5, 5, 1))).toEqual([0, 1, 2, 3, 4]);
    // Spread over the whole range, not bunched at the start.
    expect(a[499]!).toBeGreaterThan(40_000);
    expect(a[499]!).toBeLessThan(60_000);
  });
});

describe('exit codes', () => {
  it('map error codes to the documented exit codes', () => {
    expect(EXIT_CODES).toEqual({ ok: 0, internal: 1, usage: 2, environment: 3, interrupted: 130, terminated: 143 });
    expect(exitCodeFor({ code: ErrorCode.Cancelled })).toBe(130);
    expect(exitCodeFor({ code: ErrorCode.Format })).toBe(2);
    expect(exitCodeFor({ code: ErrorCode.NonFinite })).toBe(2);
    expect(exitCodeFor({ code: ErrorCode.Io })).toBe(3);
    expect(exitCodeFor({ code: ErrorCode.OutOfMemory })).toBe(3);
    expect(exitCodeFor({ code: ErrorCode.Internal })).toBe(1);
  });
});
