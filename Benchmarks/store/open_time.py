#!/usr/bin/env python3
"""Time from process start to the first answer: refer's store versus hnswlib's saved index.

Each run is a fresh process. refer: `refer bench-open` (opens the LMDB store read-only,
builds the in-place index view, answers query 0). hnswlib: a Python process that loads
the saved index file and answers the same query. Both are timed from outside (whole
process, including exec and, for hnswlib, the interpreter and imports) and from
inside (refer: since the kernel started the process; hnswlib: load + query only).
The file cache is warm in both cases (the files were read before).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HNSW_CHILD = r"""
import sys, time
t0 = time.perf_counter()
import numpy as np, hnswlib
t1 = time.perf_counter()
q = np.fromfile(sys.argv[2], dtype=np.float32, offset=8, count=384).reshape(1, 384)
p = hnswlib.Index(space="ip", dim=384)
p.load_index(sys.argv[1])
p.set_ef(64)
labels, _ = p.knn_query(q, k=10)
t2 = time.perf_counter()
print(f"{(t2 - t1) * 1000:.1f} {(t1 - t0) * 1000:.1f} {labels[0][0]}")
"""


def read_fbin(path):
    import numpy as np
    with open(path, "rb") as f:
        n, d = np.fromfile(f, dtype=np.uint32, count=2)
        return np.fromfile(f, dtype=np.float32, count=int(n) * int(d)).reshape(int(n), int(d))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--refer", required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--hnswlib-index", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    query = os.path.join(args.data, "query.fbin")
    if not os.path.exists(args.hnswlib_index):
        import hnswlib
        print("building the hnswlib index (once)", file=sys.stderr)
        base = read_fbin(os.path.join(args.data, "base.fbin"))
        index = hnswlib.Index(space="ip", dim=base.shape[1])
        index.init_index(max_elements=len(base), ef_construction=200, M=16, random_seed=42)
        index.set_num_threads(2)
        index.add_items(base)
        index.save_index(args.hnswlib_index)

    refer_wall, refer_inside, hnsw_wall, hnsw_inside, hnsw_imports = [], [], [], [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        out = subprocess.run([args.refer, "bench-open", "--store", args.store, "--queries", query],
                             capture_output=True, text=True, check=True)
        refer_wall.append((time.perf_counter() - t) * 1000)
        refer_inside.append(json.loads(out.stdout)["first_answer_ms"])
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", HNSW_CHILD, args.hnswlib_index, query],
                             capture_output=True, text=True, check=True)
        hnsw_wall.append((time.perf_counter() - t) * 1000)
        load_query, imports, _ = out.stdout.split()
        hnsw_inside.append(float(load_query))
        hnsw_imports.append(float(imports))
    med = statistics.median
    print(f"refer store  (100k papers): first answer {med(refer_inside):6.1f} ms after process start; "
          f"whole process {med(refer_wall):6.1f} ms")
    print(f"hnswlib file (100k vectors): load + first answer {med(hnsw_inside):6.1f} ms "
          f"(after {med(hnsw_imports):.0f} ms of imports); whole process {med(hnsw_wall):6.1f} ms")
    print(f"(medians of {args.runs} runs; warm file cache)")


if __name__ == "__main__":
    main()
