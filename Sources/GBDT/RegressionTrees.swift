/// A gradient-boosted ensemble of regression trees, evaluated natively: the
/// prediction is `baseScore` plus the leaf each tree routes the features to. At a
/// split, `x[feature] < threshold` goes left, anything else goes right, and NaN
/// follows the split's default direction, as in XGBoost.
///
/// Every tree is stored *complete* to the ensemble's depth D: 2^D - 1 splits in
/// heap order (children of i at 2i+1 and 2i+2) and 2^D leaves. A leaf that sits
/// higher in the trained tree is pushed down through splits whose two sides lead to
/// the same value, so the result is exact. Walking a complete tree is D steps of
/// index arithmetic with no child pointers and no data-dependent loop length, which
/// lets eight trees be walked side by side (their loads overlap).
///
///     let trees = try XGBoostTrainer().train(features: x, rows: n, columns: d, labels: y)
///     let y = trees.predict(row)
public struct RegressionTrees: Sendable, Codable, Equatable {
    public var baseScore: Float
    /// Number of input features the model was trained on.
    public var featureCount: Int
    /// D: every root-to-leaf path has this many splits.
    public private(set) var depth: Int
    /// Per tree, 2^D - 1 splits in heap order: feature tested, threshold, default
    /// direction for NaN.
    public private(set) var splitFeature: [Int32] = []
    public private(set) var threshold: [Float] = []
    public private(set) var missingLeft: [Bool] = []
    /// Per tree, 2^D leaf values, left to right.
    public private(set) var leafValue: [Float] = []

    public var treeCount: Int { leafValue.count >> depth }

    /// One tree as trainers list it: node 0 is the root; a leaf has `left == -1` and
    /// its value in `value`, a split its threshold in `value`.
    public struct Nodes: Sendable {
        public var left: [Int32], right: [Int32], feature: [Int32], value: [Float], missingLeft: [Bool]
        public init(left: [Int32], right: [Int32], feature: [Int32], value: [Float], missingLeft: [Bool]) {
            self.left = left; self.right = right; self.feature = feature; self.value = value; self.missingLeft = missingLeft
        }

        func depth(of node: Int = 0) -> Int {
            left[node] < 0 ? 0 : 1 + max(depth(of: Int(left[node])), depth(of: Int(right[node])))
        }
    }

    public enum LayoutError: Error, CustomStringConvertible {
        case tooDeep(Int)
        public var description: String {
            switch self { case .tooDeep(let d): return "a tree of depth \(d) is too deep to store complete (at most 16)" }
        }
    }

    /// The ensemble of `trees`, each made complete to the deepest one's depth.
    public init(baseScore: Float, featureCount: Int, trees: [Nodes]) throws {
        self.baseScore = baseScore
        self.featureCount = featureCount
        depth = trees.map { $0.depth() }.max() ?? 0
        guard depth <= 16 else { throw LayoutError.tooDeep(depth) }
        let splits = (1 << depth) - 1
        for tree in trees {
            let base = splitFeature.count, leafBase = leafValue.count
            splitFeature += repeatElement(0, count: splits)
            threshold += repeatElement(0, count: splits)   // filler splits: both sides agree, any threshold works
            missingLeft += repeatElement(true, count: splits)
            leafValue += repeatElement(0, count: splits + 1)
            func place(_ node: Int, at position: Int, level: Int) {
                if level == depth {
                    leafValue[leafBase + position - splits] = tree.value[node]
                    return
                }
                if tree.left[node] < 0 {   // a leaf above the bottom: both sides carry it down
                    place(node, at: 2 * position + 1, level: level + 1)
                    place(node, at: 2 * position + 2, level: level + 1)
                    return
                }
                splitFeature[base + position] = tree.feature[node]
                threshold[base + position] = tree.value[node]
                missingLeft[base + position] = tree.missingLeft[node]
                place(Int(tree.left[node]), at: 2 * position + 1, level: level + 1)
                place(Int(tree.right[node]), at: 2 * position + 2, level: level + 1)
            }
            place(0, at: 0, level: 0)
        }
    }

    /// The model's prediction for one feature vector (`featureCount` values).
    public func predict(_ x: UnsafePointer<Float>) -> Float {
        let (sum, sawNaN) = predictAssumingNoNaN(x)
        return sawNaN ? predictWithMissing(x) : sum
    }

    /// Every split one comparison, eight trees walked side by side so their dependent
    /// loads overlap; also says whether any value it read was NaN (then the answer
    /// is void and the careful walk runs instead).
    private func predictAssumingNoNaN(_ x: UnsafePointer<Float>) -> (Float, Bool) {
        let depth = self.depth, splits = (1 &<< depth) &- 1, trees = treeCount
        return splitFeature.withUnsafeBufferPointer { f in
            threshold.withUnsafeBufferPointer { t in
                leafValue.withUnsafeBufferPointer { leaves in
                    var nan: UInt32 = 0
                    @inline(__always) func step(_ base: Int, _ node: Int) -> Int {
                        let i = base &+ node
                        let v = x[Int(f[i])]
                        nan |= v.isNaN ? 1 : 0
                        return 2 &* node &+ (v < t[i] ? 1 : 2)
                    }
                    @inline(__always) func leaf(_ tree: Int, _ node: Int) -> Float { leaves[(tree &<< depth) &+ node &- splits] }
                    var sum = baseScore
                    var tree = 0
                    while tree &+ 8 <= trees {
                        let b = tree &* splits
                        var n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0
                        for _ in 0..<depth {
                            n0 = step(b, n0); n1 = step(b &+ splits, n1)
                            n2 = step(b &+ 2 &* splits, n2); n3 = step(b &+ 3 &* splits, n3)
                            n4 = step(b &+ 4 &* splits, n4); n5 = step(b &+ 5 &* splits, n5)
                            n6 = step(b &+ 6 &* splits, n6); n7 = step(b &+ 7 &* splits, n7)
                        }
                        sum += (leaf(tree, n0) + leaf(tree &+ 1, n1)) + (leaf(tree &+ 2, n2) + leaf(tree &+ 3, n3))
                            + (leaf(tree &+ 4, n4) + leaf(tree &+ 5, n5)) + (leaf(tree &+ 6, n6) + leaf(tree &+ 7, n7))
                        tree &+= 8
                    }
                    while tree < trees {
                        var n = 0
                        for _ in 0..<depth { n = step(tree &* splits, n) }
                        sum += leaf(tree, n)
                        tree &+= 1
                    }
                    return (sum, nan != 0)
                }
            }
        }
    }

    /// Some input is NaN: it follows each split's default direction.
    private func predictWithMissing(_ x: UnsafePointer<Float>) -> Float {
        let splits = (1 << depth) - 1
        var sum = baseScore
        for tree in 0..<treeCount {
            var node = 0
            for _ in 0..<depth {
                let i = tree * splits + node
                let v = x[Int(splitFeature[i])]
                node = 2 * node + ((v.isNaN ? missingLeft[i] : v < threshold[i]) ? 1 : 2)
            }
            sum += leafValue[(tree << depth) + node - splits]
        }
        return sum
    }

    public func predict(_ x: [Float]) -> Float {
        precondition(x.count == featureCount, "the model takes \(featureCount) features, got \(x.count)")
        return x.withUnsafeBufferPointer { predict($0.baseAddress!) }
    }
}
