#!/usr/bin/python3
"""Peer worker for @clostera/bench: FAISS and scikit-learn k-means behind one JSON-lines protocol.

Run with Debian's own interpreter (/usr/bin/python3), where python3-faiss, python3-sklearn and
numpy are installed. Two modes:

  peer.py --probe           print one JSON object: versions, or why each module does not import
  peer.py CONFIG.json       worker: load the data named in CONFIG, print {"type": "ready"}, then
                            answer {"type": "run", ...} lines on stdin (see src/worker/protocol.ts)

Contenders (the "contender" field of CONFIG):
  faiss-default      faiss.Kmeans with its defaults (max_points_per_centroid=256: subsamples
                     when n > 256 k), spherical for cos
  faiss-all          the same with max_points_per_centroid large enough to train on every row
  faiss-mppc-N       the same with max_points_per_centroid=N (a training subsample of N k rows)
  faiss-default-labels, faiss-all-labels
                     faiss-default / faiss-all, then kmeans.index.search(x, 1) inside the timing:
                     every row's label, the work a final objective over all rows needs (and that
                     the other contenders' times include)
  sklearn-kpp        sklearn.cluster.KMeans(algorithm="lloyd", n_init=1, init="k-means++", tol=0)
  sklearn-random     the same with init="random"
  sklearn-minibatch  sklearn.cluster.MiniBatchKMeans(n_init=1, max_iter=maxIter) (defaults otherwise)

For cos the data file already holds unit-norm rows (the benchmark normalises once for everyone):
FAISS runs spherical k-means (inner-product assignment, centroids renormalised each iteration);
scikit-learn has no cosine mode, so it runs Euclidean k-means on the unit rows, the usual
approximation of spherical k-means. Iteration counts are fixed: tol=0 so scikit-learn stops early
only when the assignment no longer changes at all.
"""
import json
import os
import re
import resource
import sys
import time
import warnings


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def module_versions():
    """Versions of numpy, faiss, sklearn and threadpoolctl, or the import error of each."""
    out = {"python": sys.version.split()[0], "executable": sys.executable}
    for name in ("numpy", "faiss", "sklearn", "threadpoolctl"):
        try:
            mod = __import__(name)
            out[name] = getattr(mod, "__version__", "unknown")
        except Exception as exc:  # any import failure makes that peer missing, with the reason
            out[name] = None
            out[name + "_error"] = "%s: %s" % (type(exc).__name__, exc)
    try:
        from threadpoolctl import threadpool_info

        out["threadpools"] = [
            {k: p.get(k) for k in ("user_api", "internal_api", "version", "num_threads", "filepath")}
            for p in threadpool_info()
        ]
    except Exception:
        pass
    return out


def limit_threads(threads):
    """Same thread count for every library: OpenMP (FAISS, sklearn) and BLAS (numpy, sklearn)."""
    limiter = None
    try:
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(limits=threads)
    except Exception:
        pass  # the OMP_NUM_THREADS / OPENBLAS_NUM_THREADS environment set by the parent still applies
    return limiter


class Faiss:
    def __init__(self, all_points, max_points_per_centroid=None, labels=False):
        import faiss

        self.faiss = faiss
        self.all_points = all_points
        self.max_points_per_centroid = max_points_per_centroid
        self.labels = labels

    def fit(self, x, k, max_iter, seed, metric):
        faiss = self.faiss
        n, d = x.shape
        kwargs = dict(niter=max_iter, seed=seed, verbose=False, spherical=(metric == "cos"))
        if self.all_points:
            kwargs["max_points_per_centroid"] = (n + k - 1) // k + 1
        elif self.max_points_per_centroid is not None:
            kwargs["max_points_per_centroid"] = self.max_points_per_centroid
        km = faiss.Kmeans(d, k, **kwargs)
        t0 = time.perf_counter()
        km.train(x)
        labels = None
        if self.labels:
            # The trained index holds the final centroids (normalised when spherical, so inner
            # product ranks as cosine does).
            _, nearest = km.index.search(x, 1)
            labels = nearest.ravel()
        seconds = time.perf_counter() - t0
        obj = [float(v) for v in km.obj] if km.obj is not None else []
        notes = "max_points_per_centroid=%d" % km.cp.max_points_per_centroid
        trained = min(n, k * km.cp.max_points_per_centroid)
        if trained < n:
            notes += ", trained on %d of %d rows" % (trained, n)
        return dict(
            seconds=seconds,
            centroids=km.centroids,
            labels=labels,
            iterations=len(obj),
            # FAISS reports the training-set sum of squared distances (of similarities when spherical).
            reportedObjective=(obj[-1] / trained) if obj and metric == "l2" else None,
            notes=notes,
        )


class Sklearn:
    def __init__(self, kind):
        import sklearn.cluster

        self.cluster = sklearn.cluster
        self.kind = kind

    def fit(self, x, k, max_iter, seed, metric):
        if self.kind == "minibatch":
            model = self.cluster.MiniBatchKMeans(n_clusters=k, n_init=1, max_iter=max_iter, random_state=seed)
        else:
            model = self.cluster.KMeans(
                n_clusters=k,
                init="k-means++" if self.kind == "kpp" else "random",
                n_init=1,
                max_iter=max_iter,
                tol=0.0,
                algorithm="lloyd",
                random_state=seed,
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            model.fit(x)
            seconds = time.perf_counter() - t0
        notes = "euclidean k-means on unit rows (approximates spherical)" if metric == "cos" else None
        return dict(
            seconds=seconds,
            centroids=model.cluster_centers_,
            labels=model.labels_,
            iterations=int(model.n_iter_),
            reportedObjective=float(model.inertia_) / x.shape[0],
            notes=notes,
        )


ENGINES = {
    "faiss-default": lambda: Faiss(all_points=False),
    "faiss-all": lambda: Faiss(all_points=True),
    "faiss-default-labels": lambda: Faiss(all_points=False, labels=True),
    "faiss-all-labels": lambda: Faiss(all_points=True, labels=True),
    "sklearn-kpp": lambda: Sklearn("kpp"),
    "sklearn-random": lambda: Sklearn("random"),
    "sklearn-minibatch": lambda: Sklearn("minibatch"),
}


def serve(config_path):
    import numpy as np

    with open(config_path) as f:
        cfg = json.load(f)
    threads = int(cfg["threads"])
    limiter = limit_threads(threads)
    make = ENGINES.get(cfg["contender"])
    sized = re.fullmatch(r"faiss-mppc-([1-9][0-9]*)", cfg["contender"])
    if make is None and sized is not None:
        make = lambda: Faiss(all_points=False, max_points_per_centroid=int(sized.group(1)))
    if make is None:
        raise SystemExit("unknown contender %r" % cfg["contender"])
    engine = make()
    if cfg["contender"].startswith("faiss"):
        engine.faiss.omp_set_num_threads(threads)
    n, d = int(cfg["n"]), int(cfg["d"])
    x = np.fromfile(cfg["data"], dtype="<f4", count=n * d).reshape(n, d)
    x = np.ascontiguousarray(x, dtype=np.float32)
    # Versions of what this worker imported only: importing the other peer's modules here would
    # inflate this worker's resident memory.
    versions = {"python": sys.version.split()[0]}
    for name in ("numpy", "faiss", "sklearn", "threadpoolctl"):
        if name in sys.modules:
            versions[name] = str(getattr(sys.modules[name], "__version__", "unknown"))
    emit({"type": "ready", "versions": versions})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        if req.get("type") == "exit":
            break
        rid = req.get("id")
        try:
            res = engine.fit(x, int(req["k"]), int(req["maxIter"]), int(req["seed"]), cfg["metric"])
            out = req["out"]
            np.ascontiguousarray(res["centroids"], dtype="<f4").tofile(out + ".centroids.f32")
            has_labels = res["labels"] is not None
            if has_labels:
                np.ascontiguousarray(res["labels"], dtype="<u4").tofile(out + ".labels.u32")
            reply = {"type": "result", "id": rid, "seconds": res["seconds"], "labels": has_labels}
            for key in ("iterations", "reportedObjective", "notes"):
                if res.get(key) is not None:
                    reply[key] = res[key]
            emit(reply)
        except Exception as exc:  # report and keep serving: the parent decides what to do
            emit({"type": "error", "id": rid, "message": "%s: %s" % (type(exc).__name__, exc)})
    del limiter
    emit({"type": "bye", "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})


def main(argv):
    if len(argv) == 2 and argv[1] == "--probe":
        emit(module_versions())
        return 0
    if len(argv) == 2:
        serve(argv[1])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
