import Dispatch
import EarlyTermination
import Foundation
import HNSW
import Kernels
import VectorIO

/// Builds an index over a dataset and measures recall, single-thread QPS, latency
/// percentiles and distance evaluations for each ef: the numbers `refer bench` prints.
public struct BenchRunner {
    public var k = 10
    public var m = 16
    public var efConstruction = 200
    public var buildThreads = 2
    public var efs = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512]
    /// When set: load the index from this file if it exists (build time then reads as
    /// the stored build's), else build and save it there.
    public var indexPath: String?
    /// Traverse codes and re-rank with the stored Float32 or Float16 vectors.
    public var quantized = false
    /// Bits a component of the traversal codes: 8 or 4.
    public var codeBits = 8
    /// The stored form of the vectors: float16 is reported as "refer-f16", int8 (codes
    /// only, no Float32 kept) as "refer-sq8".
    public var storage = VectorStorage.float32
    /// Rows copied into the index per step of the build; after each step the base
    /// file's pages for those rows are released, so the file and the index's copy are
    /// never both resident.
    public static let buildBlockRows = 16_384
    public var log: @Sendable (String) -> Void = { FileHandle.standardError.write(($0 + "\n").data(using: .utf8)!) }
    /// Build progress (vectors inserted, total); without it, a log line every 16k vectors.
    public var buildProgress: (@Sendable (Int, Int) -> Void)?

    public init() {}

    public func run(_ data: BenchDataset) throws -> BenchSystem {
        let (index, buildSeconds) = try prepareIndex(data)
        return system(named: systemName, index, data, buildSeconds: buildSeconds, curve: try fixedCurve(index, data))
    }

    /// The name this configuration reports under.
    public var systemName: String {
        let codes = quantized ? (codeBits == 8 ? "-int8" : "-q\(codeBits)") : ""
        switch storage {
        case .float32: return "refer" + codes
        case .float16: return "refer-f16" + codes
        case .int8: return "refer-sq8"
        }
    }

    /// The index for `data`: loaded from `indexPath` when it holds one, else built (and saved there).
    public func prepareIndex(_ data: BenchDataset) throws -> (HNSWIndex, Double) {
        guard !quantized || storage != .int8 else {
            throw SearchInputError("--quantized re-ranks with Float32 or Float16 vectors; int8 storage already walks its codes")
        }
        let config = HNSWConfiguration(dimension: data.base.columns, metric: data.metric, m: m, efConstruction: efConstruction,
                                       storage: storage)
        let log = self.log
        var buildSeconds = 0.0
        let index: HNSWIndex
        if let indexPath, FileManager.default.fileExists(atPath: indexPath) {
            index = try HNSWIndex.load(from: indexPath)
            var stored = index.configuration
            stored.traversalCodeBits = nil   // checked below, against --quantized
            guard stored == config, index.count == data.base.rows else {
                throw SearchInputError("\(indexPath) was built with other parameters or data; delete it to rebuild")
            }
            log("  loaded \(indexPath) (build time not measured)")
        } else {
            index = try HNSWIndex(config, capacity: data.base.rows)
            let start = DispatchTime.now()
            let progress = buildProgress
            let total = data.base.rows
            for first in stride(from: 0, to: total, by: Self.buildBlockRows) {
                let rows = first..<min(total, first + Self.buildBlockRows)
                let block = UnsafeBufferPointer(rebasing: data.base.elements[(rows.lowerBound * data.base.columns)..<(rows.upperBound * data.base.columns)])
                try index.add(block, threads: buildThreads) { done, _ in
                    let all = first + done
                    if let progress { progress(all, total) } else if all % 16384 < 1024 || all == total { log("  build \(all)/\(total)") }
                }
                data.base.releaseResidentPages(rows: rows)
            }
            buildSeconds = seconds(since: start)
            log("  built \(data.base.rows) vectors in \(String(format: "%.2f", buildSeconds)) s with \(buildThreads) threads")
            if quantized {
                let q0 = DispatchTime.now()
                try index.enableQuantizedTraversal(bits: codeBits)
                let extra = seconds(since: q0)
                buildSeconds += extra
                log("  encoded \(codeBits)-bit codes in \(String(format: "%.2f", extra)) s")
            }
            if let indexPath { try index.save(to: indexPath) }
        }
        guard index.traversalCodeBits == (quantized ? codeBits : nil) else {
            let stored = index.traversalCodeBits.map { "\($0)-bit codes" } ?? "no traversal codes"
            throw SearchInputError("\(indexPath ?? "index"): stored with \(stored); use another --index file")
        }
        return (index, buildSeconds)
    }

    /// Recall, QPS, latency and evaluations for every fixed ef.
    public func fixedCurve(_ index: HNSWIndex, _ data: BenchDataset) throws -> [BenchPoint] {
        var curve: [BenchPoint] = []
        // One untimed pass so page faults and cold caches are not charged to the first ef.
        _ = try index.searchBatch(data.queries.elements, k: k, ef: efs.first ?? 10)
        for ef in efs {
            // QPS: the whole query set through the batch API on one thread.
            var stats = SearchStats()
            let start = DispatchTime.now()
            let results = try index.searchBatch(data.queries.elements, k: k, ef: ef, threads: 1, stats: &stats)
            let elapsed = seconds(since: start)
            let found = results.map { $0.map { Int32($0.id) } }
            // Latency: every query on its own.
            let cpuStart = threadCPUSeconds()
            let times = try latencies(index, data, ef: ef)
            let cpu = (threadCPUSeconds() - cpuStart) / Double(data.queries.rows) * 1e6
            let sorted = times.sorted()
            curve.append(BenchPoint(ef: ef, target_recall: nil, recall: recall(found: found, truth: data.groundTruth, k: k),
                                    qps: Double(data.queries.rows) / elapsed,
                                    p50_us: sorted[sorted.count / 2] * 1e6,
                                    p99_us: percentile99(sorted)! * 1e6,
                                    mean_us: sorted.reduce(0, +) / Double(sorted.count) * 1e6,
                                    ndis: Double(stats.distanceCount) / Double(data.queries.rows),
                                    recall_se: recallStandardError(found: found, truth: data.groundTruth, k: k), cpu_us: cpu))
        }
        return curve
    }

    /// The two adjacent efs whose recall on the query set brackets each model's: with them
    /// in the fixed sweep, fixed ef at a model's recall is interpolated between
    /// neighbouring efs, not across a wide gap of the sweep, where the convex cost of
    /// recall would flatter the model. (Recall only, one untimed pass per ef tried.)
    public func efsBracketing(_ index: HNSWIndex, _ data: BenchDataset, models: [LearnedTermination]) throws -> [Int] {
        var recallAt: [Int: Double] = [:]
        func fixedRecall(_ ef: Int) throws -> Double {
            if let known = recallAt[ef] { return known }
            let found = try index.searchBatch(data.queries.elements, k: k, ef: ef, threads: 1).map { $0.map { Int32($0.id) } }
            let r = recall(found: found, truth: data.groundTruth, k: k)
            recallAt[ef] = r
            return r
        }
        var out: [Int] = []
        for model in models {
            var stats = SearchStats(), found: [[Int32]] = []
            for q in 0..<data.queries.rows { found.append(try index.search(data.queries.row(q), k: k, termination: model, stats: &stats).map { Int32($0.id) }) }
            let target = recall(found: found, truth: data.groundTruth, k: k)
            // The smallest ef reaching the model's recall, by doubling then bisection.
            var lo = k, hi = k
            while try fixedRecall(hi) < target && hi < 8192 { lo = hi; hi *= 2 }
            while hi - lo > 1 { let mid = (lo + hi) / 2; if try fixedRecall(mid) >= target { hi = mid } else { lo = mid } }
            out += [max(k, hi - 1), hi]
        }
        return out
    }

    /// One point per model, measured as ``fixedCurve(_:_:)`` measures an ef: the whole
    /// query set on one thread timed as one (QPS), then every query again, each timed on
    /// its own (latency). The first pass also leaves the caches as the fixed curve's
    /// first pass leaves them for its latencies, so both are timed alike.
    public func learnedCurve(_ index: HNSWIndex, _ data: BenchDataset, models: [(target: Double, model: LearnedTermination)]) throws -> [BenchPoint] {
        let queries = (0..<data.queries.rows).map { data.queries.row($0) }
        return try models.map { target, model in
            var stats = SearchStats()
            var found: [[Int32]] = []
            found.reserveCapacity(queries.count)
            let start = DispatchTime.now()
            for query in queries { found.append(try index.search(query, k: k, termination: model, stats: &stats).map { Int32($0.id) }) }
            let elapsed = seconds(since: start)
            var latencies: [Double] = []
            latencies.reserveCapacity(queries.count)
            var unused = SearchStats()
            let cpuStart = threadCPUSeconds()
            for query in queries {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try index.search(query, k: k, termination: model, stats: &unused)
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            let cpu = (threadCPUSeconds() - cpuStart) / Double(queries.count) * 1e6
            let sorted = latencies.sorted()
            return BenchPoint(ef: 0, target_recall: target, recall: recall(found: found, truth: data.groundTruth, k: k),
                              qps: Double(queries.count) / elapsed,
                              p50_us: sorted[sorted.count / 2] * 1e6, p99_us: percentile99(sorted)! * 1e6,
                              mean_us: sorted.reduce(0, +) / Double(sorted.count) * 1e6, ndis: Double(stats.distanceCount) / Double(data.queries.rows),
                              recall_se: recallStandardError(found: found, truth: data.groundTruth, k: k), cpu_us: cpu)
        }
    }

    public func system(named name: String, _ index: HNSWIndex, _ data: BenchDataset, buildSeconds: Double,
                       curve: [BenchPoint]) -> BenchSystem {
        BenchSystem(name: name, build_s: buildSeconds,
                           bytes_per_vector: Double(index.memoryBytes) / Double(data.base.rows),
                           peak_rss_bytes: peakResidentBytes(), build_threads: buildThreads,
                           params: ["m": "\(m)", "ef_construction": "\(efConstruction)", "metric": data.metric.rawValue,
                                    "isa": KernelTable.best.isa.rawValue],
                           curve: curve)
    }

    /// Every query once, one thread, each timed on its own (seconds).
    private func latencies(_ index: HNSWIndex, _ data: BenchDataset, ef: Int) throws -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(data.queries.rows)
        var stats = SearchStats()
        for q in 0..<data.queries.rows {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try index.search(data.queries[q], k: k, ef: ef, stats: &stats)
            out.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return out
    }
}

/// CPU time the calling thread has used, in seconds.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// The process's peak resident set size in bytes (Linux reports kilobytes).
public func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}
