/** Assertions shared by the test files. */
import { expect } from 'vitest';

import { ClosteraError, type ErrorCode } from '../../src/index.js';

/** Asserts `run` throws a ClosteraError with `code` (and the given detail fields) and returns it. */
export function expectCode(run: () => unknown, code: ErrorCode, details: Record<string, unknown> = {}): ClosteraError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  return checkError(caught, code, details);
}

/** Asserts `promise` rejects with a ClosteraError with `code` (and details) and returns it. */
export async function expectRejectCode(
  promise: Promise<unknown>,
  code: ErrorCode,
  details: Record<string, unknown> = {}
): Promise<ClosteraError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  return checkError(caught, code, details);
}

function checkError(caught: unknown, code: ErrorCode, details: Record<string, unknown>): ClosteraError {
  expect(caught, `expected ${code}, nothing was thrown`).toBeInstanceOf(ClosteraError);
  const error = caught as ClosteraError;
  expect(error.code, error.message).toBe(code);
  for (const [key, value] of Object.entries(details))
    expect((error as unknown as Record<string, unknown>)[key], key).toEqual(value);
  return error;
}

/** Asserts two typed arrays hold the same bits. */
export function expectBitIdentical(a: ArrayBufferView, b: ArrayBufferView, label = 'array'): void {
  const bytesA = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const bytesB = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  expect(bytesA.length, label).toBe(bytesB.length);
  expect(Buffer.compare(bytesA, bytesB), `${label} differs`).toBe(0);
}

/** Asserts `|actual - expected| <= tolerance(i)` elementwise. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: (i: number) => number,
  label = 'value'
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= tolerance(i))) {
      expect.fail(`${label}[${i}] = ${a}, expected ${e} within ${tolerance(i)}`);
    }
  }
}
