import Foundation
import GBDT
import HNSW

/// A trained early-termination model for one index (Li et al., SIGMOD 2020): from
/// `checkpoint` distance evaluations at level 0 on, the trees read the query vector and
/// the search state and decide when the search stops. Two kinds (`predicts`):
/// - `.evaluations`, the paper's: the trees predict log2 of the evaluations the query
///   needs; the search stops at `min(maxEvaluations, ceil(2^prediction x multiplier))`.
///   refer predicts again at each of `checkpoints` checkpoints (`growth` apart), each
///   replacing the budget with one from the state then (a later state predicts
///   better: it corrects the first guess for the hard queries).
/// - `.gain`, refer's: at every checkpoint the trees predict the recall@k the query
///   would gain by searching on to twice its evaluations so far; the search stops at
///   the first checkpoint where that gain, per evaluation it would cost, falls below
///   1 / `patience`. Stopping where the marginal gain per evaluation drops below one
///   rate for all queries is what spends a fixed total of evaluations best (it is how a
///   perfect per-query budget allocates them), and it gives up on a query's last
///   neighbours when they are too dear, which a predicted budget cannot.
/// In both, a beam of `beam` results bounds the candidates as ef does, which saves heap
/// work and caps queries the trees misjudge (the tuner picks the beam needing the
/// fewest evaluations). A model is tied to the index it was trained on by the index's
/// fingerprint.
public struct LearnedTermination: Codable, Sendable, Equatable {
    /// What the trees predict.
    public enum Prediction: String, Codable, Sendable {
        /// log2 of the level-0 evaluations the query needs (Li et al.).
        case evaluations
        /// The recall@k gained by going on to twice the evaluations so far.
        case gain
    }

    public var k: Int
    public var predicts: Prediction
    public var checkpoint: Int
    /// Checkpoints per query: at `checkpoint` and then each `growth` times the previous.
    public var checkpoints: Int
    public var growth: Double
    /// `.evaluations`: the factor on the predicted need.
    public var multiplier: Double
    /// `.evaluations`: how the factor shrinks at later checkpoints, where the state
    /// predicts better: at a state after E evaluations the factor is
    /// `multiplier x (checkpoint / E)^multiplierShrink` (0: one factor throughout, the paper's).
    public var multiplierShrink: Double
    /// `.gain`: evaluations worth spending per unit of recall@k gained; the search goes
    /// on while predicted gain x patience is at least the evaluations the next doubling costs.
    public var patience: Double
    public var beam: Int
    public var maxEvaluations: Int
    public var trees: RegressionTrees
    public var indexFingerprint: UInt64

    public init(k: Int, predicts: Prediction = .evaluations, checkpoint: Int, checkpoints: Int = 1, growth: Double = 2,
                multiplier: Double = 1, multiplierShrink: Double = 0, patience: Double = 0, beam: Int, maxEvaluations: Int,
                trees: RegressionTrees, indexFingerprint: UInt64) {
        self.k = k; self.predicts = predicts; self.checkpoint = checkpoint; self.checkpoints = max(1, checkpoints)
        self.growth = max(1, growth); self.multiplier = multiplier; self.multiplierShrink = multiplierShrink
        self.patience = patience; self.beam = max(k, beam)
        self.maxEvaluations = maxEvaluations; self.trees = trees; self.indexFingerprint = indexFingerprint
    }

    /// A model that never predicts: the search is plain ef search with ef = `beam`. The
    /// tuner keeps it for a target when no trained model is cheaper on its held-out
    /// queries, so a tuned search is never slower by design than the fixed ef it replaces.
    public static func plainBeam(k: Int, beam: Int, trees: RegressionTrees, indexFingerprint: UInt64) -> LearnedTermination {
        LearnedTermination(k: k, checkpoint: Self.never, beam: beam, maxEvaluations: Self.never, trees: trees,
                           indexFingerprint: indexFingerprint)
    }

    /// A checkpoint (and budget) no search reaches.
    static let never = Int(Int32.max)

    /// Whether the trees are ever asked (false for ``plainBeam(k:beam:trees:indexFingerprint:)``).
    public var predictsAtAll: Bool { checkpoint < Self.never }

    /// What the trees predict, or "nothing" for a plain beam (for logs).
    public var predictionName: String { predictsAtAll ? predicts.rawValue : "nothing" }

    /// Features besides the query vector.
    public static let stateFeatureCount = 10

    /// The model's input: the query, then d_start, the 1st and k-th distances and
    /// their ratios to d_start (the paper's), then refer's: the open candidates, the
    /// frontier's distance over the k-th's, the k-th's over its earlier value, log2 of
    /// the evaluations so far, and of the evaluations since the k nearest last changed.
    public static func features(query: UnsafePointer<Float>, dimension: Int, state f: TerminationFeatures) -> [Float] {
        [Float](unsafeUninitializedCapacity: dimension + stateFeatureCount) { x, count in
            write(query: query, dimension: dimension, state: f, to: x.baseAddress!)
            count = dimension + stateFeatureCount
        }
    }

    /// Writes ``features(query:dimension:state:)`` to `x` (room for dimension + stateFeatureCount).
    static func write(query: UnsafePointer<Float>, dimension: Int, state f: TerminationFeatures, to x: UnsafeMutablePointer<Float>) {
        func ratio(_ a: Float, _ b: Float) -> Float { b > 0 && b.isFinite && a.isFinite ? a / b : 1 }
        x.update(from: query, count: dimension)
        let state = x + dimension
        state[0] = f.startDistance; state[1] = f.firstDistance; state[2] = f.kthDistance
        state[3] = f.firstRatio; state[4] = f.kthRatio; state[5] = f.openCandidates
        state[6] = ratio(f.frontierDistance, f.kthDistance); state[7] = ratio(f.kthDistance, f.earlierKthDistance)
        state[8] = log2(max(1, f.evaluations)); state[9] = log2(1 + f.sinceChange)
    }

    /// The evaluation budget for a query in the given state (for `.gain`: the
    /// evaluations so far to stop now, `maxEvaluations` to go on).
    public func budget(query: UnsafePointer<Float>, dimension: Int, state: TerminationFeatures) -> Int {
        // The row lives on the stack: a search predicts without allocating.
        let predicted = Double(withUnsafeTemporaryAllocation(of: Float.self, capacity: dimension + Self.stateFeatureCount) { x in
            Self.write(query: query, dimension: dimension, state: state, to: x.baseAddress!)
            return trees.predict(UnsafePointer(x.baseAddress!))
        })
        if predicts == .gain { return predicted * patience >= Double(state.evaluations) ? maxEvaluations : Int(state.evaluations) }
        let factor = multiplierShrink == 0 ? multiplier
            : multiplier * pow(Double(checkpoint) / Double(max(1, state.evaluations)), multiplierShrink)
        let wanted = (pow(2, predicted) * factor).rounded(.up)
        return wanted.isFinite ? min(maxEvaluations, max(checkpoint, Int(min(wanted, Double(Int32.max))))) : maxEvaluations
    }
}

extension HNSWIndex {
    /// The `k` nearest with learned early termination (`model.k` must equal `k`).
    /// A model trained on another index is refused, unless `anyGraph` (the caller then
    /// answers for the model fitting this graph: a store applies its measured rule).
    public func search(_ query: [Float], k: Int, termination model: LearnedTermination, anyGraph: Bool = false,
                       stats: inout SearchStats) throws -> [Neighbor] {
        guard anyGraph || model.indexFingerprint == fingerprint else {
            throw HNSWError.invalidConfiguration("the termination model was trained for another index (fingerprint \(String(model.indexFingerprint, radix: 16)), this one is \(String(fingerprint, radix: 16))); tune it again")
        }
        guard model.trees.featureCount == dimension + LearnedTermination.stateFeatureCount else {
            throw HNSWError.invalidConfiguration("the termination model takes \(model.trees.featureCount) features, this index needs \(dimension + LearnedTermination.stateFeatureCount)")
        }
        return try search(query, k: k, beam: model.beam, maxEvaluations: model.maxEvaluations, checkpoint: model.checkpoint,
                          checkpoints: model.checkpoints, growth: model.growth, stats: &stats) { state, prepared in
            model.budget(query: prepared, dimension: self.dimension, state: state)
        }
    }
}
