#!/usr/bin/env python3
"""Can a learned ranker beat the plain baseline at finding a held-out paper's authors?

    ranker_study.py PAPERS.jsonl VECTORS.fbin SEED      (Benchmarks/reviewers/ranker_study.sh runs it)

A study, not part of refer: it asks whether anything computable from the store (similarities of
a person's papers to the draft, their number, years, co-authors, where they sit among the nearest
papers) ranks a held-out paper's real authors higher than the plain baseline does, if the mix is
learned instead of chosen. The split follows `refer eval heldout`: 1,000 papers with authors held
out (by SEED), targets are their authors with at least 3 remaining papers, hit@10 when one target
is in the top 10. People are keyed by family name and first initial ("Doe, Jane" = "J. Doe"), a
simpler key than refer's `PersonName`, used on both sides.

Rankings, on the same split and vectors:
- baseline: every person with 3+ remaining papers by the mean of their 3 best similarities (exhaustive);
- soft count: refer's corpus ranking (tau 0.05) on the authors of the 100 nearest papers;
- top-3 mean on those candidates (3+ papers);
- ranker / classifier: gradient-boosted trees (XGBoost, pairwise ranking and logistic loss) on 18
  features of each candidate, trained on 600 leave-one-out queries drawn from the remaining store
  (a stored paper hidden from its own authors' evidence; its authors with 3+ other papers are the
  positives), so nothing of the held-out papers is seen in training.
"""
import collections
import json
import re
import sys
import unicodedata

import numpy as np
import xgboost as xgb

papers_file, vectors_file, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])


def key(name):
    n = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    if "," in n:
        last, first = n.split(",", 1)
        n = first.strip() + " " + last.strip()
    parts = re.findall(r"[a-z]+", n)
    if not parts:
        return ""
    return parts[-1] + "|" + parts[0][:1] if len(parts) > 1 else parts[0]


authors, years = [], []
for line in open(papers_file):
    r = json.loads(line)
    authors.append(sorted({key(a) for a in r.get("authors") or [] if key(a)}))
    years.append(r.get("year") or 2000)
years = np.array(years)
header = np.fromfile(vectors_file, dtype=np.int32, count=2)
V = np.fromfile(vectors_file, dtype=np.float32, offset=8).reshape(header[0], header[1])
N = len(authors)
rng = np.random.default_rng(seed)
held = rng.permutation([i for i in range(N) if authors[i]])[:1000]
hidden = set(held.tolist())
rest = np.array([i for i in range(N) if i not in hidden])
papers_of = collections.defaultdict(list)
coauthors = collections.defaultdict(collections.Counter)
for i in rest:
    for a in authors[i]:
        papers_of[a].append(i)
        for b in authors[i]:
            if a != b:
                coauthors[a][b] += 1

FEATURES = ["papers in the 2 years up to the draft's", "log years to the nearest paper", "best similarity among those recent papers",
            "s1", "s2", "s3", "top-3 mean", "soft count", "log papers", "3+ papers", "mean similarity", "centroid similarity",
            "log papers among the 100 nearest", "log best rank among them", "best co-author s1", "log co-authors among candidates",
            "papers within 0.05 of s1", "papers above 0.5"]


def features(q, exclude, year, nearest=100):
    """Candidates (authors of the `nearest` papers closest to q, paper `exclude` left out) and a feature row each."""
    s_all = V[rest] @ q
    near = [rest[j] for j in np.argsort(-s_all)[:nearest + 1] if rest[j] != exclude][:nearest]
    rank_of = {p: r for r, p in enumerate(near)}
    sim = dict(zip(rest.tolist(), s_all.tolist()))
    candidates = list(dict.fromkeys(a for p in near for a in authors[p]))
    own = {a: [p for p in papers_of[a] if p != exclude] for a in candidates}
    s1 = {a: max((sim[p] for p in own[a]), default=0.0) for a in candidates}
    kept, rows = [], []
    for a in candidates:
        ps = own[a]
        if not ps:
            continue
        s = np.sort(np.array([sim[p] for p in ps]))[::-1]
        n, top = len(s), s[0]
        ys = years[ps]
        centroid = V[ps].mean(0)
        co = [s1[b] for b in coauthors[a] if b in s1]
        rows.append([((ys >= year - 2) & (ys <= year)).sum(), np.log1p(min(abs(year - ys))),
                     max([sim[p] for p in ps if year - 2 <= years[p] <= year], default=0),
                     top, s[1] if n > 1 else 0, s[2] if n > 2 else 0, s[:3].mean(),
                     top + 0.05 * np.log(np.exp((s - top) / 0.05).sum()), np.log(n), n >= 3, s.mean(),
                     centroid @ q / (np.linalg.norm(centroid) + 1e-9),
                     np.log1p(sum(1 for p in ps if p in rank_of)), np.log1p(min([rank_of[p] for p in ps if p in rank_of], default=nearest)),
                     max(co, default=0), np.log1p(len(co)), (s > top - 0.05).sum(), (s > 0.5).sum()])
        kept.append(a)
    return kept, np.array(rows, dtype=np.float64)


# Training: leave-one-out queries from the remaining store.
X, y, groups = [], [], []
for p in rng.choice(rest, 600, replace=False):
    candidates, F = features(V[p], p, years[p])
    targets = {a for a in authors[p] if len(papers_of[a]) - 1 >= 3}
    labels = np.array([c in targets for c in candidates])
    if labels.any():
        X.append(F); y.append(labels); groups.append(len(candidates))
X, y = np.vstack(X), np.concatenate(y).astype(int)
ranking = xgb.DMatrix(X, label=y)
ranking.set_group(groups)
params = {"max_depth": 4, "eta": 0.05, "subsample": 0.8, "seed": seed}
ranker = xgb.train(dict(params, objective="rank:pairwise"), ranking, 300)
classifier = xgb.train(dict(params, objective="binary:logistic"), xgb.DMatrix(X, label=y), 300)
print(f"training: {len(groups)} leave-one-out queries, {len(y)} candidates, {y.sum()} authors to find", file=sys.stderr)

# Evaluation on the held-out papers.
hits, rr, queries = collections.Counter(), collections.Counter(), 0
names = ["baseline (3+ papers, top-3 mean, exhaustive)", "soft count (refer)", "top-3 mean on the candidates (3+ papers)",
         "ranker (pairwise)", "classifier (logistic)"]
for p in held:
    targets = {a for a in authors[p] if len(papers_of.get(a, ())) >= 3}
    if not targets:
        continue
    queries += 1
    q = V[p]
    sim = dict(zip(rest.tolist(), (V[rest] @ q).tolist()))
    baseline = sorted(((np.mean(sorted((sim[x] for x in ps), reverse=True)[:3]), a) for a, ps in papers_of.items() if len(ps) >= 3),
                      reverse=True)[:10]
    candidates, F = features(q, -1, years[p])
    rankings = [[a for _, a in baseline]]
    for score in [F[:, 7], np.where(F[:, 9] > 0, F[:, 6], -9), ranker.predict(xgb.DMatrix(F)), classifier.predict(xgb.DMatrix(F))]:
        rankings.append([candidates[i] for i in np.argsort(-score)[:10]])
    for name, top in zip(names, rankings):
        rank = next((i for i, c in enumerate(top) if c in targets), None)
        if rank is not None:
            hits[name] += 1
            rr[name] += 1 / (rank + 1)
print(f"seed {seed}: {queries} held-out papers with an author of 3+ remaining papers")
print(f"{'ranking':45} {'hit@10':>7} {'x baseline':>10} {'MRR@10':>7}")
for name in names:
    print(f"{name:45} {hits[name] / queries:7.4f} {hits[name] / hits[names[0]]:10.3f} {rr[name] / queries:7.4f}")
gain = classifier.get_score(importance_type="gain")
print("classifier's features by gain:", ", ".join(f"{FEATURES[int(k[1:])]} {v:.1f}" for k, v in sorted(gain.items(), key=lambda kv: -kv[1])[:6]))
