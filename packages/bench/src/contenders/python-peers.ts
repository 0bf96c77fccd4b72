/**
 * The Python peers: FAISS and scikit-learn, driven by `peers/peer.py` under Debian's own python3.
 *
 * The interpreter is `/usr/bin/python3` (where Debian's python3-faiss and python3-sklearn live),
 * not the first python3 on PATH, which may be a separate installation without them;
 * `CLOSTERA_BENCH_PYTHON` overrides it on other machines.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PEERS_DIR } from '../paths.js';
import type { Availability, CellShape, Contender, EngineFamily, WorkerCommand } from './types.js';

/** Debian's interpreter, where the distribution's python3-faiss and python3-sklearn are installed. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** The interpreter the peers run with. */
export function pythonExecutable(): string {
  return process.env['CLOSTERA_BENCH_PYTHON'] ?? DEFAULT_PYTHON;
}

/** The peer script. */
export const PEER_SCRIPT = join(PEERS_DIR, 'peer.py');

/** What `peer.py --probe` reports: module versions (null when the import failed) and errors. */
export type PythonProbe = Record<string, unknown>;

let probeCache: Promise<PythonProbe> | undefined;

/**
 * Runs `peer.py --probe` once per process. Resolves with `{ error }` instead of rejecting when the
 * interpreter or the script cannot run, so every Python peer can say why it is missing.
 */
export function probePython(): Promise<PythonProbe> {
  probeCache ??= new Promise((resolve) => {
    const python = pythonExecutable();
    if (!existsSync(python)) {
      resolve({ error: `${python} does not exist (install Debian's python3, or set CLOSTERA_BENCH_PYTHON)` });
      return;
    }
    execFile(python, [PEER_SCRIPT, '--probe'], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        resolve({ error: `${python} ${PEER_SCRIPT} --probe failed: ${error.message} ${stderr}`.trim() });
        return;
      }
      try {
        resolve(JSON.parse(stdout) as PythonProbe);
      } catch {
        resolve({ error: `peer probe printed no JSON: ${stdout.slice(0, 200)}` });
      }
    });
  });
  return probeCache;
}

function availabilityOf(probe: PythonProbe, module: 'faiss' | 'sklearn'): Availability {
  if (typeof probe['error'] === 'string') return { available: false, reason: probe['error'] };
  const version = probe[module];
  if (typeof version !== 'string' || typeof probe['numpy'] !== 'string') {
    const why = probe[`${module}_error`] ?? probe['numpy_error'] ?? 'import failed';
    return { available: false, reason: `${module} does not import under ${pythonExecutable()}: ${String(why)}` };
  }
  return { available: true, version: `${module} ${version}, numpy ${String(probe['numpy'])}, python ${String(probe['python'])}` };
}

function pythonPeer(id: string, label: string, family: EngineFamily, module: 'faiss' | 'sklearn', description: string): Contender {
  return {
    id,
    label,
    family,
    description,
    supports(cell: CellShape) {
      return cell.k > cell.n ? `k = ${cell.k} exceeds n = ${cell.n}` : undefined;
    },
    async probe() {
      return availabilityOf(await probePython(), module);
    },
    worker(): WorkerCommand {
      return { command: pythonExecutable(), args: [PEER_SCRIPT] };
    },
  };
}

/** FAISS and scikit-learn contenders, in report order. */
export const PYTHON_CONTENDERS: readonly Contender[] = [
  pythonPeer('faiss-default', 'FAISS (defaults)', 'faiss', 'faiss', 'faiss.Kmeans with its defaults: trains on at most 256 rows per centroid; spherical for cos'),
  pythonPeer('faiss-all', 'FAISS (all points)', 'faiss', 'faiss', 'faiss.Kmeans with max_points_per_centroid large enough to train on every row; spherical for cos'),
  pythonPeer('faiss-default-labels', 'FAISS (defaults) + labels', 'faiss', 'faiss', 'faiss-default, then kmeans.index.search(x, 1) for every row inside the timing (the labels and final objective over all rows the other contenders produce)'),
  pythonPeer('faiss-all-labels', 'FAISS (all points) + labels', 'faiss', 'faiss', 'faiss-all, then kmeans.index.search(x, 1) for every row inside the timing'),
  pythonPeer('sklearn-kpp', 'sklearn Lloyd k-means++', 'sklearn', 'sklearn', 'sklearn KMeans(algorithm="lloyd", n_init=1, init="k-means++", tol=0); cos: Euclidean on unit rows'),
  pythonPeer('sklearn-random', 'sklearn Lloyd random', 'sklearn', 'sklearn', 'sklearn KMeans(algorithm="lloyd", n_init=1, init="random", tol=0); cos: Euclidean on unit rows'),
  pythonPeer('sklearn-minibatch', 'sklearn MiniBatch', 'sklearn', 'sklearn', 'sklearn MiniBatchKMeans(n_init=1, max_iter=iterations as epochs, batch 1024); cos: Euclidean on unit rows'),
];

/** The FAISS contender for a sized id (`faiss-mppc-384`: max_points_per_centroid = 384); `undefined` for any other id. */
export function sizedFaissContender(id: string): Contender | undefined {
  const sized = /^faiss-mppc-([1-9][0-9]*)$/.exec(id);
  if (sized === null) return undefined;
  return pythonPeer(id, `FAISS (${sized[1]} per centroid)`, 'faiss', 'faiss', `faiss.Kmeans with max_points_per_centroid=${sized[1]}; spherical for cos`);
}
