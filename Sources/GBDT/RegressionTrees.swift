/// A gradient-boosted ensemble of regression trees, evaluated natively: the
/// prediction is `baseScore` plus the leaf each tree routes the features to. At a
/// split, `x[feature] < threshold` goes left, anything else (NaN too) goes right
/// unless the node says missing values go left, as in XGBoost.
///
/// Trees are stored flat, structure of arrays, one entry per node, so one
/// prediction is a handful of predictable loads per tree and no allocation:
///
///     let trees = try XGBoostTrainer(...).train(features, labels)
///     let y = trees.predict(x)          // well under a microsecond for 100 trees of depth 6
public struct RegressionTrees: Sendable, Codable, Equatable {
    public var baseScore: Float
    /// Index of each tree's root in the node arrays.
    public var roots: [Int32]
    /// For a split: the feature tested; for a leaf: -1.
    public var feature: [Int32]
    /// For a split: the threshold; for a leaf: its value.
    public var value: [Float]
    public var left: [Int32]
    public var right: [Int32]
    public var missingLeft: [Bool]
    /// Number of input features the model was trained on.
    public var featureCount: Int

    public init(baseScore: Float, featureCount: Int) {
        self.baseScore = baseScore
        self.featureCount = featureCount
        roots = []; feature = []; value = []; left = []; right = []; missingLeft = []
    }

    public var treeCount: Int { roots.count }

    /// The model's prediction for one feature vector (`featureCount` values).
    @inlinable
    public func predict(_ x: UnsafePointer<Float>) -> Float {
        var sum = baseScore
        feature.withUnsafeBufferPointer { f in
            value.withUnsafeBufferPointer { v in
                left.withUnsafeBufferPointer { l in
                    right.withUnsafeBufferPointer { r in
                        missingLeft.withUnsafeBufferPointer { m in
                            for root in roots {
                                var node = Int(root)
                                while f[node] >= 0 {
                                    let xv = x[Int(f[node])]
                                    let goLeft = xv.isNaN ? m[node] : xv < v[node]
                                    node = Int(goLeft ? l[node] : r[node])
                                }
                                sum += v[node]
                            }
                        }
                    }
                }
            }
        }
        return sum
    }

    public func predict(_ x: [Float]) -> Float {
        precondition(x.count == featureCount, "the model takes \(featureCount) features, got \(x.count)")
        return x.withUnsafeBufferPointer { predict($0.baseAddress!) }
    }
}
