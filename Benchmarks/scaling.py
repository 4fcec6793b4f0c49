#!/usr/bin/env python3
"""Cost growth with N: for each size, one run of compare.py (refer and its peers, same
parameters, search in rounds) on the first N base vectors of the dataset (ground truth
recomputed exactly for a cut base). Reports per size and system: build seconds, peak
resident memory, bytes per vector, QPS at recall@k 0.95 and 0.99, mean distance
evaluations at 0.95; a log-log PNG of build time, QPS and evaluations against N; and the
fitted growth exponents (least squares on log-log) of build time and of evaluations per
query. JSON: {"dataset", "k", "points": [{"n", "systems": [<bench system objects>]}],
"exponents": {system: {"build_s": e, "ndis_at_0.95": e}}}. The table also gives each system's
QPS at 0.95 and 0.99, build time and peak memory over hnswlib's in the same run; `--report JSON`
prints the table and draws the plot of an earlier run again without running anything.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import qps_at  # noqa: E402


def at_recall(curve, target, field):
    """A curve field interpolated linearly at a recall target (None if never reached)."""
    pts = sorted((p["recall"], p.get(field)) for p in curve if p.get(field) is not None)
    if not pts or pts[-1][0] < target:
        return None
    for (r0, v0), (r1, v1) in zip(pts, pts[1:]):
        if r0 <= target <= r1 and r1 > r0:
            return v0 + (target - r0) / (r1 - r0) * (v1 - v0)
    return min(v for r, v in pts if r >= target)


def slope(xs, ys):
    """Least-squares slope of log y against log x."""
    pairs = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x and y]
    if len(pairs) < 2:
        return None
    mx = sum(p[0] for p in pairs) / len(pairs)
    my = sum(p[1] for p in pairs) / len(pairs)
    den = sum((p[0] - mx) ** 2 for p in pairs)
    return sum((p[0] - mx) * (p[1] - my) for p in pairs) / den if den else None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--refer", help="the refer binary (the Benchmarks/scaling wrapper passes it)")
    p.add_argument("--dataset")
    p.add_argument("--sizes", help="comma-separated base sizes")
    p.add_argument("--systems", default="refer,hnswlib")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--build-threads", type=int, default=2)
    p.add_argument("--ef", default="10,16,24,32,48,64,96,128,192,256,384,512")
    p.add_argument("--json", help="where the report goes")
    p.add_argument("--plot", help="PNG path (default: the JSON path with .png)")
    p.add_argument("--report", metavar="JSON", help="print the table and draw the plot of an earlier run's JSON; runs nothing")
    args = p.parse_args()
    if args.report:
        with open(args.report) as f:
            report = json.load(f)
        print_report(report, build_threads=args.build_threads)
        plot(report, args.plot or os.path.splitext(args.report)[0] + ".png", m=args.m, ef_construction=args.ef_construction)
        return
    if not (args.refer and args.dataset and args.sizes and args.json):
        p.error("--refer, --dataset, --sizes and --json are needed (or --report JSON)")
    sizes = [int(s) for s in args.sizes.split(",")]

    points = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            out = os.path.join(tmp, f"n{n}.json")
            cmd = [sys.executable, os.path.join(HERE, "compare.py"), "--refer", args.refer, "--dataset", args.dataset,
                   "--systems", args.systems, "--rounds", str(args.rounds), "--k", str(args.k), "--m", str(args.m),
                   "--ef-construction", str(args.ef_construction), "--build-threads", str(args.build_threads),
                   "--ef", args.ef, "--base-limit", str(n), "--json", out, "--plot", os.path.join(tmp, f"n{n}.png")]
            print(f"== N = {n}", file=sys.stderr, flush=True)
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            with open(out) as f:
                points.append({"n": n, "systems": json.load(f)["systems"]})

    report = {"dataset": os.path.basename(os.path.normpath(args.dataset)), "k": args.k, "points": points}
    report["exponents"] = growth(points)[1]
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(report, f, indent=1)
    print_report(report, build_threads=args.build_threads)
    plot(report, args.plot or os.path.splitext(args.json)[0] + ".png", m=args.m, ef_construction=args.ef_construction)
    print(f"wrote {args.json}")


def growth(points):
    """Per system: the series against N (build seconds, QPS and evaluations at 0.95) and
    the fitted growth exponents of build time and of evaluations per query."""
    names = [s["name"] for s in points[0]["systems"]]
    series = {name: {"n": [], "build_s": [], "qps95": [], "ndis95": []} for name in names}
    for point in points:
        for s in point["systems"]:
            if s["name"] not in series:
                continue
            for key, value in (("n", point["n"]), ("build_s", s["build_s"]), ("qps95", qps_at(s["curve"], 0.95)),
                               ("ndis95", at_recall(s["curve"], 0.95, "ndis"))):
                series[s["name"]][key].append(value)
    exponents = {name: {"build_s": slope(v["n"], v["build_s"]), "ndis_at_0.95": slope(v["n"], v["ndis95"])}
                 for name, v in series.items()}
    return series, exponents


def ratio(a, b):
    return a / b if a and b else None


def print_report(report, build_threads=2):
    """The table: per size and system the costs, and each as a ratio to hnswlib's in the
    same run (QPS at 0.95 and 0.99, build time, peak memory); then thread scaling and
    the growth exponents."""
    fmt = lambda v, spec: format("-", ">" + spec.split(".")[0].lstrip(">")) if v is None else format(v, spec)
    # B/vec: the index's own count (refer) or resident growth over the build (peers);
    # peak B/vec: the process's peak resident size over N, everything included.
    print(f"{'N':>9} {'system':<13} {'build s':>8} {'peak MiB':>9} {'peak B/vec':>10} {'B/vec':>7} {'QPS@.95':>9} {'QPS@.99':>9} {'ndis@.95':>9}"
          f" {'x@.95':>6} {'x@.99':>6} {'build x':>7} {'peak x':>6}")
    for point in report["points"]:
        base = {s["name"]: s for s in point["systems"]}.get("hnswlib")
        for s in point["systems"]:
            q95, q99 = qps_at(s["curve"], 0.95), qps_at(s["curve"], 0.99)
            nd = at_recall(s["curve"], 0.95, "ndis")
            peak = s.get("peak_rss_bytes", 0)
            x95 = ratio(q95, base and qps_at(base["curve"], 0.95))
            x99 = ratio(q99, base and qps_at(base["curve"], 0.99))
            build_x = ratio(s["build_s"], base and base["build_s"])
            peak_x = ratio(peak, base and base.get("peak_rss_bytes"))
            print(f"{point['n']:>9} {s['name']:<13} {s['build_s']:>8.1f} {peak / 2**20:>9.0f} {peak / point['n']:>10.0f}"
                  f" {fmt(s.get('bytes_per_vector'), '>7.0f')} {fmt(q95, '>9.0f')} {fmt(q99, '>9.0f')} {fmt(nd, '>9.0f')}"
                  f" {fmt(x95, '>6.2f')} {fmt(x99, '>6.2f')} {fmt(build_x, '>7.2f')} {fmt(peak_x, '>6.2f')}")
    for point in report["points"]:
        by = {s["name"]: s for s in point["systems"]}
        if "refer" in by and "refer-1thread" in by and by["refer"]["build_s"]:
            print(f"N = {point['n']}: refer build with {by['refer'].get('build_threads', build_threads)} threads is "
                  f"{by['refer-1thread']['build_s'] / by['refer']['build_s']:.2f}x faster than with 1 "
                  f"({by['refer-1thread']['build_s']:.1f} s vs {by['refer']['build_s']:.1f} s)")
    for name, e in growth(report["points"])[1].items():
        print(f"growth exponent, {name}: build time {fmt(e['build_s'], '.2f').strip()}, distance evaluations at 0.95 {fmt(e['ndis_at_0.95'], '.2f').strip()}")


def plot(report, png, m=16, ef_construction=200):
    """Log-log plots of build time, QPS at 0.95 and evaluations at 0.95 against N."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    series, _ = growth(report["points"])
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    for ax, key, label in zip(axes, ("build_s", "qps95", "ndis95"), ("build seconds", "QPS at recall 0.95", "distance evaluations at 0.95")):
        for name, v in series.items():
            xs = [x for x, y in zip(v["n"], v[key]) if y]
            ys = [y for y in v[key] if y]
            if xs:
                ax.loglog(xs, ys, marker="o", label=name)
        ax.set_xlabel("N (base vectors)")
        ax.set_title(label)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle(f"{report['dataset']}: cost against N (k={report['k']}, M={m}, efC={ef_construction})")
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
