import EarlyTermination
import GBDT
import HNSW
import Testing

/// The two stopping rules a model applies at a checkpoint, and the search that asks it.
@Suite struct LearnedTerminationModelTests {
    /// Six points on a line, 0 ... 5; the query 3.2 has neighbours 3 and 4.
    static func line() throws -> HNSWIndex {
        let index = try HNSWIndex(HNSWConfiguration(dimension: 1, metric: .l2, m: 2, efConstruction: 16, seed: 1), capacity: 6)
        _ = try index.add((0..<6).map { [Float($0)] })
        return index
    }

    static func state(at evaluations: Float) -> TerminationFeatures {
        var s = TerminationFeatures(startDistance: 1, firstDistance: 1, kthDistance: 1)
        s.evaluations = evaluations
        return s
    }

    @Test("a gain model goes on while predicted gain x patience covers the next doubling, then stops")
    func gainStop() throws {
        let index = try Self.line()
        // No trees: every prediction is the base score, a gain of 0.25 (half a neighbour at k = 2).
        let trees = try RegressionTrees(baseScore: 0.25, featureCount: 1 + LearnedTermination.stateFeatureCount, trees: [])
        let model = LearnedTermination(k: 2, predicts: .gain, checkpoint: 2, checkpoints: 10, growth: 2, patience: 8,
                                       beam: 2, maxEvaluations: 100, trees: trees, indexFingerprint: index.fingerprint)
        // 0.25 x 8 = 2: worth the 2 evaluations of going on from 2, not the 4 of going on from 4.
        #expect([Float(3.2)].withUnsafeBufferPointer { model.budget(query: $0.baseAddress!, dimension: 1, state: Self.state(at: 2)) } == 100)
        #expect([Float(3.2)].withUnsafeBufferPointer { model.budget(query: $0.baseAddress!, dimension: 1, state: Self.state(at: 4)) } == 4)
        var stats = SearchStats()
        let found = try index.search([3.2], k: 2, termination: model, stats: &stats)
        #expect(Set(found.map(\.id)) == [3, 4])
        #expect(stats.predictions >= 1)
    }

    @Test("the paper's budget: 2^prediction x multiplier, the multiplier shrinking at later checkpoints")
    func shrinkingMultiplier() throws {
        // No trees: every prediction is the base score, log2 of 16 evaluations.
        let trees = try RegressionTrees(baseScore: 4, featureCount: 1 + LearnedTermination.stateFeatureCount, trees: [])
        func budget(shrink: Double, at evaluations: Float) -> Int {
            let model = LearnedTermination(k: 2, checkpoint: 4, checkpoints: 3, multiplier: 3, multiplierShrink: shrink,
                                           beam: 2, maxEvaluations: 1000, trees: trees, indexFingerprint: 0)
            return [Float(3.2)].withUnsafeBufferPointer { model.budget(query: $0.baseAddress!, dimension: 1, state: Self.state(at: evaluations)) }
        }
        #expect(budget(shrink: 0, at: 4) == 48 && budget(shrink: 0, at: 16) == 48)   // 16 x 3 at every checkpoint
        #expect(budget(shrink: 0.5, at: 4) == 48)                                     // the first checkpoint: the full factor
        #expect(budget(shrink: 0.5, at: 16) == 24)                                    // 16 x 3 x (4/16)^0.5
    }

    @Test("a model is refused by another index unless the caller vouches for it")
    func otherIndex() throws {
        let index = try Self.line()
        let trees = try RegressionTrees(baseScore: 4, featureCount: 1 + LearnedTermination.stateFeatureCount, trees: [])
        let model = LearnedTermination(k: 2, checkpoint: 2, beam: 2, maxEvaluations: 100, trees: trees, indexFingerprint: index.fingerprint &+ 1)
        var stats = SearchStats()
        #expect(throws: HNSWError.self) { try index.search([3.2], k: 2, termination: model, stats: &stats) }
        #expect(try index.search([3.2], k: 2, termination: model, anyGraph: true, stats: &stats).count == 2)
    }
}
