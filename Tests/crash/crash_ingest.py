#!/usr/bin/env python3
"""Crash test for the paper store: a child `refer ingest` is killed with SIGKILL at
random moments, again and again; after every kill the store must open, `refer check`
must pass, and the papers must be exactly the first N of the input with N a whole
number of batches (every committed batch there, no batch half there).

  Tests/crash/crash_ingest.py REFER_BINARY [--kills 20] [--papers 3000] [--batch 100] [--seed 1]

Prints one line per kill and a final 'N passed, 0 failed' line; exits 1 on any failure.
Uses only the Python standard library.
"""
import argparse
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def make_papers(path, n, dim, rng):
    with open(path, "w") as f:
        for i in range(n):
            v = [rng.gauss(0, 1) for _ in range(dim)]
            norm = math.sqrt(sum(x * x for x in v))
            f.write(json.dumps({"id": f"p{i:05d}", "title": f"Paper {i}", "abstract": f"Abstract {i}.",
                                "authors": [f"Author {i % 97}", "Shared Author"], "year": 2000 + i % 25,
                                "vector": [round(x / norm, 6) for x in v]}) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("refer")
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--papers", type=int, default=3000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="refer-crash-")
    store = os.path.join(tmp, "store")
    papers = os.path.join(tmp, "papers.jsonl")
    make_papers(papers, args.papers, 384, rng)
    ids = [f"p{i:05d}" for i in range(args.papers)]
    env = dict(os.environ, REFER_MODEL_DIR=os.path.join(tmp, "no-model"))  # vectors are given; never embed

    passed = failed = 0
    kills = 0
    previous = 0
    while kills < args.kills:
        child = subprocess.Popen([args.refer, "ingest", papers, "--store", store, "--batch", str(args.batch)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(rng.uniform(0.05, 2.5))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
            killed = True
        else:
            killed = False  # finished before the kill: still check, then start over
        problems = []
        check = subprocess.run([args.refer, "check", "--store", store], capture_output=True, text=True)
        if check.returncode != 0:
            problems.append("check failed: " + (check.stdout + check.stderr).strip()[:500])
        export = subprocess.run([args.refer, "export", "--store", store], capture_output=True, text=True)
        stored = [json.loads(l)["id"] for l in export.stdout.splitlines()] if export.returncode == 0 else None
        if stored is None:
            problems.append("export failed: " + export.stderr.strip()[:300])
        else:
            n = len(stored)
            if n % args.batch != 0 and n != args.papers:
                problems.append(f"{n} papers stored: not a whole number of {args.batch}-paper batches")
            if stored != ids[:n]:
                problems.append(f"the {n} stored papers are not the first {n} of the input")
            if n < previous:
                problems.append(f"{previous} papers were committed before, only {n} now")
            previous = n
        status = "ok" if not problems else "FAILED: " + "; ".join(problems)
        print(f"{'kill' if killed else 'done'} {kills:2d}: {previous} papers stored, {status}", flush=True)
        if problems:
            failed += 1
        else:
            passed += 1
        if previous == args.papers and not killed:
            shutil.rmtree(store)  # all in: start again from empty so later kills land mid-ingest
            previous = 0
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"crash: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
