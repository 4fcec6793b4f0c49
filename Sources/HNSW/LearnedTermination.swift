import Foundation
import GBDT

/// A trained early-termination model for one index (Li et al., SIGMOD 2020): after
/// `checkpoint` distance evaluations at level 0, the trees predict log2 of the
/// evaluations the query needs from the query vector and the search state; the
/// search then stops at `min(maxEvaluations, ceil(2^prediction x multiplier))`.
/// A model is tied to the index it was trained on by the index's fingerprint.
public struct LearnedTermination: Codable, Sendable, Equatable {
    public var k: Int
    public var checkpoint: Int
    public var multiplier: Double
    public var maxEvaluations: Int
    public var trees: RegressionTrees
    public var indexFingerprint: UInt64

    public init(k: Int, checkpoint: Int, multiplier: Double, maxEvaluations: Int, trees: RegressionTrees, indexFingerprint: UInt64) {
        self.k = k; self.checkpoint = checkpoint; self.multiplier = multiplier
        self.maxEvaluations = maxEvaluations; self.trees = trees; self.indexFingerprint = indexFingerprint
    }

    /// The model's input: the query, then d_start, the 1st and k-th distances and
    /// their ratios to d_start.
    public static func features(query: UnsafePointer<Float>, dimension: Int, state f: TerminationFeatures) -> [Float] {
        var x = Array(UnsafeBufferPointer(start: query, count: dimension))
        x += [f.startDistance, f.firstDistance, f.kthDistance, f.firstRatio, f.kthRatio]
        return x
    }

    /// The evaluation budget for a query in the given state.
    public func budget(query: UnsafePointer<Float>, dimension: Int, state: TerminationFeatures) -> Int {
        let predicted = Double(trees.predict(Self.features(query: query, dimension: dimension, state: state)))
        let wanted = (pow(2, predicted) * multiplier).rounded(.up)
        return wanted.isFinite ? min(maxEvaluations, max(checkpoint, Int(min(wanted, Double(Int32.max))))) : maxEvaluations
    }
}

extension HNSWIndex {
    /// Identifies this index's graph: configuration, size, entry point and every
    /// node's level and link lists. Two indexes share it only if they search alike.
    /// Computed once and kept until the index changes.
    public var fingerprint: UInt64 {
        if let known = global.withLock({ cachedFingerprint }) { return known }
        let value = computeFingerprint()
        global.withLock { cachedFingerprint = value }
        return value
    }

    private func computeFingerprint() -> UInt64 {
        structure.read {
            var h = Checksum64()
            let words: [UInt64] = [UInt64(dimension), UInt64(configuration.m), UInt64(metric.code),
                                   UInt64(slotCount), UInt64(entryPoint), UInt64(maxLevel)]
            words.withUnsafeBytes { h.update($0) }
            h.update(UnsafeRawBufferPointer(start: levels, count: slotCount))
            for i in 0..<slotCount where levels[i] != Self.freeSlotLevel {
                let list = links(UInt32(i), level: 0)
                h.update(UnsafeRawBufferPointer(start: list, count: (Int(list[0]) + 1) * 4))
            }
            return h.value
        }
    }

    /// The `k` nearest with learned early termination (`model.k` must equal `k`).
    /// A model trained on another index is refused.
    public func search(_ query: [Float], k: Int, termination model: LearnedTermination,
                       stats: inout SearchStats) throws -> [Neighbor] {
        guard model.indexFingerprint == fingerprint else {
            throw HNSWError.invalidConfiguration("the termination model was trained for another index (fingerprint \(String(model.indexFingerprint, radix: 16)), this one is \(String(fingerprint, radix: 16))); tune it again")
        }
        guard model.trees.featureCount == dimension + 5 else {
            throw HNSWError.invalidConfiguration("the termination model takes \(model.trees.featureCount) features, this index needs \(dimension + 5)")
        }
        return try query.withUnsafeBufferPointer { q in
            try withSearchScratch(q, k: k) { s, _ in
                let prepared = preparedQuery(q.baseAddress!, scratch: s)
                let ctx = QueryContext(exact: prepared)
                let (entry, entryDistance, descent) = descendToLevelZero(ctx)
                let trace = budgetedWalk(ctx, entry: entry, entryDistance: entryDistance, k: k, budget: model.maxEvaluations,
                                         checkpoint: model.checkpoint, truth: [], scratch: s) { state in
                    model.budget(query: prepared, dimension: self.dimension, state: state)
                }
                stats.distanceCount += descent + trace.distanceCount
                return trace.results
            }
        }
    }
}
