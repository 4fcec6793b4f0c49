import Foundation

/// Plain-text rendering of a ``BenchReport``.
public enum BenchTable {
    public static func render(_ report: BenchReport) -> String {
        var out = "dataset \(report.dataset), k = \(report.k)\n"
        for s in report.systems {
            out += String(format: "\n%@: build %.2f s, %.0f bytes/vector", s.name, s.build_s, s.bytes_per_vector)
            if let rss = s.peak_rss_bytes { out += String(format: ", peak RSS %.0f MiB", Double(rss) / 1048576) }
            out += "\n" + pad(["ef", "recall", "QPS", "p50 us", "p99 us", "ndis"]) + "\n"
            for p in s.curve {
                out += pad(["\(p.ef)", String(format: "%.4f", p.recall), String(format: "%.0f", p.qps),
                            String(format: "%.1f", p.p50_us), String(format: "%.1f", p.p99_us), String(format: "%.0f", p.ndis)]) + "\n"
            }
        }
        return out
    }

    static func pad(_ cells: [String]) -> String {
        cells.map { $0.count >= 10 ? $0 : String(repeating: " ", count: 10 - $0.count) + $0 }.joined(separator: " ")
    }
}
