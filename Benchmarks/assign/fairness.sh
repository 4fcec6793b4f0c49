#!/usr/bin/env bash
# Issue 25's acceptance run on real data: ACL submissions (papers drawn with a fixed seed
# from the ACL Anthology corpus), the corpus's most prolific authors as the committee,
# PER reviewers each, loads MIN to MAX, and seeded bids that include `conflict`. Solves
# with --objective sum and --objective fair, checks both with check_assignment.py (a
# checker apart from the solver, against `refer conflicts`' table and the bids), and
# compares: fair must raise the worst-off submission with total_score within 3% of sum's.
#   Benchmarks/assign/fairness.sh [SUBMISSIONS] [REVIEWERS] [PER] [MIN] [MAX] [SECONDS]   (default 200 80 3 5 10 60)
# Writes $WORK/summary.json and prints one line per objective.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUBMISSIONS="${1:-200}"; REVIEWERS="${2:-80}"; PER="${3:-3}"; MIN="${4:-5}"; MAX="${5:-10}"; SECONDS_LIMIT="${6:-60}"
for n in "$SUBMISSIONS" "$REVIEWERS" "$PER" "$MAX" "$SECONDS_LIMIT"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "fairness.sh: '$n' is not a positive whole number" >&2; exit 64; }
done
[[ "$MIN" =~ ^[0-9]+$ ]] || { echo "fairness.sh: MIN '$MIN' is not a whole number" >&2; exit 64; }
WORK="${TMPDIR:-/tmp}/refer-assign-fairness"
source Benchmarks/acl/store.sh
mkdir -p "$WORK"
python3 Benchmarks/assign/make_conference.py "$WORK" "$SUBMISSIONS" "$REVIEWERS" 20261206 --bids
.build/release/refer conflicts --store "$STORE" --committee "$WORK/committee.txt" --submissions "$WORK/submissions.jsonl" --csv "$WORK/conflicts.csv"
for objective in sum fair; do
  start=$(date +%s.%N)
  .build/release/refer assign --store "$STORE" --committee "$WORK/committee.txt" --submissions "$WORK/submissions.jsonl" \
    --bids "$WORK/bids.csv" --reviewers-per-paper "$PER" --min-load "$MIN" --max-load "$MAX" --objective "$objective" \
    --time-limit "$SECONDS_LIMIT" --csv "$WORK/$objective.csv" --json "$WORK/$objective.json"
  end=$(date +%s.%N)
  python3 Benchmarks/assign/check_assignment.py --submissions "$WORK/submissions.jsonl" --committee "$WORK/committee.txt" \
    --bids "$WORK/bids.csv" --conflicts "$WORK/conflicts.csv" --per "$PER" --min "$MIN" --max "$MAX" \
    --csv "$WORK/$objective.csv" --json "$WORK/$objective.json" | python3 -c "
import json, sys; r = json.loads(sys.stdin.read()); r['wall_s'] = round($end - $start, 1); json.dump(r, open('$WORK/$objective.check.json', 'w')); print('[fairness]', json.dumps(r))"
done
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
s, f = (json.load(open(f"{work}/{o}.check.json")) for o in ("sum", "fair"))
out = {"sum": s, "fair": f, "fair_raises_min": f["min_paper_score"] > s["min_paper_score"],
       "fair_total_ratio": f["total_score"] / s["total_score"]}
json.dump(out, open(f"{work}/summary.json", "w"), indent=1)
print(f"[fairness] min_paper_score sum {s['min_paper_score']:.4f} -> fair {f['min_paper_score']:.4f}; "
      f"total_score fair/sum {out['fair_total_ratio']:.4f}; both checked: {not s['breaches'] and not f['breaches']}")
sys.exit(0 if out["fair_raises_min"] and out["fair_total_ratio"] >= 0.97 and not s["breaches"] and not f["breaches"] else 1)
PY
