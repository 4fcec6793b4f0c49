#!/usr/bin/env bash
# Reviewer suggestions from a corpus against held-out papers' own authors, on the ACL
# Anthology store, with the plain baseline in the same run (docs/reviewers.md).
#   Benchmarks/reviewers/heldout.sh [HOLD_OUT] [SEED] [extra refer eval heldout options, e.g. --explore]
set -euo pipefail
cd "$(dirname "$0")/../.."
hold="${1:-1000}"; seed="${2:-1}"
shift $(( $# < 2 ? $# : 2 ))
. Benchmarks/acl/store.sh
exec .build/release/refer eval heldout --store "$STORE" --hold-out "$hold" --seed "$seed" "$@"
