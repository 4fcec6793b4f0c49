import EarlyTermination
/// The JSON every benchmark writes, ours and the peers' alike:
/// `{"dataset", "k", "systems": [{"name", "build_s", "bytes_per_vector", "curve": [...]}]}`.
public struct BenchReport: Codable, Sendable {
    public var dataset: String
    public var k: Int
    public var systems: [BenchSystem]

    public init(dataset: String, k: Int, systems: [BenchSystem]) {
        self.dataset = dataset; self.k = k; self.systems = systems
    }
}

public struct BenchSystem: Codable, Sendable {
    public var name: String
    public var build_s: Double
    public var bytes_per_vector: Double
    public var peak_rss_bytes: Int?
    public var build_threads: Int?
    public var params: [String: String]?
    public var curve: [BenchPoint]

    public init(name: String, build_s: Double, bytes_per_vector: Double, peak_rss_bytes: Int?,
                build_threads: Int?, params: [String: String]?, curve: [BenchPoint]) {
        self.name = name; self.build_s = build_s; self.bytes_per_vector = bytes_per_vector
        self.peak_rss_bytes = peak_rss_bytes; self.build_threads = build_threads
        self.params = params; self.curve = curve
    }
}

public struct BenchPoint: Codable, Sendable {
    /// The beam width (fixed-ef points) or, for learned termination, 0.
    public var ef: Int
    /// For learned termination: the recall the model was tuned for.
    public var target_recall: Double?
    public var recall: Double
    public var qps: Double
    public var p50_us: Double
    public var p99_us: Double
    /// Mean latency of the queries each timed on its own (the same way for every
    /// refer curve, so fixed and learned compare fairly).
    public var mean_us: Double?
    public var ndis: Double
    /// The standard error of `recall` over the queries (``recallStandardError``): how far
    /// the same search's recall may move on another query set of this size.
    public var recall_se: Double? = nil
    /// Mean CPU time of the thread per query over the latency pass (`mean_us` less any time
    /// the thread was not running: on a shared machine, the part of latency that is the search's own).
    public var cpu_us: Double? = nil
}

extension BenchPoint {
    /// Point by point, the median of each timing over rounds of the same curve
    /// (recall and evaluations do not change between rounds).
    public static func medians(_ rounds: [[BenchPoint]]) -> [BenchPoint] {
        guard var out = rounds.first else { return [] }
        func median(_ values: [Double]) -> Double { let s = values.sorted(); return s[s.count / 2] }
        for i in out.indices {
            let same = rounds.map { $0[i] }
            out[i].qps = median(same.map(\.qps))
            out[i].p50_us = median(same.map(\.p50_us))
            out[i].p99_us = median(same.map(\.p99_us))
            if same.allSatisfy({ $0.cpu_us != nil }) { out[i].cpu_us = median(same.map { $0.cpu_us! }) }
            out[i].mean_us = median(same.compactMap(\.mean_us))
        }
        return out
    }
}
