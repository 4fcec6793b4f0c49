"""Driver of store-contract.sh: builds, tunes, grows and searches a store with refer's CLI,
and scores the answers against the dataset's exact ground truth (see the script's header)."""
import json, os, subprocess, sys, time
import numpy as np

refer, dataset, growth, work, out_json = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
confidence = sys.argv[6] if len(sys.argv) > 6 else "0"
K = 10
TARGETS = [0.95, 0.99]
EFS = [16, 24, 32, 48, 64, 96, 128, 192, 256, 384]


def fbin(path):
    n, d = np.fromfile(path, dtype=np.int32, count=2)
    return np.fromfile(path, dtype=np.float32, offset=8).reshape(n, d)


def run(*args, out=None):
    t = time.time()
    with open(out, "w") if out else open(os.devnull, "w") as f:
        subprocess.run([refer, *args], check=True, stdout=f if out else None, stderr=subprocess.DEVNULL if out else None)
    return time.time() - t


base = fbin(os.path.join(dataset, "base.fbin"))
titles = open(os.path.join(dataset, "base.txt")).read().split("\n")
n = base.shape[0]
first = int(round(n * (1 - growth)))
store = os.path.join(work, "store")
for name, rows in (("first", range(0, first)), ("rest", range(first, n))):
    with open(os.path.join(work, name + ".jsonl"), "w") as f:
        for i in rows:
            f.write(json.dumps({"id": str(i), "title": (titles[i] if i < len(titles) else "") or f"paper {i}"}) + "\n")
    part = base[rows.start:rows.stop]
    with open(os.path.join(work, name + ".fbin"), "wb") as f:
        np.array(part.shape, dtype=np.int32).tofile(f)
        part.astype(np.float32).tofile(f)

print(f"store of {first:,} of {n:,} papers, tuned, then grown to {n:,}", file=sys.stderr)
run("ingest", os.path.join(work, "first.jsonl"), "--vectors", os.path.join(work, "first.fbin"), "--store", store, "--batch", "10000")
tune_s = run("tune", "--store", store, "--target-recall", ",".join(map(str, TARGETS)), "--queries", os.path.join(dataset, "learn.fbin"),
             "--confidence", confidence)
if growth > 0:
    run("ingest", os.path.join(work, "rest.jsonl"), "--vectors", os.path.join(work, "rest.fbin"), "--store", store, "--batch", "10000")
stats = json.loads(subprocess.run([refer, "stats", "--store", store, "--json"], check=True, capture_output=True, text=True).stdout)

raw = np.fromfile(os.path.join(dataset, "query.gt100.ibin"), dtype=np.int32)
gt = raw[2:].reshape(raw[0], raw[1])[:, :K]


def score(args):
    path = os.path.join(work, "answers.jsonl")
    run("search", "--store", store, "--queries", os.path.join(dataset, "query.fbin"), "--k", str(K), "--json", *args, out=path)
    hits = evaluations = q = 0
    for line in open(path):
        o = json.loads(line)
        hits += len(set(int(x) for x in o["ids"]) & set(gt[o["query"]].tolist()))
        evaluations += o["evaluations"]
        q += 1
    return hits / (q * K), evaluations / q


sweep = [(ef, *score(["--ef", str(ef)])) for ef in EFS]


def ef_evaluations_at(recall):
    for (e0, r0, v0), (e1, r1, v1) in zip(sweep, sweep[1:]):
        if r0 <= recall <= r1 and r1 > r0:
            return v0 + (recall - r0) / (r1 - r0) * (v1 - v0)
    return None


rows = []
for t in stats["tuned"]["targets"]:
    recall, evaluations = score(["--recall", str(t["target_recall"])])
    plain_recall, plain_evaluations = score(["--ef", str(t["plain_ef"])])
    at = ef_evaluations_at(recall)
    rows.append({"target": t["target_recall"], "recall": recall, "evaluations": evaluations,
                 "ef_sweep_evaluations_at_same_recall": at, "ratio": evaluations / at if at else None,
                 "held_out_recall_when_tuned": t["held_out_recall"], "method_after_growth": "learned" if stats["tuned"]["fits"] else "plain",
                 "plain_ef": t["plain_ef"], "plain_recall": plain_recall, "plain_evaluations": plain_evaluations})

print(f"{dataset}: {n:,} papers ({first:,} when tuned, {time.strftime('%Y-%m-%d')}), query.fbin, recall@{K}; "
      f"tune --confidence {confidence}: {tune_s:.0f} s")
print("ef sweep: " + ", ".join(f"ef {e}: {r:.4f} / {v:.0f}" for e, r, v in sweep))
print(f"{'target':>7} {'recall':>8} {'evals':>8} {'ef sweep':>9} {'ratio':>6} {'plain ef':>9} {'recall':>8} {'evals':>8}")
for r in rows:
    at = f"{r['ef_sweep_evaluations_at_same_recall']:.0f}" if r["ef_sweep_evaluations_at_same_recall"] else "-"
    ratio = f"{r['ratio']:.2f}" if r["ratio"] else "-"
    print(f"{r['target']:>7} {r['recall']:>8.4f} {r['evaluations']:>8.0f} {at:>9} {ratio:>6} {r['plain_ef']:>9} {r['plain_recall']:>8.4f} {r['plain_evaluations']:>8.0f}")
os.makedirs(os.path.dirname(out_json) or ".", exist_ok=True)
json.dump({"dataset": dataset, "confidence": float(confidence), "papers": n, "papers_when_tuned": first, "k": K, "tune_seconds": tune_s,
           "ef_sweep": [{"ef": e, "recall": r, "evaluations": v} for e, r, v in sweep], "targets": rows,
           "fits_after_growth": stats["tuned"]["fits"]}, open(out_json, "w"), indent=1)
