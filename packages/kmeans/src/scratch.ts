/**
 * Buffers a fit lends to the next one: the training sample (unit rows under cosine), the rows of
 * multi-start trials, the k-means++ seeding sample, the rows its projection basis comes from and
 * the Yinyang group bounds.
 *
 * A fresh multi-megabyte `Float32Array` is paid for in page faults on first touch: 1-5 ms for the
 * 8 MB sample of a Fashion-MNIST k = 10 fit here, more than the copy into it and up to a fifth
 * of the whole fit. A fit takes a buffer from this cache when one of the right size is there and
 * puts it back when it is done, so repeated fits (restarts, a sweep over k, a benchmark) touch
 * warm memory. The cache holds at most one buffer per use: strongly up to 64 MiB, weakly above
 * (the GC may take those whenever memory is wanted). A buffer is out of the cache while a fit uses it, so concurrent fits
 * never share one.
 *
 * @module
 * @internal
 */

/** What a cached buffer is for (a fit may hold one of each at once). */
export type ScratchUse = 'sample' | 'trial' | 'seed' | 'bounds' | 'basis';

/**
 * Buffers up to this size are held strongly: a weakly held 8 MB sample was collected by most
 * garbage collections between fits, and re-touching it cost 2,048 page faults (4-8 ms on this
 * VM, where a fault costs several microseconds). Larger ones stay weak so an idle library never
 * pins much memory.
 */
const STRONG_MAX_BYTES = 64 * 1024 * 1024;

const cache = new Map<ScratchUse, Float32Array | WeakRef<Float32Array>>();

function deref(entry: Float32Array | WeakRef<Float32Array> | undefined): Float32Array | undefined {
  return entry instanceof WeakRef ? entry.deref() : entry;
}

/**
 * A buffer of exactly `length` floats for `use`: the cached one when it is that long (removed
 * from the cache until {@link giveBack}), else a new one. Its contents are undefined.
 */
export function takeScratch(use: ScratchUse, length: number): Float32Array {
  const cached = deref(cache.get(use));
  cache.delete(use);
  return cached !== undefined && cached.length === length ? cached : new Float32Array(length);
}

/** Returns `buffer` to the cache for the next fit (replacing any buffer cached for `use`). */
export function giveBack(use: ScratchUse, buffer: Float32Array): void {
  cache.set(use, buffer.byteLength <= STRONG_MAX_BYTES ? buffer : new WeakRef(buffer));
}
