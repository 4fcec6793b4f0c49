import EarlyTermination
import Foundation
import GBDT
import HNSW
import Testing
import VectorIO
@testable import XGBoostTraining

/// End to end on small clustered data: labels from budgeted searches with exact
/// ground truth, a model trained by XGBoost, searches stopped by its predictions.
@Suite struct LearnedTerminationTests {
    static func clustered(_ n: Int, seed: UInt64) -> [[Float]] {
        var s = seed | 1
        func next() -> Float { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return Float(s % 20_000) / 10_000 - 1 }
        var centres: [[Float]] = []
        var c: UInt64 = 99
        for _ in 0..<8 { centres.append((0..<12).map { _ in c ^= c << 13; c ^= c >> 7; c ^= c << 17; return Float(c % 20_000) / 10_000 - 1 }) }
        return (0..<n).map { i in centres[i % 8].map { $0 + 0.25 * next() } }
    }

    /// Exact neighbours of every query (blocked sgemm in the optimized VectorIO module).
    static func truth(_ base: [[Float]], _ queries: [[Float]], k: Int) throws -> [[UInt32]] {
        let b = Matrix(rows: base.count, columns: 12, elements: base.flatMap { $0 })
        let q = Matrix(rows: queries.count, columns: 12, elements: queries.flatMap { $0 })
        let ids = try ExactSearch.search(base: b, queries: q, k: k, metric: .l2).ids
        return (0..<queries.count).map { ids[$0].map { UInt32($0) } }
    }

    @Test("a trained model stops searches early with recall intact, and is refused by another index")
    func endToEnd() throws {
        let base = Self.clustered(3_000, seed: 1), learn = Self.clustered(600, seed: 2), queries = Self.clustered(100, seed: 3)
        let config = HNSWConfiguration(dimension: 12, metric: .l2, m: 8, efConstruction: 100)
        let index = try HNSWIndex(config)
        try index.add(base, threads: 1)
        let k = 10, checkpoint = 40, cap = 3_000
        var x: [Float] = [], y: [Float] = []
        let learnTruth = try Self.truth(base, learn, k: k), queryTruth = try Self.truth(base, queries, k: k)
        for (q, t) in zip(learn, learnTruth) {
            let trace = try index.budgetedSearch(q, k: k, budget: cap, checkpoint: checkpoint, truth: t)
            guard let f = trace.features else { continue }
            x += q.withUnsafeBufferPointer { LearnedTermination.features(query: $0.baseAddress!, dimension: 12, state: f) }
            y.append(Float(log2(Double(max(1, trace.evaluationsToFindTruth ?? cap)))))
        }
        var trainer = XGBoostTrainer()
        trainer.rounds = 30
        let trees = try trainer.train(features: x, rows: y.count, columns: 12 + LearnedTermination.stateFeatureCount, labels: y)
        let model = LearnedTermination(k: k, checkpoint: checkpoint, multiplier: 2, beam: cap, maxEvaluations: cap, trees: trees,
                                       indexFingerprint: index.fingerprint)
        var stats = SearchStats()
        var hits = 0
        for (q, t) in zip(queries, queryTruth) {
            let found = try index.search(q, k: k, termination: model, stats: &stats).map(\.id)
            hits += Set(found).intersection(t).count
        }
        let recall = Double(hits) / Double(queries.count * k)
        #expect(recall >= 0.95, "recall@10 with learned termination = \(recall)")
        #expect(Double(stats.distanceCount) / Double(queries.count) < Double(cap), "it stopped before the cap")

        let other = try HNSWIndex(HNSWConfiguration(dimension: 12, metric: .l2, m: 8, efConstruction: 100, seed: 5))
        try other.add(base, threads: 1)
        #expect(throws: HNSWError.self) { try other.search(queries[0], k: k, termination: model, stats: &stats) }

        // The tuner's fallback, a plain beam, is ef search: same neighbours, same evaluations, no predictions.
        let plain = LearnedTermination.plainBeam(k: k, beam: 24, trees: trees, indexFingerprint: index.fingerprint)
        #expect(!plain.predictsAtAll && model.predictsAtAll)
        for q in queries {
            var planned = SearchStats(), fixed = SearchStats()
            let a = try index.search(q, k: k, termination: plain, stats: &planned)
            let b = try q.withUnsafeBufferPointer { try index.search($0, k: k, ef: 24, stats: &fixed) }
            #expect(a.map(\.id) == b.map(\.id) && a.map(\.distance) == b.map(\.distance))
            #expect(planned.distanceCount == fixed.distanceCount && planned.predictions == 0)
        }
    }
}
