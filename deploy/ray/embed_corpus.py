#!/usr/bin/env python3
"""Embeds a paper corpus on a Ray cluster and ingests it into a refer store, in order.

    embed_corpus.py PAPERS.jsonl[.gz] --store DIR --work DIR [--address ADDR]
        [--shard-papers 1000] [--precision f32|bf16|int8] [--refer PATH] [--model-dir DIR]
        [--threads-per-task 1] [--json FILE]

PAPERS is refer's paper JSONL, what every `refer import --format ...` writes (.gz read as it
is). The driver (this program, on the machine that holds the store):
  1. splits PAPERS into shards of --shard-papers lines, WORK/shards/NNNNNN.jsonl, and records
     the split in WORK/manifest.json;
  2. sends each shard's bytes to a Ray task (one CPU) that runs `refer embed --papers` on
     whichever worker Ray picks and sends back the .fbin; the driver writes it as
     WORK/vectors/NNNNNN.fbin (written whole, then renamed: a file there is a finished shard);
  3. ingests the shards in order, as soon as each and all before it are embedded:
     `refer ingest SHARD --vectors SHARD.fbin --precision P --store DIR`, and records how far
     it got in WORK/ingested.
Killed and run again with the same arguments, it embeds only the shards without a vector file
and ingests from the first shard not recorded as ingested (ingesting a shard twice updates its
papers with the same values). A WORK folder made for another input, shard size or precision is
refused. Workers need the refer binary at --refer's path and the model (scripts/setup.sh on
each machine does both; deploy/ray/README.md). Cluster address: --address, else $RAY_ADDRESS
(deploy/ray/cluster.sh writes it), else a local Ray started for this run.
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

import ray

DIMENSION = 384


def log(message):
    print(f"[ray-embed] {message}", file=sys.stderr, flush=True)


def write_whole(path, data):
    """Writes data to path so that path is either absent or complete (write, fsync, rename)."""
    temporary = path + ".partial"
    with open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def vector_rows(path):
    """Rows of a complete .fbin of DIMENSION columns, or None if the file is absent or not whole."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            rows, columns = struct.unpack("<ii", f.read(8))
    except (OSError, struct.error):
        return None
    return rows if columns == DIMENSION and size == 8 + rows * columns * 4 else None


def split(papers, work, shard_papers, precision):
    """Splits PAPERS into shard files once; returns the manifest (a second run reads it back)."""
    manifest_path = os.path.join(work, "manifest.json")
    stat = os.stat(papers)
    source = {"input": os.path.abspath(papers), "input_bytes": stat.st_size, "input_mtime_ns": stat.st_mtime_ns,
              "shard_papers": shard_papers, "precision": precision}
    if os.path.exists(manifest_path):
        manifest = json.load(open(manifest_path))
        differs = [k for k in source if manifest.get(k) != source[k]]
        if differs:
            sys.exit(f"embed_corpus.py: {work} was made for another run ({', '.join(differs)} differ: "
                     f"{ {k: manifest.get(k) for k in differs} }); give a new --work folder")
        return manifest
    os.makedirs(os.path.join(work, "shards"), exist_ok=True)
    opener = gzip.open if papers.endswith(".gz") else open
    lines, shard, count = [], 0, 0
    with opener(papers, "rb") as f:
        for line in f:
            lines.append(line if line.endswith(b"\n") else line + b"\n")
            if len(lines) == shard_papers:
                write_whole(shard_path(work, shard), b"".join(lines))
                count += len(lines); shard += 1; lines = []
    if lines:
        write_whole(shard_path(work, shard), b"".join(lines))
        count += len(lines); shard += 1
    manifest = dict(source, shards=shard, lines=count)
    write_whole(manifest_path, json.dumps(manifest, indent=1).encode())
    log(f"split {count} lines into {shard} shards of up to {shard_papers}")
    return manifest


def shard_path(work, i):
    return os.path.join(work, "shards", f"{i:06d}.jsonl")


def vector_path(work, i):
    return os.path.join(work, "vectors", f"{i:06d}.fbin")


def die_with_parent():
    """Runs in the child before exec: the kernel kills `refer embed` if its Ray worker dies."""
    import ctypes
    import signal
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@ray.remote(num_cpus=1, max_retries=3)
def embed_shard(index, jsonl, refer, model_dir, precision, threads):
    """One shard on one worker: `refer embed --papers`; returns (index, .fbin bytes, node, seconds)."""
    start = time.time()
    with tempfile.TemporaryDirectory(prefix="refer-shard-") as folder:
        papers, out = os.path.join(folder, "shard.jsonl"), os.path.join(folder, "shard.fbin")
        with open(papers, "wb") as f:
            f.write(jsonl)
        command = [refer, "embed", papers, "--papers", "--out", out, "--precision", precision, "--threads", str(threads)]
        if model_dir:
            command += ["--model-dir", model_dir]
        done = subprocess.run(command, capture_output=True, text=True, preexec_fn=die_with_parent)
        if done.returncode != 0:
            raise RuntimeError(f"shard {index}: {' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
        with open(out, "rb") as f:
            vectors = f.read()
    return index, vectors, ray.get_runtime_context().get_node_id(), time.time() - start


def ingest(args, work, i):
    """Ingests shard i with its vectors; returns how many lines refer rejected (exit 65)."""
    command = [args.refer, "ingest", shard_path(work, i), "--vectors", vector_path(work, i), "--precision", args.precision,
               "--store", args.store]
    done = subprocess.run(command, capture_output=True, text=True)
    with open(os.path.join(work, "ingest.log"), "a") as f:
        f.write(done.stderr)
    if done.returncode not in (0, 65):
        sys.exit(f"embed_corpus.py: shard {i}: {' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return sum(1 for line in done.stderr.splitlines() if line.startswith(shard_path(work, i) + ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers")
    parser.add_argument("--store", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--address", default=os.environ.get("RAY_ADDRESS"))
    parser.add_argument("--shard-papers", type=int, default=1000)
    parser.add_argument("--precision", default="f32", choices=["f32", "bf16", "int8"])
    parser.add_argument("--refer", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".build", "release", "refer"))
    parser.add_argument("--model-dir")
    parser.add_argument("--threads-per-task", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.shard_papers < 1:
        parser.error("--shard-papers must be at least 1")
    args.refer = os.path.abspath(args.refer)
    if not os.access(args.refer, os.X_OK):
        parser.error(f"--refer: no refer binary at {args.refer}")
    started = time.time()
    os.makedirs(os.path.join(args.work, "vectors"), exist_ok=True)
    manifest = split(args.papers, args.work, args.shard_papers, args.precision)
    shards = manifest["shards"]
    if shards == 0:
        sys.exit(f"embed_corpus.py: {args.papers} has no lines")
    with open(shard_path(args.work, shards - 1), "rb") as f:
        last = f.read().count(b"\n")

    def lines_of(i):
        return args.shard_papers if i < shards - 1 else last

    done = {i for i in range(shards) if vector_rows(vector_path(args.work, i)) == lines_of(i)}
    ingested_path = os.path.join(args.work, "ingested")
    ingested = int(open(ingested_path).read()) if os.path.exists(ingested_path) else 0
    log(f"{shards} shards: {len(done)} already embedded, {ingested} already ingested")

    ray.init(address=args.address, logging_level="WARNING", log_to_driver=False)
    cpus = int(ray.cluster_resources().get("CPU", 0))
    if cpus < 1:
        sys.exit("embed_corpus.py: the Ray cluster has no CPUs for tasks")
    log(f"cluster: {len(ray.nodes())} nodes, {cpus} CPUs for tasks")

    todo = [i for i in range(shards) if i not in done]
    in_flight, per_node, embedded, embedded_papers, rejected = [], {}, 0, 0, 0
    reused = len(done)
    while todo or in_flight or ingested < shards:
        # Keep every CPU busy with one task and one more queued, so the driver holds at most
        # twice the cluster's CPUs in shards and vectors at a time.
        while todo and len(in_flight) < 2 * cpus:
            i = todo.pop(0)
            with open(shard_path(args.work, i), "rb") as f:
                in_flight.append(embed_shard.remote(i, f.read(), args.refer, args.model_dir, args.precision, args.threads_per_task))
        if in_flight:
            ready, in_flight = ray.wait(in_flight, num_returns=1)
            i, vectors, node, seconds = ray.get(ready[0])
            write_whole(vector_path(args.work, i), vectors)
            if vector_rows(vector_path(args.work, i)) != lines_of(i):
                sys.exit(f"embed_corpus.py: shard {i}: the worker sent {len(vectors)} bytes, not {lines_of(i)} vectors")
            done.add(i); embedded += 1; embedded_papers += lines_of(i)
            per_node[node] = per_node.get(node, 0) + 1
            log(f"shard {i} embedded on node {node[:8]} in {seconds:.1f} s ({len(done)}/{shards})")
        while ingested < shards and ingested in done:
            rejected += ingest(args, args.work, ingested)
            ingested += 1
            write_whole(ingested_path, str(ingested).encode())
            log(f"shard {ingested - 1} ingested ({ingested}/{shards})")
        if not in_flight and not todo and ingested < shards and ingested not in done:
            sys.exit(f"embed_corpus.py: shard {ingested} has no vectors and none is being made")

    seconds = time.time() - started
    summary = {"papers": manifest["lines"], "shards": shards, "embedded_shards": embedded, "reused_shards": reused,
               "embedded_papers": embedded_papers, "rejected_lines": rejected, "seconds": round(seconds, 2),
               "embedded_papers_per_s": round(embedded_papers / seconds, 1),
               "nodes": {node: count for node, count in sorted(per_node.items())}}
    log(f"done: {manifest['lines']} papers in {shards} shards ({embedded} embedded now, {reused} from before) "
        f"into {args.store} in {seconds:.1f} s; {rejected} lines rejected (WORK/ingest.log)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
