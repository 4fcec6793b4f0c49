import EarlyTermination
import Foundation
import HNSW
import Kernels
import Storage
import Tuning
import VectorIO

/// Tunes learned early termination (``TerminationTuner``) on a store's own index and keeps
/// the models in the store (``StoreTermination``), so that every search can ask for a
/// recall instead of an ef.
///
/// The queries are given (an `.fbin`, or texts the caller embedded), or sampled from the
/// stored papers: then each sampled paper is deleted from a private copy of the index
/// (deleted nodes still route the walk but are never results, and the copy keeps the
/// graph's fingerprint) and left out of the exact neighbours, so a query never finds
/// itself, as a new draft would not. The exact neighbours come from sgemm over the
/// stored vectors (``ExactSearch``). The last fifth of the queries is held out (the
/// tuner's split); each model, and each target's plain beam (the smallest ef on a ladder),
/// must reach its target there (by ``confidence`` standard errors of the held-out recall);
/// their held-out recall and evaluations are kept.
public struct StoreTuner {
    public var targets: [Double]
    public var k = 10
    /// The target a search without `recall` uses (default: the highest target at most 0.95, else the lowest).
    public var defaultRecall: Double?
    /// Papers sampled as queries when none are given (at most 5% of the store, so the
    /// held-out deletions never trigger a consolidation that would change the graph).
    public var sampleSize = 10_000
    public var seed: UInt64 = 42
    /// Held-out recall reaches each target by this many of its standard errors (the tuner's
    /// ``TerminationTuner/confidence``), and so does each target's plain beam. 0, the default:
    /// the estimate reaches the target (unseen queries land within about 0.005 of it); 1: one
    /// standard error above (they reach it, at the cost of the saving over ef search at 0.95).
    public var confidence = 0.0
    /// Threads for the tuner's measurements.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var log: (String) -> Void = { _ in }

    public init(targets: [Double]) { self.targets = targets.sorted() }

    /// The ef values a plain beam is tried at, smallest first.
    static let efLadder = [10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024, 1536, 2048, 4096]

    /// Tunes `store`'s index on `queries` (nil: sampled stored papers) and saves the models
    /// in the store. `queriesName` says where given queries came from.
    public func tune(_ store: PaperStore, queries given: Matrix<Float>?, queriesName: String) throws -> StoreTermination {
        guard !targets.isEmpty, targets.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw StoreError("target recalls must be in (0, 1], got \(targets)")
        }
        if let d = defaultRecall, !targets.contains(where: { abs($0 - d) < 1e-9 }) {
            throw StoreError("the default recall \(d) is not among the targets \(targets)")
        }
        let index = try store.indexCopy()
        let slots = index.withPersistentState { $0.header.slotCount }
        let live = (0..<slots).map(UInt32.init).filter(index.isLive)
        guard live.count >= 1_000 else {
            throw StoreError("\(store.path) holds \(live.count) papers; tuning needs at least 1,000 (a small store is searched well with a fixed ef)")
        }
        guard k <= live.count / 10 else { throw StoreError("k \(k) is too large for \(live.count) papers") }
        let dim = index.dimension

        // Queries: given, or sampled papers deleted from the copy (never their own answer).
        var queries: [[Float]], sampled = Set<UInt32>()
        if let given {
            guard given.columns == dim else { throw StoreError("the queries have \(given.columns) dimensions, the store \(dim)") }
            queries = (0..<given.rows).map { given.row($0) }
        } else {
            let room = Int(0.05 * Double(slots)) - (slots - live.count)
            let n = min(sampleSize, max(0, room))
            var rng = SplitMix64(seed: seed), order = live
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            queries = []
            for node in order.prefix(n) {
                guard let v = index.storedVector(node) else { continue }
                queries.append(v)
                sampled.insert(node)
                try index.remove(node)
            }
        }
        guard queries.count >= 100 else { throw StoreError("\(queries.count) queries are too few to tune; give at least 100") }
        log("\(queries.count) queries (\(given == nil ? "sampled stored papers, each left out of the index" : queriesName)), \(live.count) papers")

        // Exact neighbours over the papers the queries may find.
        let candidates = live.filter { !sampled.contains($0) }
        let base = Matrix<Float>(rows: candidates.count, columns: dim)
        for (r, node) in candidates.enumerated() {
            guard let v = index.storedVector(node) else { throw StoreError("node \(node) has no vector") }
            (base.mutableBase + r * dim).update(from: v, count: dim)
        }
        let q = Matrix<Float>(rows: queries.count, columns: dim, elements: queries.flatMap { $0 })
        let exact = try ExactSearch.search(base: base, queries: q, k: k, metric: index.metric).ids
        let truths = (0..<queries.count).map { i in exact[i].map { candidates[Int($0)] } }
        log("exact neighbours by sgemm")

        var tuner = TerminationTuner()
        tuner.k = k
        tuner.log = log
        tuner.threads = threads
        tuner.confidence = confidence
        let models = try tuner.tune(index, queries: queries, truths: truths, targets: targets)

        // Held out: the tuner's last fifth.
        let heldOut = Array(queries.count * 4 / 5..<queries.count)
        typealias Measured = (recall: Double, error: Double, evaluations: Double)
        func measure(_ search: ([Float], inout SearchStats) throws -> [Neighbor]) throws -> Measured {
            var recalls: [Double] = [], evaluations = 0
            for i in heldOut {
                var stats = SearchStats()
                let found = try search(queries[i], &stats)
                recalls.append(Double(found.filter { truths[i].contains($0.id) }.count) / Double(k))
                evaluations += stats.distanceCount
            }
            return (recalls.reduce(0, +) / Double(heldOut.count), standardErrorOfMean(recalls), Double(evaluations) / Double(heldOut.count))
        }
        var plainCurve: [(ef: Int, measured: Measured)] = []
        func plain(reaching target: Double) throws -> (ef: Int, measured: Measured) {
            func reaches(_ m: Measured) -> Bool { m.recall - confidence * m.error >= target }
            for ef in Self.efLadder where ef >= k {
                if let known = plainCurve.first(where: { $0.ef == ef }) { if reaches(known.measured) { return known } else { continue } }
                let m = try measure { v, stats in try v.withUnsafeBufferPointer { try index.search($0, k: k, ef: ef, stats: &stats) } }
                plainCurve.append((ef, m))
                if reaches(m) { return (ef, m) }
            }
            return plainCurve.last!
        }
        var out: [StoreTermination.Target] = []
        for (target, model) in zip(targets, models) {
            let learned = try measure { v, stats in try index.search(v, k: k, termination: model, stats: &stats) }
            let p = try plain(reaching: target)
            log(String(format: "target %.3f: held-out recall %.4f ± %.4f with %.0f evaluations; plain ef %d: %.4f ± %.4f with %.0f",
                       target, learned.recall, learned.error, learned.evaluations, p.ef, p.measured.recall, p.measured.error, p.measured.evaluations))
            out.append(.init(TunedTarget(target_recall: target, held_out_recall: learned.recall, mean_evaluations: learned.evaluations,
                                         plain_ef: p.ef, plain_recall: p.measured.recall, plain_mean_evaluations: p.measured.evaluations,
                                         predicts: model.predictionName), model: model))
        }
        let formatter = ISO8601DateFormatter()
        let tuned = StoreTermination(k: k, papers: live.count,
                                     default_recall: defaultRecall ?? targets.last { $0 <= 0.95 + 1e-9 } ?? targets[0],
                                     queries: given == nil ? "stored papers" : queriesName, query_count: queries.count,
                                     held_out_count: heldOut.count, tuned_at: formatter.string(from: Date()), targets: out)
        try store.setTermination(tuned)
        return tuned
    }
}
