"""A conference drawn from the ACL Anthology corpus for the assignment benchmarks: SUBMISSIONS
papers sampled with SEED (ids s0, s1, ...; title, abstract, authors), the corpus's REVIEWERS
most prolific authors as the committee (a text file of names: their papers come from the
store), and with --bids seeded bids (per pair: conflict 1%, yes 4%, maybe 4%, no 3%).
  python3 make_conference.py WORK SUBMISSIONS REVIEWERS SEED [--bids]
Writes WORK/committee.txt, WORK/submissions.jsonl and, with --bids, WORK/bids.csv.
"""
import collections, csv, gzip, json, random, sys

work, n_sub, n_rev, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
papers = [json.loads(l) for l in gzip.open("../shared/datasets/acl-anthology/papers.jsonl.gz", "rt")]
counts = collections.Counter(a for p in papers for a in (p.get("authors") or []))
committee = [name for name, _ in counts.most_common(n_rev)]
with open(f"{work}/committee.txt", "w") as f:
    f.write("\n".join(committee) + "\n")
rng = random.Random(seed)
with open(f"{work}/submissions.jsonl", "w") as f:
    for i, p in enumerate(rng.sample(papers, n_sub)):
        f.write(json.dumps({"id": f"s{i}", "title": p["title"], "abstract": p.get("abstract") or "", "authors": p.get("authors") or []}) + "\n")
if "--bids" in sys.argv[5:]:
    with open(f"{work}/bids.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["submission_id", "reviewer", "bid"])
        for i in range(n_sub):
            for m in committee:
                x = rng.random()
                bid = "conflict" if x < 0.01 else "yes" if x < 0.05 else "maybe" if x < 0.09 else "no" if x < 0.12 else None
                if bid:
                    w.writerow([f"s{i}", m, bid])
print(f"[assign] {n_sub} submissions, {n_rev} reviewers (the corpus's most prolific authors)" + (", seeded bids" if "--bids" in sys.argv[5:] else ""))
