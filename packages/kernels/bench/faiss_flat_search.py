"""FAISS peer for the kernels benchmark: brute-force nearest-centroid search.

Run with Debian's own python3 (python3-faiss 1.7.3). Reads raw little-endian float32 matrices,
times `faiss.IndexFlatL2(d).search(x, 1)` (index built once, search repeated), writes the labels
for an agreement check, and prints one JSON object on stdout.

usage: faiss_flat_search.py X_PATH N C_PATH K D THREADS REPEATS LABELS_OUT
"""
import json
import sys
import time

import faiss
import numpy as np


def main():
    x_path, n, c_path, k, d, threads, repeats, labels_out = sys.argv[1:9]
    n, k, d, threads, repeats = int(n), int(k), int(d), int(threads), int(repeats)
    faiss.omp_set_num_threads(threads)
    x = np.fromfile(x_path, dtype="<f4", count=n * d).reshape(n, d)
    c = np.fromfile(c_path, dtype="<f4", count=k * d).reshape(k, d)
    index = faiss.IndexFlatL2(d)
    index.add(c)
    index.search(x[: min(n, 2048)], 1)  # warm-up
    times = []
    labels = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        _, labels = index.search(x, 1)
        times.append(time.perf_counter() - t0)
    labels.astype("<i8").ravel().astype("<u4").tofile(labels_out)
    print(json.dumps({"peer": "faiss.IndexFlatL2.search(k=1)", "faiss": faiss.__version__, "threads": threads, "times": times}))


if __name__ == "__main__":
    main()
