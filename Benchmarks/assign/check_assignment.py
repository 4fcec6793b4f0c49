"""Checks a `refer assign` result against the chair's inputs, apart from refer's solver:
every submission has exactly PER distinct committee members, every load is within
[MIN, MAX], no pair is in the conflict table (`refer conflicts`) or bid `conflict`, and the
JSON's stats are recomputed from the CSV's scores. Prints a JSON line; exits 1 on any breach.
  python3 check_assignment.py --submissions S.jsonl --committee C.txt --bids B.csv --conflicts X.csv \
      --per 3 --min 5 --max 10 --csv A.csv --json A.json
"""
import argparse, csv, json, sys

ap = argparse.ArgumentParser()
for flag in ("--submissions", "--committee", "--bids", "--conflicts", "--csv", "--json"):
    ap.add_argument(flag, required=True)
for flag in ("--per", "--min", "--max"):
    ap.add_argument(flag, type=int, required=True)
args = ap.parse_args()

subs = [json.loads(l)["id"] for l in open(args.submissions) if l.strip()]
committee = [l.strip() for l in open(args.committee) if l.strip() and not l.startswith("#")]
forbidden = {(r["submission_id"], r["reviewer"]) for r in csv.DictReader(open(args.conflicts))}
forbidden |= {(r["submission_id"], r["reviewer"]) for r in csv.DictReader(open(args.bids)) if r["bid"] == "conflict"}
rows = list(csv.DictReader(open(args.csv)))
result = json.load(open(args.json))

breaches = []
by_sub = {s: [] for s in subs}
for r in rows:
    if r["submission_id"] not in by_sub: breaches.append(f"unknown submission {r['submission_id']}"); continue
    if r["reviewer_id"] not in committee: breaches.append(f"{r['reviewer_id']} is not on the committee")
    if (r["submission_id"], r["reviewer_id"]) in forbidden: breaches.append(f"conflicted pair {r['submission_id']}, {r['reviewer_id']}")
    by_sub[r["submission_id"]].append((r["reviewer_id"], float(r["score"])))
for s, rs in by_sub.items():
    if len(rs) != args.per or len({r for r, _ in rs}) != len(rs): breaches.append(f"{s} has {len(rs)} reviewers ({len({r for r, _ in rs})} distinct)")
loads = {m: 0 for m in committee}
for r in rows: loads[r["reviewer_id"]] = loads.get(r["reviewer_id"], 0) + 1
for m, l in loads.items():
    if not args.min <= l <= args.max: breaches.append(f"{m} has load {l}")

paper = [sum(x for _, x in rs) / len(rs) for rs in by_sub.values() if rs]
mine = {"total_score": sum(float(r["score"]) for r in rows), "min_paper_score": min(paper), "mean_paper_score": sum(paper) / len(paper),
        "loads": {"min": min(loads.values()), "max": max(loads.values())}}
stats = result["stats"]
for key in ("total_score", "min_paper_score", "mean_paper_score"):
    if abs(stats[key] - mine[key]) > 1e-5 * max(1, abs(mine[key])): breaches.append(f"stats.{key} {stats[key]} but the CSV gives {mine[key]}")
if stats["loads"] != mine["loads"]: breaches.append(f"stats.loads {stats['loads']} but the CSV gives {mine['loads']}")
print(json.dumps({"objective": stats["objective"], "optimal": stats["optimal"], "min_paper_bound": stats.get("min_paper_bound"),
                  **mine, "pairs": len(rows), "conflicts_checked": len(forbidden), "breaches": breaches[:20]}))
sys.exit(1 if breaches else 0)
