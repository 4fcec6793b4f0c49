#!/usr/bin/env python3
"""Run refer and the peer libraries on one dataset and compare them.

Each system runs in its own process, one after another, with the same k, M,
efConstruction, build threads and ef list. The table gives, per system, build time,
bytes per vector, and QPS interpolated at recall@k 0.90 / 0.95 / 0.99, each also as a
ratio to hnswlib's figure from the same run. A recall-vs-QPS plot is written as PNG.

`--isa avx2|avx512|native` says which instruction set every system may use, so the AVX2
comparison can be made on an AVX-512 machine: refer through REFER_ISA, FAISS through
FAISS_OPT_LEVEL, hnswlib through a copy built from source without -march=native
(HNSWLIB_NO_NATIVE=1, -mavx2 -mfma; ~/.cache/refer/hnswlib-avx2, made on first use).
USearch, ScaNN and VSAG choose their kernels at run time and offer no switch; the report
says "native" for them. The JSON records the CPU (`cpu`: model, flags) and each
system's `isa`.

Shared machines are noisy, so the search part runs in rounds: round 1 builds every
index (timed) and saves it; rounds 2..N load the saved indexes and search again, the
systems taking turns. QPS and latencies are the median over rounds, so a burst of
load from elsewhere hits every system alike and moves no ratio much.
"""
import argparse
import json
import math
import statistics
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
from peers import add_common_args  # noqa: E402
TARGETS = (0.90, 0.95, 0.99)


def frontier(curve):
    """The curve's Pareto frontier as (recall, QPS), by recall: the points no other
    point beats on both (a grid sweep such as ScaNN's has dominated points)."""
    best, kept = 0.0, []
    for recall, qps in sorted(((p["recall"], p["qps"]) for p in curve), reverse=True):
        if qps > best:
            kept.append((recall, qps))
            best = qps
    return kept[::-1]


def qps_at(curve, target):
    """QPS at a recall target on the curve's frontier, interpolating log(QPS) linearly
    in recall between the two points around it; None when it never reaches the target."""
    pts = frontier(curve)
    if not pts or pts[-1][0] < target:
        return None
    best = None
    for (r0, q0), (r1, q1) in zip(pts, pts[1:]):
        if r0 <= target <= r1 and r1 > r0:
            t = (target - r0) / (r1 - r0)
            v = math.exp(math.log(q0) + t * (math.log(q1) - math.log(q0)))
            best = v if best is None else max(best, v)
    if best is None:  # every point is above the target: the fastest one qualifies
        best = max(q for r, q in pts if r >= target)
    return best


def combine(reports):
    """One system's rounds as one entry: build figures from round 1 (the only one that
    builds), per-ef QPS and latencies as medians over all rounds."""
    first = reports[0]["systems"][0]
    system = dict(first)
    curve = []
    for i, point in enumerate(first["curve"]):
        samples = [r["systems"][0]["curve"][i] for r in reports]
        merged = dict(point)
        for field in ("qps", "p50_us", "p99_us"):
            merged[field] = statistics.median(s[field] for s in samples)
        merged["qps_rounds"] = [s["qps"] for s in samples]
        curve.append(merged)
    system["curve"] = curve
    return system


def cpu_info():
    """The CPU this run is on: its model name and flags, from /proc/cpuinfo."""
    info = open("/proc/cpuinfo").read()
    def field(name):
        return next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith(name)), "")
    return {"model": field("model name") or field("CPU part"), "flags": field("flags") or field("Features")}


HNSWLIB_AVX2 = os.path.expanduser("~/.cache/refer/hnswlib-avx2")


def hnswlib_without_avx512():
    """A copy of hnswlib compiled for AVX2 (no AVX-512 path), built once from its sdist."""
    if not os.path.exists(os.path.join(HNSWLIB_AVX2, ".built")):
        print("building hnswlib for AVX2 into " + HNSWLIB_AVX2, file=sys.stderr, flush=True)
        env = dict(os.environ, HNSWLIB_NO_NATIVE="1", CFLAGS="-O3 -mavx2 -mfma -mf16c", CXXFLAGS="-O3 -mavx2 -mfma -mf16c")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-binary", "hnswlib",
                        "--no-deps", "--target", HNSWLIB_AVX2, "hnswlib==0.8.0"], check=True, env=env)
        open(os.path.join(HNSWLIB_AVX2, ".built"), "w").close()
    return HNSWLIB_AVX2


def isa_setting(name, isa, flags):
    """(environment additions, the ISA as stated in the report) for system `name`."""
    if isa == "native":
        return {}, "native"
    if name in REFER_VARIANTS:
        return {"REFER_ISA": isa}, isa   # the run's own JSON says what refer used
    peer = PEER_VARIANTS.get(name, (name, []))[0]
    if peer == "faiss-hnsw":
        return {"FAISS_OPT_LEVEL": isa}, isa
    if peer == "hnswlib":
        if isa == "avx2" and "avx512f" in flags:
            return {"PYTHONPATH": hnswlib_without_avx512()}, "avx2 (built with -mavx2 -mfma)"
        return {}, isa
    return {}, "native (no switch)"


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def table(report):
    systems = report["systems"]
    ref = next((s for s in systems if s["name"] == "hnswlib"), None)
    head = ["system", "build s", "x", "bytes/vec", "x"]
    for t in TARGETS:
        head += [f"QPS@{t:.2f}", "x"]
    rows = [head]
    for s in systems:
        row = [s["name"], fmt(s["build_s"], ".1f"),
               fmt(s["build_s"] / ref["build_s"] if ref else None, ".2f"),
               fmt(s["bytes_per_vector"], ".0f"),
               fmt(s["bytes_per_vector"] / ref["bytes_per_vector"] if ref else None, ".2f")]
        for t in TARGETS:
            mine = qps_at(s["curve"], t)
            theirs = qps_at(ref["curve"], t) if ref else None
            row += [fmt(mine, ".0f"), fmt(mine / theirs if mine and theirs else None, ".2f")]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
    isas = "; ".join(f"{s['name']} {s.get('isa', '?')}" for s in systems)
    return ("\n".join(lines) + "\n(x = ratio to hnswlib in this run; QPS single-thread, interpolated at recall@%d)\n" % report["k"]
            + f"cpu: {report['cpu']['model']}; --isa {report['isa']}: {isas}\n")


def plot(report, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 5))
    for s in report["systems"]:
        pts = frontier(s["curve"])
        ax.plot([r for r, _ in pts], [q for _, q in pts], marker="o", label=s["name"])
    ax.set_xlabel(f"recall@{report['k']}")
    ax.set_ylabel("queries per second (1 thread)")
    ax.set_yscale("log")
    ax.set_title(f"{report['dataset']}: recall vs QPS")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


# refer's configurations by system name: `refer bench` options added to the common ones
# (a repeated option's last value wins). Each reports under its own name.
REFER_VARIANTS = {
    "refer": [],
    "refer-int8": ["--quantized"],                 # int8 traversal, Float32 re-rank
    "refer-f16": ["--storage", "float16"],         # Float16 vectors
    "refer-compact": ["--index-form", "compact"],  # a store's compact form: int8 traversal, Float16 re-rank, M 32
    "refer-f16-int8": ["--storage", "float16", "--quantized"],   # the same walk with the common M
    "refer-f16-q4": ["--storage", "float16", "--quantized", "--code-bits", "4"],   # 4-bit traversal, Float16 re-rank
    "refer-sq8": ["--storage", "int8"],            # int8 codes only, no Float32 kept
    "refer-1thread": ["--build-threads", "1"],     # build thread scaling
}
# The stored forms --quantized adds beside plain refer.
STORED_FORMS = ["refer-int8", "refer-f16", "refer-compact", "refer-sq8"]
# Peers in another configuration: (the peer, its options added to the common ones).
PEER_VARIANTS = {
    "hnswlib-m32": ("hnswlib", ["--m", "32"]),     # the links refer's compact form uses, for a graph peer
}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--refer", required=True, help="path of the refer binary")
    p.add_argument("--dataset", required=True)
    add_common_args(p)
    p.add_argument("--quantized", action="store_true",
                   help="also run refer's other stored forms: " + ", ".join(STORED_FORMS))
    p.add_argument("--systems", default="refer,hnswlib,hnswlib-m32,faiss-hnsw,usearch,scann,scann-half,vsag")
    p.add_argument("--json", required=True)
    p.add_argument("--plot", help="PNG path (default: the JSON path with .png)")
    p.add_argument("--rounds", type=int, default=3, help="search rounds; round 1 also builds (default 3)")
    p.add_argument("--isa", choices=["native", "avx2", "avx512"], default="native",
                   help="the instruction set every system may use, as far as each allows (default: native)")
    args = p.parse_args()
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    cpu = cpu_info()
    flags = cpu["flags"].split()
    if args.isa != "native" and not {"avx2": {"avx2", "fma"}, "avx512": {"avx512f", "avx512bw"}}[args.isa] <= set(flags):
        p.error(f"--isa {args.isa}: this CPU ({cpu['model']}) lacks it")

    common = ["--dataset", args.dataset, "--k", str(args.k), "--m", str(args.m),
              "--ef-construction", str(args.ef_construction), "--build-threads", str(args.build_threads),
              "--ef", args.ef]
    if args.metric:
        common += ["--metric", args.metric]
    if args.base_limit:
        common += ["--base-limit", str(args.base_limit)]

    names = args.systems.split(",")
    if args.quantized:
        at = names.index("refer") + 1 if "refer" in names else 0
        names[at:at] = [form for form in STORED_FORMS if form not in names]
    runs = {name: [] for name in names}
    settings = {name: isa_setting(name, args.isa, flags) for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(1, args.rounds + 1):
            for name in names:
                out = os.path.join(tmp, f"{name}-{round_no}.json")
                index = os.path.join(tmp, name + ".index")
                if name in REFER_VARIANTS:
                    cmd = [args.refer, "bench", *common, *REFER_VARIANTS[name], "--index", index, "--json", out]
                else:
                    peer, extra = PEER_VARIANTS.get(name, (name, []))
                    cmd = [sys.executable, os.path.join(HERE, "peers", "peers.py"), "--system", peer, *common, *extra,
                           "--index", index, "--json", out]
                print(f"== round {round_no}/{args.rounds}: {name}", file=sys.stderr, flush=True)
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, **settings[name][0]))
                with open(out) as f:
                    run = json.load(f)
                run["systems"][0]["name"] = name   # variants of one binary report under their own name
                run["systems"][0]["isa"] = run["systems"][0].get("params", {}).get("isa") or settings[name][1]
                runs[name].append(run)
    merged = {"dataset": runs[names[0]][0]["dataset"], "k": args.k, "rounds": args.rounds,
              "cpu": cpu, "isa": args.isa, "systems": [combine(runs[name]) for name in names]}
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(merged, f, indent=1)
    print(table(merged), end="")
    png = args.plot or os.path.splitext(args.json)[0] + ".png"
    plot(merged, png)
    print(f"wrote {args.json} and {png}")


if __name__ == "__main__":
    main()
