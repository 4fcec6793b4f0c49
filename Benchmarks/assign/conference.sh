#!/usr/bin/env bash
# A conference-sized assignment on real data: submissions are papers drawn with a fixed
# seed from the ACL Anthology corpus, the committee is the corpus's most prolific
# authors (a text file of names: their papers come from the store), and `refer assign`
# scores every submission against every member, removes conflicts (every submission's
# authors are in the store with their co-authors) and solves the min-cost flow.
# Prints the command's wall time and its own summary.
#   Benchmarks/assign/conference.sh [SUBMISSIONS] [REVIEWERS] [PER_PAPER]   (default 1000 300 3)
# The store is the ACL store of Benchmarks/acl/make-set.sh (built here if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
SUBMISSIONS="${1:-1000}"; REVIEWERS="${2:-300}"; PER="${3:-3}"
for n in "$SUBMISSIONS" "$REVIEWERS" "$PER"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "conference.sh: '$n' is not a positive whole number (usage: conference.sh [SUBMISSIONS] [REVIEWERS] [PER_PAPER])" >&2; exit 64; }
done
(( SUBMISSIONS <= 17016 )) || { echo "conference.sh: at most 17016 submissions (the ACL corpus's size), got $SUBMISSIONS" >&2; exit 64; }
WORK="${TMPDIR:-/tmp}/refer-assign-bench"
source Benchmarks/acl/store.sh
mkdir -p "$WORK"
python3 Benchmarks/assign/make_conference.py "$WORK" "$SUBMISSIONS" "$REVIEWERS" 20261203
LOAD=$(( (SUBMISSIONS * PER + REVIEWERS - 1) / REVIEWERS + 2 ))
start=$(date +%s.%N)
set +e
.build/release/refer assign --store "$STORE" --committee "$WORK/committee.txt" --submissions "$WORK/submissions.jsonl" \
  --reviewers-per-paper "$PER" --max-load "$LOAD" --csv "$WORK/assignment.csv" --json "$WORK/assignment.json"
status=$?
set -e
end=$(date +%s.%N)
python3 - "$WORK/assignment.json" "$start" "$end" "$LOAD" "$status" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
pairs, start, end, load, status = a["assignment"], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
excluded = sum(len(s["excluded"]) for s in a["suggestions"])
stats = a["stats"]
loads = {}
for p in pairs: loads[p["reviewer_id"]] = loads.get(p["reviewer_id"], 0) + 1
print(f"[assign-bench] {len(pairs)} assignments, load cap {load} (highest {max(loads.values())}), "
      f"{excluded} conflicted pairs removed, mean score {stats['mean_paper_score']:.4f} (worst submission {stats['min_paper_score']:.4f}), "
      f"exit {status}, wall {end - start:.1f} s")
PY
