/**
 * Buffers a fit lends to the next one: the training sample (unit rows under cosine).
 *
 * A fresh multi-megabyte `Float32Array` is paid for in page faults on first touch: 1-5 ms for the
 * 8 MB sample of a Fashion-MNIST k = 10 fit here, more than the copy into it and up to a fifth
 * of the whole fit. A fit takes a buffer from this cache when one of the right size is there and
 * puts it back when it is done, so repeated fits (restarts, a sweep over k, a benchmark) touch
 * warm memory. The cache holds at most one buffer per use and holds it weakly: the GC may take it
 * whenever memory is wanted. A buffer is out of the cache while a fit uses it, so concurrent fits
 * never share one.
 *
 * @module
 * @internal
 */

/** What a cached buffer is for (a fit may hold one of each at once). */
export type ScratchUse = 'sample';

const cache = new Map<ScratchUse, WeakRef<Float32Array>>();

/**
 * A buffer of exactly `length` floats for `use`: the cached one when it is that long (removed
 * from the cache until {@link giveBack}), else a new one. Its contents are undefined.
 */
export function takeScratch(use: ScratchUse, length: number): Float32Array {
  const cached = cache.get(use)?.deref();
  cache.delete(use);
  return cached !== undefined && cached.length === length ? cached : new Float32Array(length);
}

/** Returns `buffer` to the cache for the next fit (replacing any buffer cached for `use`). */
export function giveBack(use: ScratchUse, buffer: Float32Array): void {
  cache.set(use, new WeakRef(buffer));
}
