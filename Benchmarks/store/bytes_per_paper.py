#!/usr/bin/env python3
"""Bytes per paper of refer stores, by part, from LMDB's own page counts (mdb_stat, lmdb-utils).

    Benchmarks/store/bytes_per_paper.py STORE [STORE ...]

For each store: its papers (the `papers` database's entries), and for each database the bytes of
its pages (branch + leaf + overflow, 4,096 bytes each) over the number of papers; `live` is the
sum, `file` the data file's size (which also holds free pages LMDB reuses). Parts: papers (the
records: title, abstract, authors, ids), graph_groups + graph (the index: vectors, codes, links),
authors (the author index), node_paper + paper_node (ids to index nodes), the rest (committee,
tuned models, settings).
"""
import os
import re
import subprocess
import sys


def stat(store):
    text = subprocess.run(["mdb_stat", "-a", store], check=True, capture_output=True, text=True).stdout
    parts = {}
    for block in re.split(r"^Status of ", text, flags=re.M)[1:]:
        name = block.split("\n", 1)[0].strip()
        pages = sum(int(x) for x in re.findall(r"(?:Branch|Leaf|Overflow) pages: (\d+)", block))
        entries = int(re.search(r"Entries: (\d+)", block).group(1))
        parts[name] = (pages * 4096, entries)
    return parts


groups = [("papers", ["papers"]), ("index", ["graph_groups", "graph"]), ("authors", ["authors"]),
          ("id maps", ["node_paper", "paper_node"])]
print(f"{'store':40} {'papers':>8} " + " ".join(f"{g:>9}" for g, _ in groups) + f" {'other':>7} {'live':>7} {'file':>7}  (bytes a paper)")
for store in sys.argv[1:]:
    parts = stat(store)
    papers = parts["papers"][1]
    row, used = [], set()
    for _, names in groups:
        row.append(sum(parts.get(n, (0, 0))[0] for n in names) / papers)
        used.update(names)
    other = sum(b for n, (b, _) in parts.items() if n not in used) / papers
    live = sum(b for b, _ in parts.values()) / papers
    size = os.path.getsize(os.path.join(store, "data.mdb")) / papers
    print(f"{store[-40:]:40} {papers:8d} " + " ".join(f"{x:9.0f}" for x in row) + f" {other:7.0f} {live:7.0f} {size:7.0f}")
