import Foundation
import GBDT
import HNSW
import Kernels
import VectorIO
import XGBoostTraining

/// Trains and tunes learned early termination for one index (Li et al., SIGMOD 2020,
/// generalised to recall@k):
/// 1. exact neighbours of the training queries;
/// 2. each query's label: the level-0 distance evaluations after which all k true
///    neighbours are in its results (capped at `maxEvaluations`);
/// 3. the checkpoint T: the largest candidate budget at which at most half the
///    training queries are already solved (so the search state at T still tells
///    easy from hard, and budgets below most targets stay reachable);
/// 4. features at T, 2T, 4T, ... (`checkpoints` of them), a GBDT on log2(label)
///    over 80% of the queries;
/// 5. per target recall and per candidate beam, the smallest multiplier (binary
///    search) whose recall@k on the held-out 20% reaches the target; the beam with the
///    fewest mean evaluations is kept.
public struct TerminationTuner {
    public var k = 10
    public var maxEvaluations = 20_000
    public var checkpointCandidates = [16, 32, 64, 128, 256, 512, 1024]
    /// Predictions per query: at T and at each doubling of it (see `LearnedTermination.checkpoints`).
    public var checkpoints = 5
    /// Beams tried for every target; the one needing the fewest held-out evaluations wins.
    public var beamCandidates = [32, 64, 128, 256, 512, 1024]
    public var trainer = XGBoostTrainer()
    /// Threads for measuring candidate models on the held-out queries.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var log: (String) -> Void = { _ in }

    public init() {}

    /// One model per target recall, in the order given.
    public func tune(_ index: HNSWIndex, base: Matrix<Float>, learn: Matrix<Float>, targets: [Double]) throws -> [LearnedTermination] {
        let truth = try ExactSearch.search(base: base, queries: learn, k: k, metric: index.metric).ids
        let queries = (0..<learn.rows).map { learn.row($0) }
        let truths = (0..<learn.rows).map { truth[$0].map { UInt32($0) } }
        // Labels.
        var labels: [Int] = []
        for (q, t) in zip(queries, truths) {
            let trace = try index.budgetedSearch(q, k: k, budget: maxEvaluations, truth: t)
            labels.append(trace.evaluationsToFindTruth ?? maxEvaluations)
        }
        let sorted = labels.sorted()
        let median = sorted[sorted.count / 2]
        let checkpoint = checkpointCandidates.last { $0 <= median } ?? checkpointCandidates.first!
        log("labels: median \(median) evaluations; checkpoint T = \(checkpoint)")
        // Features at T.
        let dim = index.dimension
        var rows: [[Float]] = [], targetsLog: [Float] = [], used: [Int] = []
        var rowQuery: [Int] = []
        for (i, q) in queries.enumerated() {
            let trace = try index.budgetedSearch(q, k: k, budget: checkpoint << (checkpoints - 1), checkpoint: checkpoint,
                                                 checkpoints: checkpoints)
            guard !trace.states.isEmpty else { continue }   // graph exhausted before T: nothing to predict
            for f in trace.states {
                rows.append(q.withUnsafeBufferPointer { LearnedTermination.features(query: $0.baseAddress!, dimension: dim, state: f) })
                targetsLog.append(Float(log2(Double(max(1, labels[i])))))
                rowQuery.append(i)
            }
            used.append(i)
        }
        let split = used.count * 4 / 5
        guard split > 10, used.count - split > 10 else {
            throw HNSWError.invalidConfiguration("too few training queries (\(used.count)) to tune early termination")
        }
        let splitRow = rowQuery.firstIndex(of: used[split])!   // rows of the training queries come first
        let trees = try trainer.train(features: rows[..<splitRow].flatMap { $0 }, rows: splitRow,
                                      columns: dim + LearnedTermination.stateFeatureCount, labels: Array(targetsLog[..<splitRow]))
        let fingerprint = index.fingerprint
        log(String(format: "prediction error on held-out queries: %.2f log2 units (%.2f predicting the mean)",
                   rootMeanSquare(rows[splitRow...].indices.map { Double(trees.predict(rows[$0]) - targetsLog[$0]) }),
                   rootMeanSquare(targetsLog[splitRow...].map { Double($0 - targetsLog[..<splitRow].reduce(0, +) / Float(splitRow)) })))
        log(String(format: "one prediction (%d trees of depth %d) takes %.0f ns", trees.treeCount, trees.depth, predictionNanoseconds(trees, rows)))
        let heldOut = used[split...].map { (queries[$0], Set(truths[$0])) }
        func model(_ multiplier: Double, beam: Int) -> LearnedTermination {
            LearnedTermination(k: k, checkpoint: checkpoint, checkpoints: checkpoints, multiplier: multiplier, beam: beam,
                               maxEvaluations: maxEvaluations, trees: trees, indexFingerprint: fingerprint)
        }
        /// Held-out recall@k and mean evaluations.
        /// Spread over `threads` threads: these searches only count, nothing is timed.
        func measure(_ m: LearnedTermination) throws -> (recall: Double, evaluations: Double) {
            let workers = max(1, threads), k = self.k
            let tallies = Tallies()
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var stats = SearchStats(), hits = 0
                for i in stride(from: w, to: heldOut.count, by: workers) {
                    let (q, t) = heldOut[i]
                    guard let found = try? index.search(q, k: k, termination: m, stats: &stats) else { continue }
                    hits += found.filter { t.contains($0.id) }.count
                }
                tallies.add(hits: hits, evaluations: stats.distanceCount)
            }
            return (Double(tallies.hits) / Double(heldOut.count * k), Double(tallies.evaluations) / Double(heldOut.count))
        }
        return try targets.map { target in
            var best: (model: LearnedTermination, recall: Double, evaluations: Double)?
            for beam in beamCandidates where beam >= k {
                // The smallest multiplier reaching the target with this beam, if any does.
                var lo = 0.05, hi = 0.05
                while try measure(model(hi, beam: beam)).recall < target && hi < 1024 { lo = hi; hi *= 2 }
                for _ in 0..<10 { let mid = (lo + hi) / 2; if try measure(model(mid, beam: beam)).recall >= target { hi = mid } else { lo = mid } }
                let result = try measure(model(hi, beam: beam))
                guard result.recall >= target else { continue }
                log(String(format: "target %.3f, beam %d: multiplier %.3f, held-out recall %.4f, %.0f evaluations",
                           target, beam, hi, result.recall, result.evaluations))
                if best == nil || result.evaluations < best!.evaluations { best = (model(hi, beam: beam), result.recall, result.evaluations) }
            }
            guard let best else {
                throw HNSWError.invalidConfiguration("no beam and multiplier reach recall \(target) on the held-out queries")
            }
            log(String(format: "target %.3f: beam %d, multiplier %.3f (held-out recall %.4f)", target, best.model.beam,
                       best.model.multiplier, best.recall))
            return best.model
        }
    }
}

private func rootMeanSquare<C: Collection>(_ values: C) -> Double where C.Element == Double {
    values.isEmpty ? 0 : (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
}

/// Counts summed across worker threads.
private final class Tallies: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var hits = 0, evaluations = 0
    func add(hits: Int, evaluations: Int) { lock.withLock { self.hits += hits; self.evaluations += evaluations } }
}

/// Mean time of one native prediction over the given feature rows (repeated to 100,000 calls).
private func predictionNanoseconds(_ trees: RegressionTrees, _ rows: [[Float]]) -> Double {
    guard !rows.isEmpty else { return 0 }
    var sink: Float = 0
    let calls = 100_000
    let start = DispatchTime.now().uptimeNanoseconds
    let hot = Array(rows.prefix(16))   // the search predicts from a row it just built: in cache
    for i in 0..<calls { sink += trees.predict(hot[i % hot.count]) }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    if sink.isNaN { print("") }   // keeps the loop from being optimised away
    return elapsed / Double(calls)
}
