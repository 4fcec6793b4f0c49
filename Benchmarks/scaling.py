#!/usr/bin/env python3
"""Cost growth with N: for each size, one run of compare.py (refer and its peers, same
parameters, search in rounds) on the first N base vectors of the dataset (ground truth
recomputed exactly for a cut base). Reports per size and system: build seconds, peak
resident memory, bytes per vector, QPS at recall@k 0.95 and 0.99, mean distance
evaluations at 0.95; a log-log PNG of build time, QPS and evaluations against N; and the
fitted growth exponents (least squares on log-log) of build time and of evaluations per
query. JSON: {"dataset", "k", "points": [{"n", "systems": [<bench system objects>]}],
"exponents": {system: {"build_s": e, "ndis_at_0.95": e}}}.
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
    p.add_argument("--refer", required=True)
    p.add_argument("--dataset", required=True)
    p.add_argument("--sizes", required=True, help="comma-separated base sizes")
    p.add_argument("--systems", default="refer,hnswlib")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--build-threads", type=int, default=2)
    p.add_argument("--ef", default="10,16,24,32,48,64,96,128,192,256,384,512")
    p.add_argument("--json", required=True)
    p.add_argument("--plot", help="PNG path (default: the JSON path with .png)")
    args = p.parse_args()
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

    names = [s["name"] for s in points[0]["systems"]]
    rows, series = [], {name: {"n": [], "build_s": [], "qps95": [], "ndis95": []} for name in names}
    for point in points:
        base = {s["name"]: s for s in point["systems"]}.get("hnswlib")
        for s in point["systems"]:
            q95, q99 = qps_at(s["curve"], 0.95), qps_at(s["curve"], 0.99)
            nd95 = at_recall(s["curve"], 0.95, "ndis")
            ratio = q95 / qps_at(base["curve"], 0.95) if base and q95 and qps_at(base["curve"], 0.95) else None
            peak = s.get("peak_rss_bytes", 0)
            peak_ratio = peak / base["peak_rss_bytes"] if base and base.get("peak_rss_bytes") else None
            rows.append((point["n"], s["name"], s["build_s"], peak / 2**20, peak / point["n"], s.get("bytes_per_vector"),
                         q95, q99, nd95, ratio, peak_ratio))
            for key, value in (("n", point["n"]), ("build_s", s["build_s"]), ("qps95", q95), ("ndis95", nd95)):
                series[s["name"]][key].append(value)
    exponents = {name: {"build_s": slope(v["n"], v["build_s"]), "ndis_at_0.95": slope(v["n"], v["ndis95"])}
                 for name, v in series.items()}
    report = {"dataset": os.path.basename(os.path.normpath(args.dataset)), "k": args.k, "points": points, "exponents": exponents}
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(report, f, indent=1)

    fmt = lambda v, spec: "-" if v is None else format(v, spec)
    # B/vec: the index's own count (refer) or resident growth over the build (peers);
    # peak B/vec: the process's peak resident size over N, everything included.
    print(f"{'N':>9} {'system':<13} {'build s':>8} {'peak MiB':>9} {'peak B/vec':>10} {'B/vec':>7} {'QPS@.95':>9} {'QPS@.99':>9} {'ndis@.95':>9} {'QPS x hnsw':>10} {'peak x hnsw':>11}")
    for n, name, build, rss, peak_bpv, bpv, q95, q99, nd, ratio, peak_ratio in rows:
        print(f"{n:>9} {name:<13} {build:>8.1f} {rss:>9.0f} {peak_bpv:>10.0f} {fmt(bpv, '>7.0f')} {fmt(q95, '>9.0f')} {fmt(q99, '>9.0f')} {fmt(nd, '>9.0f')} {fmt(ratio, '>10.2f')} {fmt(peak_ratio, '>11.2f')}")
    for point in points:
        by = {s["name"]: s for s in point["systems"]}
        if "refer" in by and "refer-1thread" in by and by["refer"]["build_s"]:
            print(f"N = {point['n']}: refer build with {by['refer'].get('build_threads', args.build_threads)} threads is "
                  f"{by['refer-1thread']['build_s'] / by['refer']['build_s']:.2f}x faster than with 1 "
                  f"({by['refer-1thread']['build_s']:.1f} s vs {by['refer']['build_s']:.1f} s)")
    for name, e in exponents.items():
        print(f"growth exponent, {name}: build time {fmt(e['build_s'], '.2f')}, distance evaluations at 0.95 {fmt(e['ndis_at_0.95'], '.2f')}")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
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
    fig.suptitle(f"{report['dataset']}: cost against N (k={args.k}, M={args.m}, efC={args.ef_construction})")
    fig.tight_layout()
    png = args.plot or os.path.splitext(args.json)[0] + ".png"
    fig.savefig(png, dpi=110)
    print(f"wrote {args.json} and {png}")


if __name__ == "__main__":
    main()
