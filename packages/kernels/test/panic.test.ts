import { describe, expect, it } from 'vitest';

import { assign, ErrorCode, toClosteraError } from '../src/index.js';
import { native } from '../src/native.js';
import { expectCode, expectRejectCode } from './helpers/assertions.js';
import { randomMatrix } from './helpers/random.js';

const x = randomMatrix(50, 8, 11);
const c = randomMatrix(5, 8, 12);

describe('Rust panics', () => {
  it('a panic on the JS thread throws CLOSTERA_INTERNAL and the next call works', () => {
    const error = expectCode(() => {
      try {
        native().__provokePanic();
      } catch (caught) {
        throw toClosteraError(caught);
      }
    }, ErrorCode.Internal);
    expect(error.message).toContain('provoked panic');
    expect(assign(x, c, 8, 'l2').labels.length).toBe(50);
  });

  it('a panic on a pool thread rejects with CLOSTERA_INTERNAL and the next call works', async () => {
    const rejected = native()
      .__provokePanic(true)
      .catch((caught: unknown) => Promise.reject(toClosteraError(caught)));
    const error = await expectRejectCode(rejected, ErrorCode.Internal);
    expect(error.message).toContain('provoked panic');
    expect(assign(x, c, 8, 'l2').labels.length).toBe(50);
  });

  it('repeated panics leave the process healthy', async () => {
    for (let i = 0; i < 5; i++) {
      expect(() => native().__provokePanic()).toThrow(/provoked panic/);
      await expect(native().__provokePanic(true)).rejects.toMatchObject({ code: ErrorCode.Internal });
    }
    expect(assign(x, c, 8, 'ip').labels.length).toBe(50);
  });
});
