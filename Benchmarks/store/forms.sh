#!/usr/bin/env bash
# Bytes per paper of each stored form (float32, compact) on the ACL Anthology corpus: the ACL
# store's papers and vectors exported once, ingested into a new store of each form (the same
# papers, the same vectors, no embedding), then counted by Benchmarks/store/bytes_per_paper.py,
# and each store compacted with `mdb_copy -c` (what a snapshot for another host weighs).
#   Benchmarks/store/forms.sh      (uses Benchmarks/acl/store.sh's store, built once if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
. Benchmarks/acl/store.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.build/release/refer export --store "$STORE" --vectors "$work/papers.fbin" > "$work/papers.jsonl"
for form in float32 compact; do
  .build/release/refer ingest "$work/papers.jsonl" --vectors "$work/papers.fbin" --index-form "$form" --store "$work/$form" 2>&1 | tail -n 1
  mkdir "$work/$form-snapshot" && mdb_copy -c "$work/$form" "$work/$form-snapshot"
done
python3 Benchmarks/store/bytes_per_paper.py "$work/float32" "$work/compact"
for form in float32 compact; do
  echo "$form: mdb_copy -c snapshot $(( $(stat -c %s "$work/$form-snapshot/data.mdb") / $(wc -l < "$work/papers.jsonl") )) bytes a paper"
done
