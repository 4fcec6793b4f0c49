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
/// 4. features at T, a GBDT on log2(label) over 80% of the queries;
/// 5. per target recall, the smallest multiplier (binary search) whose recall@k on
///    the held-out 20% reaches the target.
public struct TerminationTuner {
    public var k = 10
    public var maxEvaluations = 20_000
    public var checkpointCandidates = [16, 32, 64, 128, 256, 512, 1024]
    public var trainer = XGBoostTrainer()
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
        for (i, q) in queries.enumerated() {
            let trace = try index.budgetedSearch(q, k: k, budget: checkpoint, checkpoint: checkpoint)
            guard let f = trace.features else { continue }   // graph exhausted before T: nothing to predict
            rows.append(q.withUnsafeBufferPointer { LearnedTermination.features(query: $0.baseAddress!, dimension: dim, state: f) })
            targetsLog.append(Float(log2(Double(max(1, labels[i])))))
            used.append(i)
        }
        let split = used.count * 4 / 5
        guard split > 10, used.count - split > 10 else {
            throw HNSWError.invalidConfiguration("too few training queries (\(used.count)) to tune early termination")
        }
        let trees = try trainer.train(features: rows[..<split].flatMap { $0 }, rows: split, columns: dim + 5,
                                      labels: Array(targetsLog[..<split]))
        let fingerprint = index.fingerprint
        let heldOut = used[split...].map { (queries[$0], Set(truths[$0])) }
        func recall(_ multiplier: Double) throws -> Double {
            let model = LearnedTermination(k: k, checkpoint: checkpoint, multiplier: multiplier, maxEvaluations: maxEvaluations,
                                           trees: trees, indexFingerprint: fingerprint)
            var stats = SearchStats(), hits = 0
            for (q, t) in heldOut { hits += try index.search(q, k: k, termination: model, stats: &stats).filter { t.contains($0.id) }.count }
            return Double(hits) / Double(heldOut.count * k)
        }
        return try targets.map { target in
            var lo = 0.05, hi = 0.05
            while try recall(hi) < target && hi < 1024 { lo = hi; hi *= 2 }
            for _ in 0..<10 { let mid = (lo + hi) / 2; if try recall(mid) >= target { hi = mid } else { lo = mid } }
            log(String(format: "target %.3f: multiplier %.3f (held-out recall %.4f)", target, hi, try recall(hi)))
            return LearnedTermination(k: k, checkpoint: checkpoint, multiplier: hi, maxEvaluations: maxEvaluations,
                                      trees: trees, indexFingerprint: fingerprint)
        }
    }
}
