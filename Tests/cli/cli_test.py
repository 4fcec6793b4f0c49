#!/usr/bin/env python3
"""Runs every `refer` subcommand as a built binary, the way scripts and people call it,
and checks what it prints, writes and exits with. Small inputs: the bundled corpus and
committee, a 3,000-vector slice of ../shared/datasets/pypi-minilm-100k.

    cli_test.py .build/release/refer
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

REFER = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/refer")
SHARED = os.path.abspath("../shared/datasets")
work = tempfile.mkdtemp(prefix="refer-cli-")
STORE = os.path.join(work, "store")
passed = []


def run(*args, code=0, stdin=None, env=None):
    p = subprocess.run([REFER, *args], capture_output=True, text=True, input=stdin,
                       env=None if env is None else {**os.environ, **env})
    if p.returncode != code:
        raise AssertionError(f"refer {' '.join(args)}: exit {p.returncode}, wanted {code}\nstdout: {p.stdout[-2000:]}\nstderr: {p.stderr[-2000:]}")
    return p


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError(f"{name}: {detail}")
    passed.append(name)


def slice_fbin(src, dst, rows):
    with open(src, "rb") as f:
        n, d = struct.unpack("<ii", f.read(8))
        data = f.read(min(rows, n) * d * 4)
    with open(dst, "wb") as f:
        f.write(struct.pack("<ii", min(rows, n), d) + data)


def conference_checks():
    """A conference in OpenReview's formats through the binary: every bad row of every file in
    one refusal (65); then `conflicts` and `assign` from the same flags agree row for row; the
    matcher's headerless files read as openreview-matcher reads them; the edges out build as
    openreview-py's `openreview.api.Edge` in the venv."""
    d = os.path.join(work, "conference")
    os.makedirs(d)
    venue = "MLSys.cc/2026/Conference"
    notes = [{"id": f"n{i}", "domain": venue, "invitations": [f"{venue}/-/Submission"],
              "content": {"title": {"value": t}, "authors": {"value": a}, "venueid": {"value": f"{venue}/{v}"}}}
             for i, (t, a, v) in enumerate([("GPU kernel profiling at scale", ["Jane Roe"], "Submission"),
                                            ("DeepSpeed inference for large models", ["Yuxiong He"], "Submission"),
                                            ("Tensor compilers for sparse operators", ["Ann Other"], "Submission"),
                                            ("Withdrawn: pipelines", ["Bo Other"], "Withdrawn_Submission")])]
    with open(os.path.join(d, "notes.json"), "w") as f:
        json.dump({"notes": notes}, f)
    members = [("Minjia Zhang", "~Minjia_Zhang1"), ("Keren Zhou", "~Keren_Zhou1"), ("Zhen Zheng", "~Zhen_Zheng1"), ("Hongyu Zhu", "~Hongyu_Zhu2")]
    with open(os.path.join(d, "committee.json"), "w") as f:
        json.dump([{"name": n, "ids": ["openreview:" + i], "publications": []} for n, i in members], f)
    def edge(kind, head, tail, **kw):
        return json.dumps({"invitation": f"{venue}/Reviewers/-/{kind}", "head": head, "tail": tail, "readers": [venue],
                           "writers": [venue], "signatures": [venue], **kw})
    with open(os.path.join(d, "bids.jsonl"), "w") as f:
        f.write("\n".join([edge("Bid", "n0", "~Keren_Zhou1", label="Very High"), edge("Bid", "n2", "~Zhen_Zheng1", label="Conflict"),
                           edge("Bid", "n3", "~Hongyu_Zhu2", label="High")]) + "\n")
    with open(os.path.join(d, "conflicts.csv"), "w") as f:
        f.write("submission_id,reviewer,reason\nn0,H. Zhu,same lab\n")
    base = ["--store", STORE, "--submissions", os.path.join(d, "notes.json"), "--committee", os.path.join(d, "committee.json"),
            "--bids", os.path.join(d, "bids.jsonl"), "--conflicts", os.path.join(d, "conflicts.csv"), "--as-of", "2026"]

    with open(os.path.join(d, "bad.csv"), "w") as f:
        f.write("submission_id,reviewer\nn1,Keren Zhuo\nn9,Zhen Zheng\n")
    p = run("assign", *base, "--conflicts", os.path.join(d, "bad.csv"), "--reviewers-per-paper", "1", code=65)
    check("every bad row is refused in one run, with FILE:LINE, the field and the closest member",
          "2 problems in the input" in p.stderr and "bad.csv:2: field 'reviewer': no committee member is 'Keren Zhuo' (closest: Keren Zhou)" in p.stderr
          and "bad.csv:3: field 'submission_id': no submission 'n9'" in p.stderr, p.stderr)

    table = run("conflicts", *base).stdout.splitlines()
    out = os.path.join(d, "out")
    p = run("assign", *base, "--reviewers-per-paper", "2", "--max-load", "2", "--json", os.path.join(d, "a.json"), "--csv", os.path.join(d, "a.csv"),
            "--matcher-dir", out, "--openreview-edges", out)
    result = json.load(open(os.path.join(d, "a.json")))
    enforced = sorted(f"{s['submission_id']},{e['name']},{e['rule']}" for s in result["suggestions"] for e in s["excluded"])
    listed = sorted(",".join(r.split(",")[:3]) for r in table[1:])
    check("conflicts lists exactly what assign enforces", listed == enforced and len(listed) >= 3, (listed, enforced))
    check("a withdrawn note gets no reviewer and is listed; the bid on it is noted",
          result["stats"]["skipped_submissions"] == [{"id": "n3", "reason": f"withdrawn on OpenReview ({venue}/Withdrawn_Submission)"}]
          and "n3" not in {a["submission_id"] for a in result["assignment"]} and "bids.jsonl:3: submission 'n3' is withdrawn" in p.stderr, p.stderr)
    code = f"""
import csv, json, sys
from openreview.api import Edge
# openreview-matcher's matcher/__main__.py: csv.reader, every row data, the score a float.
scores = [(r[0].strip(), r[1].strip(), float(r[2].strip())) for r in csv.reader(open(sys.argv[1]))]
conflicts = [(r[0], r[1], int(r[2])) for r in csv.reader(open(sys.argv[2]))]
edges = [Edge.from_json(json.loads(l)) for l in open(sys.argv[3])]
assert all(e.invitation == "{venue}/Reviewers/-/Proposed_Assignment" and e.tail.startswith("~") and e.head.startswith("n") for e in edges)
assert [Edge.from_json(e.to_json()).to_json() for e in edges] == [e.to_json() for e in edges]
print(json.dumps({{"scores": len(scores), "conflicts": sorted(f"{{p}},{{r}}" for p, r, c in conflicts if c == -1), "edges": len(edges)}}))
"""
    venv_python = os.path.join(os.environ.get("REFER_VENV", os.path.expanduser("~/.cache/refer/venv")), "bin", "python")
    q = subprocess.run([venv_python, "-c", code, os.path.join(out, "scores.csv"), os.path.join(out, "conflicts.csv"), os.path.join(out, "edges.jsonl")],
                       capture_output=True, text=True)
    ids = dict(members)
    got = json.loads(q.stdout) if q.returncode == 0 else q.stderr
    check("the matcher's files read as openreview-matcher reads them, every eligible pair scored, conflicts as -1; the edges build as openreview-py Edges",
          q.returncode == 0 and got["scores"] == 3 * 4 - len(enforced) and got["edges"] == 6
          and got["conflicts"] == sorted(f"{e.split(',')[0]},{ids[e.split(',')[1]]}" for e in enforced), got)


def main():
    # --help and completions for every subcommand
    top = run("--help").stdout
    subcommands = ["ingest", "import", "similar", "search", "reviewers", "assign", "conflicts", "serve", "eval", "delete", "export", "check",
                   "stats", "people", "embed", "bench", "bench-embed", "bench-open", "bench-reviewers", "tune", "gt", "synth"]
    for sub in subcommands:
        check(f"help lists {sub}", f"  {sub}" in top, top)
        text = run(*(["eval", "goldstandard"] if sub == "eval" else [sub]), "--help").stdout
        check(f"{sub} --help has an example", "Example" in text and "refer " + (sub if sub != "eval" else "eval goldstandard") in text, text[:600])
        # Help wraps to the terminal: nothing but the usage line (or one unbreakable word) passes
        # 80 columns, and on a wide (300) terminal no sentence is broken well short of the width
        # (where the source was wrapped).
        args = ["eval", "goldstandard", "--help"] if sub == "eval" else [sub, "--help"]
        narrow = run(*args, env={"COLUMNS": "80"}).stdout.splitlines()
        over = [l for l in narrow if len(l) > 80 and not l.startswith("USAGE:") and " " in l.strip()]
        check(f"{sub} --help fits 80 columns", not over, over)
        wide = run(*args, env={"COLUMNS": "300"}).stdout.splitlines()
        broken = [a for a, b in zip(wide, wide[1:]) if a and not a.startswith(" ") and b[:1].islower()
                  and not a.rstrip().endswith((".", ":", ";", ",")) and len(a) + 1 + len(b.split(" ")[0]) < 280]
        check(f"{sub} --help has no sentence broken by a hard wrap", not broken, broken)
    check("bash completion", "_refer" in run("--generate-completion-script", "bash").stdout)
    check("zsh completion", "#compdef refer" in run("--generate-completion-script", "zsh").stdout)
    check("unknown subcommand exits 64", run("nonsense", code=64).returncode == 64)

    # import: the seed list and a CV, and a BibTeX error with line and column
    papers = run("import", "--format", "paper-list", "../shared/seeds/004_4fcc49c95219aed2.txt", "--source", "aisys2023").stdout
    with open("datasets/aisys2023/papers.jsonl") as f:
        check("import paper-list reproduces the bundled corpus", papers == f.read())
    cv = json.loads(run("import", "--format", "cv", "../shared/seeds/002_2a2936b1bb8b9e31.txt").stdout)
    with open("datasets/committee/minjia-zhang.json") as f:
        check("import cv reproduces a committee profile", cv == json.load(f), cv.get("name"))
    bib = os.path.join(work, "bad.bib")
    with open(bib, "w") as f:
        f.write("@article{a,\n  title {x}\n}\n")
    err = run("import", "--format", "bibtex", bib, code=65).stderr
    check("import bibtex error names line and column", f"{bib}:2:9: expected '='" in err, err)

    # ingest with a committee; a bad line is reported, the rest stored
    bad = os.path.join(work, "papers-with-bad-line.jsonl")
    with open("datasets/aisys2023/papers.jsonl") as f, open(bad, "w") as out:
        lines = f.read().splitlines()
        out.write("\n".join(lines[:5] + ['{"id": "broken", "authors": ["A B"]}'] + lines[5:]) + "\n")
    p = run("ingest", bad, "--committee", "datasets/committee", "--store", STORE, code=65)
    check("ingest reports the bad line", f"{bad}:6: missing field 'title'" in p.stderr, p.stderr)
    check("ingest stores the rest", "233 added" in p.stderr and "committee of 4 reviewers" in p.stderr, p.stderr)

    stats = json.loads(run("stats", "--store", STORE, "--json").stdout)
    check("stats counts papers", stats["papers"] == 233 and stats["index_live"] == 233, stats)
    check("check passes", run("check", "--store", STORE).returncode == 0)
    exported = run("export", "--store", STORE).stdout.splitlines()
    check("export gives every paper", len(exported) == 233 and sorted(exported) == sorted(lines), len(exported))

    # similar and reviewers, human and JSON
    sim = json.loads(run("similar", "--store", STORE, "--title", "Ray: A Distributed Framework for Emerging AI Applications", "--k", "3", "--json").stdout)
    check("similar finds the paper itself first", sim["papers"][0]["title"] == "Ray: A Distributed Framework for Emerging AI Applications", sim)
    human = run("similar", "--store", STORE, "--title", "GPU profiling", "--k", "2").stdout
    check("similar prints a table", human.startswith(" 1. "), human)
    check("similar refuses an empty draft", "the draft is empty" in run("similar", "--store", STORE, "--title", " ", code=65).stderr)
    rev = json.loads(run("reviewers", "--store", STORE, "--title", "Learned early termination for graph-based vector search",
                         "--abstract", "Predict per query how many distance evaluations HNSW needs.", "--k", "2", "--json").stdout)
    check("reviewers ranks Minjia Zhang first", rev["reviewers"][0]["name"] == "Minjia Zhang", rev)
    rev = json.loads(run("reviewers", "--store", STORE, "--title", "Learned early termination for graph-based vector search",
                         "--authors", "Minjia Zhang", "--json").stdout)
    check("reviewers excludes the draft's author, naming the rule",
          rev["excluded"] == [{"name": "Minjia Zhang", "reason": "author of the draft", "rule": "author"}], rev)
    # reviewers from the corpus (no committee file of its own: a store without committee)
    bare = os.path.join(work, "bare-store")
    run("ingest", "datasets/aisys2023/papers.jsonl", "--store", bare)
    rev = json.loads(run("reviewers", "--store", bare, "--title", "Ray: A Distributed Framework for Emerging AI Applications",
                         "--authors", "Ion Stoica", "--conflict-years", "0", "--json").stdout)
    moritz = [e for e in rev["excluded"] if e["name"] == "Philipp Moritz"]
    check("corpus reviewers: a co-author is excluded with the shared paper as evidence",
          moritz and moritz[0]["rule"] == "coauthor" and moritz[0]["paper"]["year"] == 2018 and moritz[0]["paper"]["id"].startswith("aisys2023:"), rev["excluded"][:3])
    check("corpus reviewers: ten suggestions, each with evidence", len(rev["reviewers"]) == 10 and all(r["evidence"] for r in rev["reviewers"]), rev)

    # eval heldout and bench-reviewers on the bare store
    p = run("eval", "heldout", "--store", bare, "--hold-out", "40", "--seed", "3")
    check("eval heldout prints the baseline and refer", "baseline" in p.stdout and "refer (soft-count" in p.stdout, p.stdout)
    check("eval heldout refuses a hold-out as large as the store",
          "--hold-out must be between 1 and" in run("eval", "heldout", "--store", bare, "--hold-out", "100000", code=65).stderr)
    drafts = os.path.join(work, "drafts.txt")
    with open(drafts, "w") as f:
        f.write("GPU performance profiling tools\nLearned early termination for vector search\n")
    p = run("bench-reviewers", "--store", bare, "--queries", drafts)
    check("bench-reviewers prints each phase", all(ph in p.stdout for ph in ["embed", "conflicts", "scoring", "after embedding"]), p.stdout)
    check("check --repair opens for writing and reports consistency", "consistent" in run("check", "--repair", "--store", bare).stdout)

    # streamed importers: import writes paper JSONL, ingest --format stores the same papers
    fx = "Tests/fixtures/import/"
    p = run("import", "--format", "openalex", fx + "openalex-works.jsonl", code=65)
    check("import openalex skips a work without title by file and line", fx + "openalex-works.jsonl:4: no 'title'" in p.stderr, p.stderr)
    check("import openalex writes the other works with author ids",
          [json.loads(l)["author_ids"][0] for l in p.stdout.splitlines()][0] == "openalex:A5034987120", p.stdout[:300])
    p = run("import", "--format", "s2", fx + "s2-papers.jsonl", "--abstracts", fx + "s2-abstracts.jsonl")
    check("import s2 joins the abstracts", sum(1 for l in p.stdout.splitlines() if "abstract" in json.loads(l)) == 4, p.stdout[:300])
    check("--abstracts without s2 is refused", "--abstracts goes with --format s2" in
          run("import", "--format", "arxiv", fx + "arxiv-metadata.jsonl", "--abstracts", "x", code=64).stderr)
    imported = os.path.join(work, "imported-store")
    p = run("ingest", fx + "dblp-sample.xml", "--format", "dblp", "--store", imported)
    check("ingest --format dblp stores the papers", "3 added" in p.stderr, p.stderr)
    ids = sorted(json.loads(l)["id"] for l in run("export", "--store", imported).stdout.splitlines())
    check("ingested dblp ids", ids == ["dblp:conf/icinv/0001GM21", "dblp:journals/jinv/WangAO22", "dblp:series/lnic/Godel20"], ids)
    wang = json.loads(run("people", "--store", imported, "dblp:Wei Wang 0002", "--json").stdout)
    check("people by id: the homonym's own paper only", [p["id"] for p in wang["papers"]] == ["dblp:journals/jinv/WangAO22"], wang)
    both = json.loads(run("people", "--store", imported, "Wei Wang", "--json").stdout)
    check("people by name: both homonyms, told apart by their ids",
          len(both["papers"]) == 2 and both["ids"] == ["dblp:Wei Wang 0002", "orcid:0000-0002-1825-0097"], both)
    check("people of nobody exits 65", "no stored paper lists" in run("people", "--store", imported, "Nobody Here", code=65).stderr)
    p = run("ingest", fx + "arxiv-metadata.jsonl", "--format", "bibtex", "--store", imported, code=64)
    check("ingest --format refuses an unknown format", "--format: one of openalex, s2, arxiv, dblp" in p.stderr, p.stderr)

    # assign: CSV and JSON
    subs = os.path.join(work, "subs.jsonl")
    with open(subs, "w") as f:
        for i, title in enumerate(["GPU profiling tools", "Learned early termination for vector search", "Pipelined GPU programming"]):
            f.write(json.dumps({"id": f"s{i}", "title": title}) + "\n")
    csv_path, json_path = os.path.join(work, "a.csv"), os.path.join(work, "a.json")
    run("assign", "--store", STORE, "--submissions", subs, "--reviewers-per-paper", "2", "--max-load", "2", "--csv", csv_path, "--json", json_path)
    rows = open(csv_path).read().splitlines()
    check("assign writes the CSV", rows[0] == "submission_id,reviewer_id,score" and len(rows) == 7, rows)
    result = json.load(open(json_path))
    check("assign writes the JSON with its stats", len(result["assignment"]) == 6 and set(result["stats"]) >= {"total_score", "min_paper_score", "mean_paper_score", "loads"}
          and set(result["stats"]["loads"]) == {"min", "max"} and result["stats"]["loads"]["max"] <= 2, result.get("stats"))
    p = run("assign", "--store", STORE, "--submissions", subs, "--reviewers-per-paper", "2", "--max-load", "2", "--objective", "fair",
            "--csv", csv_path, "--json", json_path)
    fair = json.load(open(json_path))
    check("assign --objective fair raises the worst-off submission and says it is optimal",
          fair["stats"]["objective"] == "fair" and fair["stats"]["optimal"] and fair["stats"]["min_paper_score"] >= result["stats"]["min_paper_score"] - 1e-9
          and "objective fair (optimal)" in p.stderr, (fair["stats"], p.stderr))
    p = run("assign", "--store", STORE, "--submissions", subs, "--reviewers-per-paper", "2", "--max-load", "2", "--matcher-dir", os.path.join(work, "m0"), code=65)
    check("assign --matcher-dir refuses a committee without OpenReview ids, naming the members",
          "openreview-matcher's files name reviewers by OpenReview profile id, and 4 member(s) have none: Hongyu Zhu" in p.stderr
          and not os.path.exists(os.path.join(work, "m0")), p.stderr)
    p = run("assign", "--store", STORE, "--submissions", subs, "--reviewers-per-paper", "2", "--max-load", "2", "--hotcrp-csv", os.path.join(work, "h.csv"), code=65)
    check("assign --hotcrp-csv refuses reviewers without e-mails, naming them", "HotCRP assigns by e-mail, and these reviewers have none:" in p.stderr, p.stderr)
    check("--reviewers-per-paper 0 is a usage error (64)", "--reviewers-per-paper must be at least 1" in
          run("assign", "--store", STORE, "--submissions", subs, "--reviewers-per-paper", "0", code=64).stderr)
    check("--min-load above --max-load is a usage error (64)", "need 0 ≤ min ≤ max" in
          run("assign", "--store", STORE, "--submissions", subs, "--min-load", "3", "--max-load", "2", code=64).stderr)
    conference_checks()
    conflicted = os.path.join(work, "conflicted.jsonl")
    with open(conflicted, "w") as f:
        f.write(json.dumps({"id": "c1", "title": "Inference at scale", "authors": ["Yuxiong He"]}) + "\n")
        f.write(json.dumps({"id": "c2", "title": "Sparse kernels", "authors": ["Jane Roe <jane@cs.rice.edu>"]}) + "\n")
    declared = os.path.join(work, "declared.csv")
    with open(declared, "w") as f:
        f.write("reviewer,author_or_domain,reason\r\n\"Zhang, Minjia\",@rice.edu,\"advisor, Rice\"\r\n")
    rows = run("conflicts", "--store", STORE, "--submissions", conflicted, "--declared-conflicts", declared).stdout.splitlines()
    check("conflicts writes the table with rule and evidence",
          rows[0] == "submission_id,reviewer,rule,reason,paper_id,paper_title,paper_year,institution,reviewer_years,author_years,author_id,domain"
          and any(r.startswith("c1,Minjia Zhang,coauthor,") for r in rows[1:]), rows)
    check("a declared conflict with an e-mail domain excludes, naming the file and line",
          any(r.startswith('c2,Minjia Zhang,declared,"declared conflict with Jane Roe: advisor, Rice (' + declared + ':2)"') for r in rows), rows)
    with open(declared, "a") as f:
        f.write("Minjia Zhang,gmail.com,friends\n")
    p = run("conflicts", "--store", STORE, "--submissions", conflicted, "--declared-conflicts", declared, code=65)
    check("a declared webmail domain is refused with its line", declared + ":3: 'gmail.com' is a webmail" in p.stderr, p.stderr)
    nobody = os.path.join(work, "declared-nobody.csv")
    with open(nobody, "w") as f:
        f.write("reviewer,author_or_domain,reason\nMinja Zhang,Jane Roe,advisor\n")
    p = run("serve", "--store", STORE, "--port", "0", "--declared-conflicts", nobody, code=65)
    check("serve refuses a declared conflict naming nobody on the store's committee, before serving",
          nobody + ":2: field 'reviewer': no committee member is 'Minja Zhang' (closest: Minjia Zhang)" in p.stderr and "serving" not in p.stdout, p.stderr)
    os.remove(csv_path)
    p = run("assign", "--store", STORE, "--submissions", subs, "--reviewers-per-paper", "2", "--max-load", "1", "--csv", csv_path, code=65)
    check("an impossible assignment exits 65 with its reason and fix, writing nothing",
          "the maximum loads add up to 4 reviews, but 3 submissions × 2 reviewers need 6: raise --max-load to 2" in p.stderr
          and "Nothing was written." in p.stderr and not os.path.exists(csv_path), p.stderr)

    # search: a batch of queries as JSON Lines; recall targets need a tuned store
    qfile = os.path.join(work, "queries.txt")
    with open(qfile, "w") as f:
        f.write("GPU performance profiling tools\n\n" + json.dumps({"id": "x", "title": "Learned early termination for vector search"}) + "\n")
    out = [json.loads(l) for l in run("search", "--store", STORE, "--queries", qfile, "--k", "3", "--ef", "16", "--json").stdout.splitlines()]
    check("search writes one JSON line per query with ids, scores and evaluations",
          [o["query"] for o in out] == [0, 1] and all(len(o["ids"]) == 3 and len(o["scores"]) == 3 and o["evaluations"] > 0 for o in out)
          and out[0]["scores"] == sorted(out[0]["scores"], reverse=True), out)
    stored = os.path.join(work, "stored.jsonl")
    with open(stored, "w") as f:
        f.write(lines[0] + "\n")
    out = [json.loads(l) for l in run("search", "--store", STORE, "--queries", stored, "--k", "2", "--json").stdout.splitlines()]
    check("a stored paper's line searches with its own vector: it comes first",
          out[0]["ids"][0] == json.loads(lines[0])["id"] and out[0]["scores"][0] > 0.9999, out)
    out = [json.loads(l) for l in run("search", "--store", STORE, "--queries", qfile, "--year-from", "2100", "--json").stdout.splitlines()]
    check("search with a filter nothing passes answers empty lists", all(o["ids"] == [] for o in out), out)
    p = run("search", "--store", STORE, "--queries", qfile, "--recall", "0.9", code=1)
    check("search --recall on an untuned store names the remedy", "is not tuned for recall 0.9: run refer tune --store" in p.stderr, p.stderr)
    p = run("tune", "--store", STORE, "--target-recall", "0.9", code=1)
    check("tune --store refuses a store too small to tune", "tuning needs at least 1,000" in p.stderr, p.stderr)

    # delete
    check("delete removes a paper", "1 removed" in run("delete", json.loads(lines[0])["id"], "--store", STORE).stderr)
    check("delete of an unknown id exits 65", run("delete", "no-such-id", "--store", STORE, code=65).returncode == 65)

    # serve: answers, then stops on SIGTERM
    server = subprocess.Popen([REFER, "serve", "--store", STORE, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    url = line.split(" at ")[-1].strip()
    body = json.dumps({"title": "GPU profiling", "k": 2}).encode()
    req = urllib.request.Request(url + "v1/similar", data=body, headers={"Content-Type": "application/json"})
    answer = json.load(urllib.request.urlopen(req, timeout=30))
    check("serve answers /v1/similar", len(answer["papers"]) == 2, answer)
    server.terminate()
    check("serve stops cleanly on SIGTERM", server.wait(timeout=30) == 0)

    # embed, bench-embed, bench-open
    texts = os.path.join(work, "texts.txt")
    with open(texts, "w") as f:
        f.write("GPU profiling\n\nLearned early termination\n")
    out = os.path.join(work, "texts.fbin")
    run("embed", texts, "--out", out)
    with open(out, "rb") as f:
        n, d = struct.unpack("<ii", f.read(8))
    check("embed writes one 384-d row per line", (n, d) == (3, 384), (n, d))
    be = os.path.join(work, "embed-bench.json")
    run("bench-embed", "--input", texts, "--json", be)
    check("bench-embed reports a rate", json.load(open(be)).get("texts_per_s", 0) > 0, open(be).read()[:300])
    run("bench-open", "--store", STORE, "--queries", out)
    passed.append("bench-open runs")
    lat = os.path.join(work, "latency.json")
    run("bench-embed", "--input", texts, "--one-at-a-time", "--json", lat)
    check("bench-embed --one-at-a-time reports p50 and p90", json.load(open(lat))["p50_ms"] > 0, open(lat).read()[:300])

    # embed --papers: the text ingest embeds, row i for line i + 1, so ingest --vectors takes it as it is
    papers = os.path.join(work, "papers-bad.jsonl")
    with open("datasets/aisys2023/papers.jsonl") as f, open(papers, "w") as g:
        lines = f.read().splitlines()[:20]
        g.write("\n".join(lines[:10] + ['{"title": "no id"}'] + lines[10:]) + "\n")
    pv = os.path.join(work, "papers.fbin")
    p = run("embed", papers, "--papers", "--out", pv)
    check("embed --papers names a line that is not a paper", f"{papers}:11: missing field 'id'; embedded as the empty text" in p.stderr, p.stderr)
    with open(pv, "rb") as f:
        check("embed --papers writes a row per line", struct.unpack("<ii", f.read(8)) == (21, 384))
    given = os.path.join(work, "given-store")
    # bf16 and int8 run on every x86-64 CPU with AVX2 and FMA (the same arithmetic as on AVX-512).
    cpu = open("/proc/cpuinfo").read()
    low_precision = " avx2 " in cpu and " fma " in cpu
    given_precision = "bf16" if low_precision else "f32"
    p = run("ingest", papers, "--vectors", pv, "--precision", given_precision, "--store", given, code=65)
    check("ingest --vectors stores the papers without embedding", "20 added, 0 updated, 1 rejected" in p.stderr, p.stderr)
    check("ingest --vectors --precision records the vectors' precision", f"embedded in {given_precision}" in run("stats", "--store", given).stdout)
    # Float32 stores, so that export gives back exactly what was stored (a compact store keeps halves).
    embedded = os.path.join(work, "embedded-store")
    run("ingest", papers, "--store", embedded, "--index-form", "float32", code=65)
    f32_given = os.path.join(work, "f32-given-store")
    run("ingest", papers, "--vectors", pv, "--store", f32_given, "--index-form", "float32", code=65)
    import array
    exported = []
    for st in (f32_given, embedded):
        v = os.path.join(work, os.path.basename(st) + ".fbin")
        run("export", "--store", st, "--vectors", v)
        exported.append(array.array("f", open(v, "rb").read()[8:]))
    cos = [sum(exported[0][i * 384 + j] * exported[1][i * 384 + j] for j in range(384)) for i in range(20)]
    check("vectors from embed --papers are the vectors ingest makes (cosine >= 0.99999)", min(cos) >= 0.99999, cos)
    p = run("embed", papers, "--papers", "--field", "title", "--out", pv, code=64)
    check("embed refuses --papers with --field", "--papers and --field: give one" in p.stderr, p.stderr)

    # precisions: an int8 store records it, refuses f32, answers queries in int8
    if not low_precision:
        print("skipped: int8 and bf16 embedding checks (this CPU has no AVX2 and FMA)")
    else:
        import array
        def vectors(path):
            v = array.array("f"); v.frombytes(open(path, "rb").read()[8:]); return v
        def cosines(a, b):   # unit vectors, 3 texts
            return [sum(a[i * 384 + j] * b[i * 384 + j] for j in range(384)) for i in range(3)]
        low = os.path.join(work, "texts-int8.fbin")
        run("embed", texts, "--out", low, "--precision", "int8")
        cos = cosines(vectors(out), vectors(low))
        check("embed --precision int8 stays within cosine 0.97 of f32", min(cos) > 0.97, cos)
        # The AVX2 kernels make the vectors AVX-512's make (on an AVX2-only CPU both runs are AVX2).
        for precision in ("int8", "bf16"):
            native, avx2 = os.path.join(work, f"native-{precision}.fbin"), os.path.join(work, f"avx2-{precision}.fbin")
            run("embed", texts, "--out", native, "--precision", precision)
            run("embed", texts, "--out", avx2, "--precision", precision, env={"REFER_ISA": "avx2"})
            cos = cosines(vectors(native), vectors(avx2))
            check(f"embed --precision {precision} under REFER_ISA=avx2 makes this CPU's vectors (cosine >= 0.9999)", min(cos) >= 0.9999, cos)
        int8_store = os.path.join(work, "int8-store")
        run("ingest", "datasets/aisys2023/papers.jsonl", "--store", int8_store, "--precision", "int8")
        check("a store ingested in int8 says so", "embedded in int8" in run("stats", "--store", int8_store).stdout)
        p = run("ingest", "datasets/aisys2023/papers.jsonl", "--store", int8_store, "--precision", "f32", code=65)
        check("ingest refuses another precision into an int8 store", "its vectors were made in int8; embed into it with --precision int8" in p.stderr, p.stderr)
        hits = json.loads(run("similar", "--store", int8_store, "--title", "GPU performance profiling tools", "--k", "3", "--json").stdout)
        check("similar on an int8 store finds the GPU profiler", any("GPU" in h["title"] for h in hits["papers"]), hits)
    # the compact index form: made once, said by stats, answers like the float32 store
    compact = os.path.join(work, "compact-store")
    run("ingest", "datasets/aisys2023/papers.jsonl", "--store", compact, "--index-form", "compact")
    check("a compact store says so", json.loads(run("stats", "--store", compact, "--json").stdout)["index_form"] == "compact")
    # --index-form auto (the default): compact where the CPU has byte products, float32 where it has none
    byte_products = low_precision or os.uname().machine == "aarch64"
    for isa, form in (("native", "compact" if byte_products else "float32"), ("scalar", "float32")):
        auto = os.path.join(work, f"auto-{isa}-store")
        run("ingest", "datasets/aisys2023/papers.jsonl", "--store", auto, env={} if isa == "native" else {"REFER_ISA": isa})
        check(f"a new store takes the {form} form by default on this CPU ({isa} kernels)",
              json.loads(run("stats", "--store", auto, "--json").stdout)["index_form"] == form)
    run("ingest", "datasets/aisys2023/papers.jsonl", "--store", os.path.join(work, "auto-scalar-store"))
    check("an existing store keeps its form under --index-form auto",
          json.loads(run("stats", "--store", os.path.join(work, "auto-scalar-store"), "--json").stdout)["index_form"] == "float32")
    hits = json.loads(run("similar", "--store", compact, "--title", "Ray: A Distributed Framework for Emerging AI Applications", "--k", "3", "--json").stdout)
    check("similar on a compact store finds the paper itself first", hits["papers"][0]["title"] == "Ray: A Distributed Framework for Emerging AI Applications", hits)
    p = run("ingest", "datasets/aisys2023/papers.jsonl", "--store", compact, "--index-form", "float32", code=1)
    check("ingest refuses another index form into a compact store", "index form: store has compact, asked for float32" in p.stderr, p.stderr)
    p = run("embed", texts, "--out", os.path.join(work, "x.fbin"), "--precision", "fp64", code=64)
    check("embed --precision refuses an unknown precision", "fp64" in p.stderr, p.stderr)

    # a small vector set: gt, bench, tune, bench --learned
    data = os.path.join(work, "tiny")
    os.makedirs(data)
    slice_fbin(f"{SHARED}/pypi-minilm-100k/base.fbin", f"{data}/base.fbin", 3000)
    slice_fbin(f"{SHARED}/pypi-minilm-100k/query.fbin", f"{data}/query.fbin", 100)
    slice_fbin(f"{SHARED}/pypi-minilm-100k/learn.fbin", f"{data}/learn.fbin", 1000)
    run("gt", "--base", f"{data}/base.fbin", "--query", f"{data}/query.fbin", "--k", "10", "--out", f"{data}/query.gt10.ibin")
    with open(f"{data}/query.gt10.ibin", "rb") as f:
        check("gt writes 100 x 10 ids", struct.unpack("<ii", f.read(8)) == (100, 10))
    index = os.path.join(work, "tiny.hnsw")
    bench = os.path.join(work, "bench.json")
    run("bench", "--dataset", data, "--ef", "10,40,160", "--index", index, "--json", bench)
    report = json.load(open(bench))
    refer = [s for s in report["systems"] if s["name"].startswith("refer")][0]
    check("bench reaches recall 0.99 at ef 160 on 3,000 vectors", max(p["recall"] for p in refer["curve"]) >= 0.99, refer["curve"])
    # (on 3,000 vectors a partly used 2 MiB page weighs in each figure, so only the order is checked)
    larger = refer["bytes_per_vector"]
    for storage, name in (("float16", "refer-f16"), ("int8", "refer-sq8")):
        out = os.path.join(work, f"bench-{storage}.json")
        run("bench", "--dataset", data, "--ef", "160", "--storage", storage, "--json", out)
        s = json.load(open(out))["systems"][0]
        check(f"bench --storage {storage} reports {name} with fewer bytes per vector and recall 0.97 at ef 160",
              s["name"] == name and s["bytes_per_vector"] < larger - 300 and s["curve"][0]["recall"] >= 0.97, (larger, s))
        larger = s["bytes_per_vector"]
    out = os.path.join(work, "bench-compact.json")
    run("bench", "--dataset", data, "--ef", "160", "--index-form", "compact", "--json", out)
    s = json.load(open(out))["systems"][0]
    check("bench --index-form compact walks int8 codes over Float16 records, recall 0.97 at ef 160",
          s["name"] == "refer-f16-int8" and s["curve"][0]["recall"] >= 0.97, s)
    bad = run("bench", "--dataset", data, "--storage", "int4", code=64)
    check("bench --storage with an unknown form exits 64 naming it", "int4" in bad.stderr, bad.stderr)
    run("tune", "--dataset", data, "--target-recall", "0.9", "--index", index)
    check("tune stores the model beside the index", os.path.exists(index.replace(".hnsw", ".termination.json")) or any(
        f.endswith(".termination.json") for f in os.listdir(work)), os.listdir(work))
    states = os.path.join(work, "states")
    run("tune", "--dataset", data, "--index", index, "--export-states", states)
    with open(f"{states}/found-at.ibin", "rb") as f:
        check("tune --export-states writes when each of the 1,000 learn queries found its 10 true neighbours",
              struct.unpack("<ii", f.read(8)) == (1000, 10))
    fixed_ef = json.load(open(f"{states}/states.json"))["fixed_ef"]
    check("tune --export-states records fixed ef's recall on the held-out queries, up to 0.99 at its widest ef",
          len(fixed_ef) > 3 and fixed_ef[-1]["recall"] >= 0.99 and fixed_ef[-1]["evaluations"] > fixed_ef[0]["evaluations"], fixed_ef)
    blocker = os.path.join(work, "a-file")
    open(blocker, "w").close()
    bad = run("tune", "--dataset", data, "--index", index, "--export-states", os.path.join(blocker, "states"), code=64)
    check("tune --export-states into a path under a file exits 64 naming the folder and the reason",
          "a-file/states" in bad.stderr and "Not a directory" in bad.stderr, bad.stderr)
    bad = run("tune", "--dataset", data, "--index", index, code=64)
    check("tune without --target-recall or --export-states exits 64 saying so", "--target-recall" in bad.stderr, bad.stderr)
    learned = os.path.join(work, "learned.json")
    run("bench", "--dataset", data, "--ef", "10,20,40,80,160", "--index", index, "--learned", "--target-recall", "0.9", "--rounds", "1", "--json", learned)
    names = {s["name"] for s in json.load(open(learned))["systems"]}
    check("bench --learned reports refer-fixed and refer-learned", {"refer-fixed", "refer-learned"} <= names, names)
    points = [p for sys_ in json.load(open(learned))["systems"] for p in sys_["curve"]]
    check("bench --learned points carry the recall's standard error and CPU time per query",
          all(0 <= p["recall_se"] < 0.1 and 0 < p["cpu_us"] < 2 * p["mean_us"] + 50 for p in points), points)
    learned_points = [p for sys_ in json.load(open(learned))["systems"] if sys_["name"] == "refer-learned" for p in sys_["curve"]]
    check("bench --learned points carry their target recall", [p.get("target_recall") for p in learned_points] == [0.9], learned_points)

    # synth: a seeded synthetic set, searchable by bench
    synth = os.path.join(work, "synth")
    run("synth", "--n", "4000", "--queries", "50", "--learn", "100", "--dimension", "32", "--clusters", "20",
        "--intrinsic-dimension", "4", "--out", synth)
    with open(f"{synth}/base.fbin", "rb") as f:
        check("synth writes the base set", struct.unpack("<ii", f.read(8)) == (4000, 32))
    synth_bench = os.path.join(work, "synth.json")
    run("bench", "--dataset", synth, "--ef", "64", "--json", synth_bench)
    curve = [s for s in json.load(open(synth_bench))["systems"] if s["name"] == "refer"][0]["curve"]
    check("bench on the synthetic set reaches recall 0.95 at ef 64", curve[0]["recall"] >= 0.95, curve)

    # Benchmarks/scaling (issue 8's interface) at two sizes of that set, against hnswlib
    venv_python = os.path.join(os.environ.get("REFER_VENV", os.path.expanduser("~/.cache/refer/venv")), "bin", "python")
    scaling_json = os.path.join(work, "scaling.json")
    p = subprocess.run([venv_python, "Benchmarks/scaling.py", "--refer", REFER, "--dataset", synth, "--sizes", "2000,4000",
                        "--systems", "refer,refer-f16,hnswlib", "--rounds", "1", "--ef", "16,64,128", "--json", scaling_json],
                       capture_output=True, text=True)
    check("Benchmarks/scaling runs", p.returncode == 0, p.stderr[-2000:])
    report = json.load(open(scaling_json))
    check("scaling JSON has a point per size", [point["n"] for point in report["points"]] == [2000, 4000], report["points"])
    check("scaling points carry every system with peak memory and a curve",
          all([s["name"] for s in point["systems"]] == ["refer", "refer-f16", "hnswlib"]
              and all(s["peak_rss_bytes"] > 0 and s["curve"] for s in point["systems"]) for point in report["points"]))
    check("scaling fits build-time exponents", set(report["exponents"]) == {"refer", "refer-f16", "hnswlib"}, report["exponents"])
    check("scaling prints ratios to hnswlib at both recalls", "x@.95" in p.stdout and "x@.99" in p.stdout and "build x" in p.stdout, p.stdout)
    again = subprocess.run([venv_python, "Benchmarks/scaling.py", "--report", scaling_json, "--plot", os.path.join(work, "again.png")],
                           capture_output=True, text=True)
    check("scaling --report prints the same table", again.returncode == 0 and again.stdout.splitlines()[:7] == p.stdout.splitlines()[:7],
          again.stdout + again.stderr)

    # eval goldstandard (the full gold standard: about half a minute)
    gold = os.path.join(work, "gold.json")
    run("eval", "goldstandard", f"{SHARED}/goldstandard", "--json", gold)
    g = json.load(open(gold))
    check("eval goldstandard reports loss per dataset", len(g["loss_per_dataset"]) == 10 and 0.15 < g["loss"] < 0.3, g.get("loss"))
    check("eval goldstandard reports easy and hard accuracy", 0 < g["hard_accuracy"] < 1 and 0 < g["easy_accuracy"] < 1)

    print(f"cli_test: {len(passed)} checks passed")


if __name__ == "__main__":
    start = time.time()
    try:
        main()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"cli_test: {time.time() - start:.0f} s")
