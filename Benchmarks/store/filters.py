"""Driver of filters.sh (see its header): builds the store with refer's CLI, searches with and
without year filters, and scores against exact filtered neighbours computed here with numpy."""
import json, os, subprocess, sys, time
import numpy as np

refer, dataset, ef, work, out_json = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
K, QUERIES = 10, 2000


def fbin(path):
    n, d = np.fromfile(path, dtype=np.int32, count=2)
    return np.fromfile(path, dtype=np.float32, offset=8).reshape(n, d)


base = fbin(os.path.join(dataset, "base.fbin"))
learn = fbin(os.path.join(dataset, "learn.fbin"))[:QUERIES]
n = base.shape[0]
years = 1000 + np.arange(n) % 1000
store = os.path.join(work, "store")
with open(os.path.join(work, "papers.jsonl"), "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": str(i), "title": f"paper {i}", "year": int(years[i])}) + "\n")
subprocess.run([refer, "ingest", os.path.join(work, "papers.jsonl"), "--vectors", os.path.join(dataset, "base.fbin"),
                "--store", store, "--batch", "10000"], check=True, stderr=subprocess.DEVNULL)
queries = os.path.join(work, "queries.fbin")
with open(queries, "wb") as f:
    np.array(learn.shape, dtype=np.int32).tofile(f)
    learn.astype(np.float32).tofile(f)

unit = base / np.linalg.norm(base, axis=1, keepdims=True)
q = learn / np.linalg.norm(learn, axis=1, keepdims=True)


def run(args):
    path = os.path.join(work, "answers.jsonl")
    t = time.time()
    with open(path, "w") as f:
        subprocess.run([refer, "search", "--store", store, "--queries", queries, "--k", str(K), "--ef", ef, "--threads", "1",
                        "--json", *args], check=True, stdout=f)
    seconds = time.time() - t
    return [json.loads(line) for line in open(path)], seconds


rows = []
for label, span in (("none", None), ("10%", 100), ("1%", 10), ("0.1%", 1)):
    args = [] if span is None else ["--year-from", "1400", "--year-to", str(1400 + span - 1)]
    passing = np.arange(n) if span is None else np.nonzero((years >= 1400) & (years < 1400 + span))[0]
    sims = q @ unit[passing].T
    truth = passing[np.argsort(-sims, axis=1)[:, :K]]
    answers, seconds = run(args)
    hits = sum(len(set(int(x) for x in a["ids"]) & set(truth[a["query"]].tolist())) for a in answers)
    rows.append({"filter": label, "passing": int(len(passing)), "recall": hits / (len(answers) * K),
                 "evaluations": float(np.mean([a["evaluations"] for a in answers])), "ms_per_query": 1000 * seconds / len(answers)})

print(f"{dataset}: {n:,} papers, {QUERIES} learn queries, k {K}, ef {ef}, one thread ({time.strftime('%Y-%m-%d')}); "
      "time per query is the whole command's (store open, facets read once) over the queries")
print(f"{'filter':>7} {'passing':>8} {'recall':>7} {'evals':>7} {'ms/query':>9} {'x unfiltered':>13}")
for r in rows:
    print(f"{r['filter']:>7} {r['passing']:>8,} {r['recall']:>7.4f} {r['evaluations']:>7.0f} {r['ms_per_query']:>9.3f} {r['ms_per_query'] / rows[0]['ms_per_query']:>13.2f}")
os.makedirs(os.path.dirname(out_json) or ".", exist_ok=True)
json.dump({"dataset": dataset, "ef": int(ef), "k": K, "queries": QUERIES, "rows": rows}, open(out_json, "w"), indent=1)
