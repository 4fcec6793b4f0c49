#!/usr/bin/env python3
"""Benchmark one peer ANN library (hnswlib, faiss-hnsw, usearch, scann, vsag) on a refer dataset folder.

Writes the same JSON shape as `refer bench`:
  {"dataset", "k", "systems": [{"name", "build_s", "bytes_per_vector", "peak_rss_bytes", "curve": [...]}]}

Same M, efConstruction and build threads as refer; search runs on one thread with all
queries passed in one call, so no per-query Python overhead is in the QPS figure.
p50/p99 come from a second, per-query pass and include the Python call (a few us).
bytes_per_vector is the growth of the process's resident memory across the build,
divided by the number of vectors.
A .fbin base is memory-mapped and added BLOCK_ROWS rows at a time, each block's file
pages released once the library has copied it (as refer bench does), so every
system's peak memory is its index plus one block, not the index plus a copy of the base.
Runs inside the venv the setup script makes (hnswlib, faiss-cpu, usearch, numpy);
scann and pyvsag are benchmark-only and Benchmarks/compare installs them when they run.

ScaNN is no graph: its sweep is its own (leaves searched x candidates re-ranked, see
Scann.SWEEP), not the ef list, and the comparison keeps each system's Pareto frontier.
VSAG's Python binding searches one query per call, so its batch QPS includes one
Python call per query (not measured apart).
`scann-half` is the same recipe with half the leaves (0.5 sqrt(N)): slower at recall 0.95,
faster at 0.99 on the PyPI sets, so the comparison runs both and each recall meets ScaNN's better
tree. SCANN_LEAVES_PER_SQRT_N (default 1) scales `scann`'s leaf count, for trying other trees.
"""
import argparse
import mmap
import json
import math
import os
import resource
import sys
import time

import numpy as np


def read_bin(path, dtype):
    with open(path, "rb") as f:
        n, d = np.fromfile(f, dtype=np.uint32, count=2)
        data = np.fromfile(f, dtype=dtype, count=int(n) * int(d))
    if data.size != int(n) * int(d):
        sys.exit(f"{path}: truncated: header says {n} x {d}")
    return data.reshape(int(n), int(d))


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.uint8)
    d = int(raw[:4].view(np.int32)[0])
    width = np.dtype(dtype).itemsize
    rows = raw.reshape(-1, 4 + d * width)
    return rows[:, 4:].copy().view(dtype).reshape(-1, d)


READERS = {
    ".fbin": lambda p: read_bin(p, np.float32), ".u8bin": lambda p: read_bin(p, np.uint8).astype(np.float32),
    ".i8bin": lambda p: read_bin(p, np.int8).astype(np.float32), ".fvecs": lambda p: read_vecs(p, np.float32),
    ".bvecs": lambda p: read_vecs(p, np.uint8).astype(np.float32),
}


BLOCK_ROWS = 16384


def map_bin(path):
    """A .fbin as a read-only np.memmap (no copy)."""
    n, d = (int(x) for x in np.fromfile(path, dtype=np.uint32, count=2))
    if os.path.getsize(path) != 8 + 4 * n * d:
        sys.exit(f"{path}: size does not match its header ({n} x {d} float32)")
    return np.memmap(path, dtype=np.float32, mode="r", offset=8, shape=(n, d))


def release_rows(array, start, stop):
    """Drops the resident file pages of rows [start, stop) of a memmapped array (no-op otherwise)."""
    mm = getattr(array, "_mmap", None)
    if mm is None or stop <= start:
        return
    row = array.shape[1] * array.itemsize
    lead = array.offset % mmap.ALLOCATIONGRANULARITY   # where row 0 sits inside numpy's mapping
    page = mmap.PAGESIZE
    first = -(-(lead + start * row) // page) * page
    last = (lead + stop * row) // page * page
    if last > first:
        mm.madvise(mmap.MADV_DONTNEED, first, last - first)


def add_in_blocks(base, add):
    """Calls add(block, first_id) for BLOCK_ROWS rows at a time, releasing each block after."""
    for start in range(0, len(base), BLOCK_ROWS):
        stop = min(len(base), start + BLOCK_ROWS)
        add(np.ascontiguousarray(base[start:stop]), start)
        release_rows(base, start, stop)


def load_vectors(folder, stem):
    if stem == "base" and os.path.exists(os.path.join(folder, "base.fbin")):
        return map_bin(os.path.join(folder, "base.fbin"))
    for ext, reader in READERS.items():
        path = os.path.join(folder, stem + ext)
        if os.path.exists(path):
            return np.ascontiguousarray(reader(path), dtype=np.float32)
    sys.exit(f"{folder}: no {stem}.fbin (or .fvecs/.u8bin/.bvecs/.i8bin)")


def load_truth(folder, nq, k):
    for name in sorted(os.listdir(folder)):
        if name.startswith("query.gt") and name.endswith(".ibin"):
            gt = read_bin(os.path.join(folder, name), np.int32)
            if gt.shape[0] == nq and gt.shape[1] >= k:
                return gt[:, :k]
    return None


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def recall(found, truth, k):
    hits = sum(len(set(f[:k].tolist()) & set(t[:k].tolist())) for f, t in zip(found, truth))
    return hits / (len(truth) * k)


class Hnswlib:
    name = "hnswlib"

    def __init__(self, metric, dim, args):
        import hnswlib
        self.index = hnswlib.Index(space={"ip": "ip", "l2": "l2", "cosine": "cosine"}[metric], dim=dim)
        self.args = args

    def build(self, base):
        self.index.init_index(max_elements=len(base), ef_construction=self.args.ef_construction, M=self.args.m, random_seed=42)
        self.index.set_num_threads(self.args.build_threads)
        add_in_blocks(base, lambda block, first: self.index.add_items(block, np.arange(first, first + len(block))))
        self.index.set_num_threads(1)

    def save(self, path):
        self.index.save_index(path)

    def load(self, path, count):
        self.index.load_index(path, max_elements=count)
        self.index.set_num_threads(1)

    def search(self, queries, k, ef):
        self.index.set_ef(ef)
        labels, _ = self.index.knn_query(queries, k=k)
        return labels, None


class FaissHnsw:
    name = "faiss-hnsw"

    def __init__(self, metric, dim, args):
        import faiss
        self.faiss = faiss
        faiss_metric = faiss.METRIC_INNER_PRODUCT if metric != "l2" else faiss.METRIC_L2
        self.index = faiss.IndexHNSWFlat(dim, args.m, faiss_metric)
        self.index.hnsw.efConstruction = args.ef_construction
        self.metric = metric
        self.args = args

    def build(self, base):
        self.faiss.omp_set_num_threads(self.args.build_threads)
        add_in_blocks(base, lambda block, first: self.index.add(block))
        self.faiss.omp_set_num_threads(1)

    def save(self, path):
        self.faiss.write_index(self.index, path)

    def load(self, path, count):
        self.index = self.faiss.read_index(path)
        self.faiss.omp_set_num_threads(1)

    def search(self, queries, k, ef):
        self.index.hnsw.efSearch = ef
        stats = self.faiss.cvar.hnsw_stats
        stats.reset()
        _, labels = self.index.search(queries, k)
        return labels, stats.ndis / len(queries)


class USearch:
    name = "usearch"

    def __init__(self, metric, dim, args):
        from usearch.index import Index
        self.index = Index(ndim=dim, metric={"ip": "ip", "l2": "l2sq", "cosine": "cos"}[metric], dtype="f32",
                           connectivity=args.m, expansion_add=args.ef_construction, expansion_search=64)
        self.args = args

    def build(self, base):
        add_in_blocks(base, lambda block, first: self.index.add(
            np.arange(first, first + len(block), dtype=np.uint64), block, threads=self.args.build_threads))

    def save(self, path):
        self.index.save(path)

    def load(self, path, count):
        self.index.load(path)

    def search(self, queries, k, ef):
        self.index.expansion_search = ef
        result = self.index.search(queries, k, threads=1)
        return result.keys.astype(np.int64), result.computed_distances / len(queries)


class Scann:
    """ScaNN as ann-benchmarks runs it for dot product: a k-means tree over the
    (normalised) base, anisotropic 4-bit product quantization of 2-dimension blocks
    (threshold 0.2), and an exact Float32 re-rank. About sqrt(N) leaves."""
    name = "scann"
    # (leaves to search, candidates re-ranked): a grid; the frontier is kept.
    LEAVES = (2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
    REORDER = (30, 60, 120, 250)
    LEAVES_PER_SQRT_N = float(os.environ.get("SCANN_LEAVES_PER_SQRT_N", "1"))

    @classmethod
    def leaf_count(cls, n):
        return max(16, int(round(cls.LEAVES_PER_SQRT_N * math.sqrt(n))))

    def __init__(self, metric, dim, args):
        import scann
        self.distance = "squared_l2" if metric == "l2" else "dot_product"
        self.scann = scann
        self.args = args

    def build(self, base):
        data = np.ascontiguousarray(base, dtype=np.float32)   # ScaNN trains on the whole base
        leaves = self.leaf_count(len(data))
        self.leaves = leaves
        builder = self.scann.scann_ops_pybind.builder(data, self.args.k, self.distance)
        builder.set_n_training_threads(self.args.build_threads)
        self.searcher = (builder.tree(num_leaves=leaves, num_leaves_to_search=min(leaves, 32),
                                      training_sample_size=len(data), spherical=self.distance == "dot_product",
                                      quantize_centroids=True)
                         .score_ah(2, anisotropic_quantization_threshold=0.2)
                         .reorder(250).build())

    def save(self, path):
        os.makedirs(path, exist_ok=True)
        self.searcher.serialize(path)

    def load(self, path, count):
        self.searcher = self.scann.scann_ops_pybind.load_searcher(path)
        self.leaves = self.leaf_count(count)

    def sweep(self, efs):
        return [(leaves, reorder) for leaves in self.LEAVES if leaves <= self.leaves for reorder in self.REORDER]

    def search(self, queries, k, setting):
        leaves, reorder = setting
        labels, _ = self.searcher.search_batched(queries, final_num_neighbors=k, pre_reorder_num_neighbors=reorder,
                                                 leaves_to_search=leaves)
        return labels, None


class ScannHalf(Scann):
    """ScaNN with half the leaves (0.5 sqrt(N)), the better tree at recall 0.99 here."""
    name = "scann-half"
    LEAVES_PER_SQRT_N = 0.5


class Vsag:
    """VSAG's hgraph with its int8 (sq8) base and a Float32 re-rank, max degree 2M
    (HNSW's level-0 degree)."""
    name = "vsag"

    def __init__(self, metric, dim, args):
        import pyvsag
        pyvsag.set_logger_off()
        self.pyvsag = pyvsag
        self.params = json.dumps({"dtype": "float32", "metric_type": {"ip": "ip", "l2": "l2", "cosine": "cosine"}[metric],
                                  "dim": dim, "index_param": {
                                      "base_quantization_type": "sq8", "use_reorder": True,
                                      "precise_quantization_type": "fp32", "max_degree": 2 * args.m,
                                      "ef_construction": args.ef_construction,
                                      "build_thread_count": args.build_threads}})
        self.dim = dim
        self.index = pyvsag.Index("hgraph", self.params)

    def build(self, base):
        data = np.array(base, dtype=np.float32)   # the binding builds from one in-memory array
        self.index.build(vectors=data.reshape(-1), ids=np.arange(len(data), dtype=np.int64),
                         num_elements=len(data), dim=self.dim)

    def save(self, path):
        self.index.save(path)

    def load(self, path, count):
        self.index = self.pyvsag.Index("hgraph", self.params)
        self.index.load(path)

    def search(self, queries, k, ef):
        params = json.dumps({"hgraph": {"ef_search": max(ef, k)}})
        labels = np.full((len(queries), k), -1, dtype=np.int64)
        for i, q in enumerate(queries):
            first, second = self.index.knn_search(vector=q, k=k, parameters=params)
            ids = first if first.dtype == np.int64 else second
            labels[i, :len(ids)] = ids
        return labels, None


def add_common_args(p):
    """The options refer bench, this script and Benchmarks/compare share."""
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--build-threads", type=int, default=2)
    p.add_argument("--ef", default="10,16,24,32,48,64,96,128,192,256,384,512")
    p.add_argument("--metric", choices=["l2", "ip", "cosine"])
    p.add_argument("--base-limit", type=int)


SYSTEMS = {cls.name: cls for cls in (Hnswlib, FaissHnsw, USearch, Scann, ScannHalf, Vsag)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", required=True)
    p.add_argument("--system", required=True, choices=sorted(SYSTEMS))
    add_common_args(p)
    p.add_argument("--json", required=True)
    p.add_argument("--index", help="load the index from this file if present, else build and save it there")
    args = p.parse_args()

    base = load_vectors(args.dataset, "base")
    queries = load_vectors(args.dataset, "query")
    truth = load_truth(args.dataset, len(queries), args.k)
    if args.base_limit and args.base_limit < len(base):
        base = base[: args.base_limit]
        truth = None
    if len(base) == 0 or len(queries) == 0:
        sys.exit("empty base or query set")
    if base.shape[1] != queries.shape[1]:
        sys.exit(f"dimension mismatch: base {base.shape[1]}, query {queries.shape[1]}")
    metric = args.metric or ("ip" if np.allclose(np.linalg.norm(base[:100], axis=1), 1, atol=1e-3) else "l2")
    if truth is None:  # exact search in numpy, in blocks small enough (32 x N scores) not to raise the peak RSS
        truth = np.empty((len(queries), args.k), dtype=np.int64)
        block = 32
        for s in range(0, len(queries), block):
            q = queries[s:s + block]
            scores = q @ base.T if metric != "l2" else -(((q * q).sum(1)[:, None]) - 2 * q @ base.T + (base * base).sum(1)[None, :])
            part = np.argpartition(-scores, args.k, axis=1)[:, : args.k]
            order = np.argsort(-np.take_along_axis(scores, part, 1), axis=1)
            truth[s:s + block] = np.take_along_axis(part, order, 1)
        release_rows(base, 0, len(base))

    system = SYSTEMS[args.system](metric, base.shape[1], args)
    before = rss_bytes()
    if args.index and os.path.exists(args.index):
        system.load(args.index, len(base))
        build_s = None
        print(f"  {system.name}: loaded {args.index}", file=sys.stderr)
    else:
        t0 = time.perf_counter()
        system.build(base)
        build_s = time.perf_counter() - t0
        print(f"  {system.name}: built {len(base)} vectors in {build_s:.2f} s", file=sys.stderr)
        if args.index:
            system.save(args.index)
    grown = rss_bytes() - before

    efs = [int(x) for x in args.ef.split(",")]
    settings = system.sweep(efs) if hasattr(system, "sweep") else efs
    system.search(queries, args.k, settings[0])  # warm-up, untimed
    curve = []
    for ef in settings:
        t0 = time.perf_counter()
        labels, ndis = system.search(queries, args.k, ef)
        elapsed = time.perf_counter() - t0
        latencies = []
        for i in range(len(queries)):
            s = time.perf_counter()
            system.search(queries[i:i + 1], args.k, ef)
            latencies.append(time.perf_counter() - s)
        latencies.sort()
        curve.append({"ef": ef if isinstance(ef, int) else list(ef), "recall": recall(labels, truth, args.k), "qps": len(queries) / elapsed,
                      "p50_us": latencies[len(latencies) // 2] * 1e6,
                      "p99_us": latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1e6,
                      "ndis": ndis})
    report = {"dataset": os.path.basename(os.path.normpath(args.dataset)), "k": args.k, "systems": [{
        "name": system.name, "build_s": build_s, "bytes_per_vector": grown / len(base),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "build_threads": args.build_threads,
        "params": {"m": str(args.m), "ef_construction": str(args.ef_construction), "metric": metric},
        "curve": curve}]}
    with open(args.json, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
