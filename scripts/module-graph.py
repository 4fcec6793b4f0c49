#!/usr/bin/env python3
"""The module table of docs/architecture.md, its "imports" column made from Package.swift.

    python3 scripts/module-graph.py           # rewrite the column from the manifest
    python3 scripts/module-graph.py --check   # exit 1, with a diff, if the doc has drifted

Each row of the table under "## Modules" names one target (or, in one row, the system-library
module maps); its last cell is the target's dependencies in Package.swift, in the manifest's
order ("Name (package)" for a product of another package, "links X" for a linked library),
or "nothing". A target of the package missing from the table, or a row naming a target the
package lacks, is an error: the table cannot drift from the manifest. Test targets are left out.
The test command runs --check.
"""
import difflib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "architecture.md")


def targets():
    """Non-test targets: name -> (kind, [dependency as written in the table])."""
    manifest = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                         capture_output=True, text=True).stdout)
    out = {}
    for t in manifest["targets"]:
        if t["type"] == "test":
            continue
        deps = []
        for d in t.get("dependencies", []):
            kind, value = next(iter(d.items()))
            deps.append(f"{value[0]} ({value[1]})" if kind == "product" else value[0])
        for s in t.get("settings", []):
            library = s.get("kind", {}).get("linkedLibrary", {}).get("_0")
            if library:
                deps.append(f"links {library}")
        out[t["name"]] = (t["type"], deps)
    return out


def rewrite(text, known):
    lines = text.split("\n")
    start = lines.index("## Modules (dependencies point one way, top to bottom)")
    seen, errors = set(), []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.startswith("## "):
            break
        if not line.startswith("| `"):
            continue
        cells = line.split(" | ")
        names = re.findall(r"`([A-Za-z][A-Za-z0-9]*)`", cells[0])
        unknown = [n for n in names if n not in known]
        if unknown:
            errors.append(f"docs/architecture.md:{i + 1}: {', '.join(unknown)} is not a target in Package.swift")
            continue
        seen.update(names)
        if len(names) == 1:
            deps = known[names[0]][1]
            cells[-1] = (", ".join(deps) if deps else "nothing") + " |"
        elif any(known[n][0] != "system" for n in names):
            errors.append(f"docs/architecture.md:{i + 1}: a row of several modules is for system-library maps only")
        lines[i] = " | ".join(cells)
    missing = sorted(set(known) - seen)
    if missing:
        errors.append("docs/architecture.md: no row for " + ", ".join(missing) + " (targets in Package.swift)")
    return "\n".join(lines), errors


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] not in ([], ["--check"]):
        sys.exit("usage: module-graph.py [--check]")
    with open(DOC) as f:
        text = f.read()
    new, errors = rewrite(text, targets())
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        sys.exit(1)
    if check:
        if new != text:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), DOC, DOC + " (from Package.swift)"))
            print("docs/architecture.md's module table differs from Package.swift: run python3 scripts/module-graph.py", file=sys.stderr)
            sys.exit(1)
        print("module graph: docs/architecture.md matches Package.swift")
    elif new != text:
        with open(DOC, "w") as f:
            f.write(new)
        print("rewrote docs/architecture.md's imports column from Package.swift")


if __name__ == "__main__":
    main()
