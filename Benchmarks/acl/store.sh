# Sourced by the benchmarks that read the ACL Anthology store (from the repository root):
# builds refer in release mode, ingests ../shared/datasets/acl-anthology into the store
# when it is missing, and sets STORE to its path (REFER_ACL_STORE, else
# ~/.cache/refer/stores/acl).
STORE="${REFER_ACL_STORE:-$HOME/.cache/refer/stores/acl}"
swift build -c release --product refer 2>&1 | tail -n 1
if [ ! -f "$STORE/data.mdb" ]; then
  .build/release/refer ingest ../shared/datasets/acl-anthology/papers.jsonl.gz --store "$STORE"
fi
