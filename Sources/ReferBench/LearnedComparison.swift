import Foundation

/// Learned termination against fixed ef at equal recall: for each learned point, the
/// fixed-ef curve's mean and p99 latency interpolated (log-linear in recall) at the
/// learned point's recall.
public enum LearnedComparison {
    /// - rounds: each round's fixed curve and learned points (in `learned`'s order); with
    ///   two or more, a column gives the lowest and highest x of a single round, so the
    ///   machine's noise is read next to the median's x.
    public static func render(fixed: [BenchPoint], learned: [BenchPoint],
                              rounds: [(fixed: [BenchPoint], learned: [BenchPoint])] = []) -> String {
        var out = "\nlearned termination vs fixed ef at equal recall (single thread):\n"
        let spread = rounds.count > 1
        out += BenchTable.pad(["target", "recall", "± se", "mean us", "fixed us", "x"] + (spread ? ["x rounds"] : [])
                              + ["cpu x", "p99 us", "fixed p99", "ndis", "fixed ndis"]) + "\n"
        for (i, p) in learned.enumerated() {
            let mean = meanLatency(p)
            let fixedMean = interpolate(fixed, at: p.recall, meanLatency)
            let fixedP99 = interpolate(fixed, at: p.recall) { $0.p99_us }
            let fixedNdis = interpolate(fixed, at: p.recall) { $0.ndis }
            let fixedCPU = fixed.allSatisfy({ $0.cpu_us != nil }) ? interpolate(fixed, at: p.recall) { $0.cpu_us! } : nil
            let cpuRatio = p.cpu_us.flatMap { cpu in fixedCPU.map { $0 / cpu } }
            func f(_ v: Double?, _ spec: String) -> String { v.map { String(format: spec, $0) } ?? "-" }
            let perRound = rounds.compactMap { r -> Double? in
                guard i < r.learned.count else { return nil }
                let l = r.learned[i]
                return interpolate(r.fixed, at: l.recall, meanLatency).map { $0 / meanLatency(l) }
            }
            let range = perRound.isEmpty ? "-" : String(format: "%.2f-%.2f", perRound.min()!, perRound.max()!)
            out += BenchTable.pad([f(p.target_recall, "%.3f"), String(format: "%.4f", p.recall), f(p.recall_se, "%.4f"),
                                   String(format: "%.1f", mean),
                                   f(fixedMean, "%.1f"), f(fixedMean.map { $0 / mean }, "%.2f")] + (spread ? [range] : [])
                                  + [f(cpuRatio, "%.2f"), String(format: "%.1f", p.p99_us),
                                   f(fixedP99, "%.1f"), String(format: "%.0f", p.ndis), f(fixedNdis, "%.0f")]) + "\n"
        }
        return out + "(x = fixed mean latency / learned mean latency, both from the same queries each timed on its own;\n fixed figures interpolated at the learned recall;\n" + (spread ? " x rounds = the lowest and highest x of one round (fixed and learned measured in turn);\n" : "") + " se = standard error of the recall over these queries;\n cpu x = the same ratio of the thread's CPU time per query, which leaves out time the thread was not running)\n"
    }

    /// Mean latency of a point in microseconds (from its QPS when it has no per-query timings).
    static func meanLatency(_ p: BenchPoint) -> Double { p.mean_us ?? 1e6 / p.qps }

    /// `value` of the fixed curve at `recall`, or nil outside the measured range.
    static func interpolate(_ curve: [BenchPoint], at recall: Double, _ value: (BenchPoint) -> Double) -> Double? {
        let pts = curve.sorted { $0.recall < $1.recall }
        for (a, b) in zip(pts, pts.dropFirst()) where a.recall <= recall && recall <= b.recall && b.recall > a.recall {
            let t = (recall - a.recall) / (b.recall - a.recall)
            return exp(log(value(a)) + t * (log(value(b)) - log(value(a))))
        }
        return nil
    }
}
