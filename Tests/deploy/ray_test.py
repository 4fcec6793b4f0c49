#!/usr/bin/env python3
"""The Ray job end to end (deploy/ray) on a cluster of this host: a head and two workers.
- The driver is SIGKILLed once some shards are embedded and run again: it embeds only the
  other shards (the finished vector files are not written again) and the store ends with every
  paper, consistent (`refer check`).
- Every stored vector matches `refer embed --papers` run in one process on the whole corpus
  (cosine >= 0.99999), paper by paper.
- A work folder made with another shard size is refused.
The test command runs it on the first 240 papers of the ACL corpus; Benchmarks/ray-embed.sh on
all of it (--papers 0), with --json for the figures.

    ray_test.py .build/release/refer [--papers 240] [--shard-papers 30] [--precision f32] [--json FILE]
"""
import argparse
import gzip
import json
import math
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("refer")
parser.add_argument("--papers", type=int, default=240, help="first N papers of the ACL corpus; 0: all")
parser.add_argument("--shard-papers", type=int, default=30)
parser.add_argument("--precision", default="f32")
parser.add_argument("--json")
args = parser.parse_args()
REFER = os.path.abspath(args.refer)
PYTHON = os.path.join(os.environ.get("REFER_VENV", os.path.expanduser("~/.cache/refer/venv")), "bin", "python")
ACL = os.path.abspath("../shared/datasets/acl-anthology/papers.jsonl.gz")
work = tempfile.mkdtemp(prefix="refer-ray-")
cluster = os.path.join(work, "cluster")


def fbin(path):
    with open(path, "rb") as f:
        rows, columns = struct.unpack("<ii", f.read(8))
        data = f.read()
    return [struct.unpack_from(f"<{columns}f", data, 4 * columns * r) for r in range(rows)]


def driver(store, job, extra=(), shard_papers=args.shard_papers):
    return [PYTHON, "deploy/ray/embed_corpus.py", corpus, "--store", store, "--work", job, "--refer", REFER,
            "--shard-papers", str(shard_papers), "--precision", args.precision, *extra]


try:
    corpus = os.path.join(work, "corpus.jsonl")
    with gzip.open(ACL, "rt") as f, open(corpus, "w") as out:
        count = 0
        for line in f:
            if args.papers and count == args.papers:
                break
            out.write(line); count += 1
    shards = -(-count // args.shard_papers)
    assert shards >= 4, "too few shards to kill the driver half way"

    subprocess.run(["deploy/ray/cluster.sh", "start", "--workers", "2", "--run", cluster], check=True)
    env = dict(os.environ)
    for part in open(os.path.join(cluster, "env")).read().split()[1:]:
        key, value = part.split("=", 1)
        env[key] = value
    store, job = os.path.join(work, "store"), os.path.join(work, "job")

    # First run, killed once at least a quarter of the shards have vectors (and before all do).
    start = time.time()
    first_log = open(os.path.join(work, "first-run.log"), "w")
    first = subprocess.Popen(driver(store, job), env=env, stderr=first_log)
    vectors = os.path.join(job, "vectors")
    while first.poll() is None:
        finished = [n for n in os.listdir(vectors) if n.endswith(".fbin")] if os.path.isdir(vectors) else []
        if len(finished) >= max(2, shards // 4):
            break
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    before = {n: os.stat(os.path.join(vectors, n)) for n in os.listdir(vectors) if n.endswith(".fbin")}
    assert 0 < len(before) < shards, f"{len(before)} of {shards} shards embedded at the kill: cannot test the resume"
    print(f"driver killed after {time.time() - start:.1f} s with {len(before)} of {shards} shards embedded")

    # Another shard size on the same work folder is refused, and changes nothing.
    other = subprocess.run(driver(store, job, shard_papers=args.shard_papers + 1), env=env, capture_output=True, text=True)
    assert other.returncode != 0 and "shard_papers" in other.stderr, other.stderr[-2000:]

    # Second run: resumes.
    summary_path = os.path.join(work, "resume.json")
    second = subprocess.run(driver(store, job, ["--json", summary_path]), env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr[-3000:]
    summary = json.load(open(summary_path))
    assert summary["reused_shards"] == len(before) and summary["embedded_shards"] == shards - len(before), summary
    for name, stat in before.items():
        now = os.stat(os.path.join(vectors, name))
        assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), f"{name} was written again on resume"
    assert len(summary["nodes"]) == 2 or summary["embedded_shards"] < 2, f"not both workers embedded: {summary['nodes']}"
    print(f"resumed: {summary['embedded_shards']} shards embedded, {summary['reused_shards']} reused, "
          f"on {len(summary['nodes'])} worker nodes, {summary['seconds']} s")

    check = subprocess.run([REFER, "check", "--store", store], capture_output=True, text=True)
    assert check.returncode == 0 and f"({count} papers)" in check.stdout, check.stdout + check.stderr

    # The same vectors as one process embedding the whole corpus.
    start = time.time()
    reference = os.path.join(work, "reference.fbin")
    subprocess.run([REFER, "embed", corpus, "--papers", "--out", reference, "--precision", args.precision],
                   check=True, capture_output=True)
    single_seconds = time.time() - start
    exported = os.path.join(work, "exported.fbin")
    lines = subprocess.run([REFER, "export", "--store", store, "--vectors", exported], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    stored = dict(zip((json.loads(line)["id"] for line in lines), fbin(exported)))
    ids = [json.loads(line)["id"] for line in open(corpus)]
    assert len(stored) == len(ids) == count, (len(stored), len(ids), count)
    # Cosines of both vectors' own lengths: a compact store keeps halves, whose rounding moves a
    # unit vector's length by up to about 5e-5 (and its direction far less).
    form = json.loads(subprocess.run([REFER, "stats", "--store", store, "--json"], check=True,
                                     capture_output=True, text=True).stdout)["index_form"]
    def cosine(a, b):
        return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    cosines = [cosine(stored[i], r) for i, r in zip(ids, fbin(reference))]
    print(f"cosine to one-process refer embed ({form} store): min {min(cosines):.7f} over {len(cosines)} papers")
    assert min(cosines) >= 0.99999, min(cosines)

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"papers": count, "shards": shards, "shards_before_kill": len(before), "resume": summary,
                       "min_cosine": min(cosines), "single_process_embed_seconds": round(single_seconds, 2)}, f, indent=2)
    print("ray test: passed")
finally:
    subprocess.run(["deploy/ray/cluster.sh", "stop", "--run", cluster], capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
