import CXGBoost
import Foundation
import GBDT

/// Why XGBoost refused, with its own message.
public struct XGBoostError: Error, CustomStringConvertible {
    public let operation: String
    public let message: String
    public var description: String { "XGBoost \(operation): \(message)" }

    static func check(_ rc: Int32, _ operation: String) throws {
        if rc != 0 { throw XGBoostError(operation: operation, message: String(cString: XGBGetLastError())) }
    }
}

/// Trains gradient-boosted regression trees with XGBoost's C library and hands them
/// back as ``RegressionTrees`` for native evaluation (no call into XGBoost at
/// prediction time). Defaults follow Li et al.'s LightGBM settings (100 rounds,
/// learning rate 0.2, at most 31 leaves) with one change: trees grow level by level
/// to depth 5 (at most 32 leaves) instead of leaf by leaf, so every tree has the same
/// short depth and the native evaluation can walk several at once (see
/// ``RegressionTrees``); a leaf-wise tree of 31 leaves can be 30 levels deep.
public struct XGBoostTrainer {
    public var rounds = 100
    public var learningRate = 0.2
    public var maxDepth = 5
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var seed = 42

    public init() {}

    /// Trains on `rows` feature vectors of `columns` values each (row-major) with
    /// their `labels`; squared error loss.
    public func train(features: [Float], rows: Int, columns: Int, labels: [Float]) throws -> RegressionTrees {
        try withBooster(features: features, rows: rows, columns: columns, labels: labels) { booster in
            try Self.export(booster, columns: columns)
        }
    }

    /// XGBoost's own predictions for `features` with a model trained as `train` does:
    /// for checking the native evaluation against it.
    public func trainAndPredict(features: [Float], rows: Int, columns: Int, labels: [Float],
                                probe: [Float], probeRows: Int) throws -> (RegressionTrees, [Float]) {
        try withBooster(features: features, rows: rows, columns: columns, labels: labels) { booster in
            let trees = try Self.export(booster, columns: columns)
            var matrix: DMatrixHandle?
            try XGBoostError.check(XGDMatrixCreateFromMat(probe, bst_ulong(probeRows), bst_ulong(columns), .nan, &matrix), "probe matrix")
            defer { XGDMatrixFree(matrix) }
            var length: bst_ulong = 0
            var out: UnsafePointer<Float>?
            try XGBoostError.check(XGBoosterPredict(booster, matrix, 0, 0, 0, &length, &out), "predict")
            return (trees, Array(UnsafeBufferPointer(start: out, count: Int(length))))
        }
    }

    private func withBooster<T>(features: [Float], rows: Int, columns: Int, labels: [Float],
                                _ body: (BoosterHandle?) throws -> T) throws -> T {
        precondition(features.count == rows * columns && labels.count == rows, "features and labels do not match")
        var matrix: DMatrixHandle?
        try XGBoostError.check(XGDMatrixCreateFromMat(features, bst_ulong(rows), bst_ulong(columns), .nan, &matrix), "training matrix")
        defer { XGDMatrixFree(matrix) }
        try XGBoostError.check(XGDMatrixSetFloatInfo(matrix, "label", labels, bst_ulong(rows)), "labels")
        var booster: BoosterHandle?
        var handles: [DMatrixHandle?] = [matrix]
        try XGBoostError.check(XGBoosterCreate(&handles, 1, &booster), "create booster")
        defer { XGBoosterFree(booster) }
        let mean = labels.reduce(0, +) / Float(max(1, labels.count))
        let params: [(String, String)] = [
            ("objective", "reg:squarederror"), ("eta", "\(learningRate)"), ("tree_method", "hist"),
            ("grow_policy", "depthwise"), ("max_depth", "\(maxDepth)"),
            ("nthread", "\(threads)"), ("seed", "\(seed)"), ("base_score", "\(mean)"), ("verbosity", "0"),
        ]
        for (k, v) in params { try XGBoostError.check(XGBoosterSetParam(booster, k, v), "set \(k)") }
        for round in 0..<rounds { try XGBoostError.check(XGBoosterUpdateOneIter(booster, Int32(round), matrix), "round \(round)") }
        return try body(booster)
    }

    /// Reads the trained trees out of XGBoost's JSON model (exact float values).
    static func export(_ booster: BoosterHandle?, columns: Int) throws -> RegressionTrees {
        var length: bst_ulong = 0
        var bytes: UnsafePointer<CChar>?
        try XGBoostError.check(XGBoosterSaveModelToBuffer(booster, #"{"format": "json"}"#, &length, &bytes), "save model")
        let data = Data(bytes: bytes!, count: Int(length))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let learner = root["learner"] as? [String: Any],
              let param = learner["learner_model_param"] as? [String: Any],
              let baseText = param["base_score"] as? String, let base = Float(baseText),
              let booster = learner["gradient_booster"] as? [String: Any],
              let model = booster["model"] as? [String: Any],
              let trees = model["trees"] as? [[String: Any]] else {
            throw XGBoostError(operation: "read model", message: "unexpected JSON layout")
        }
        return try RegressionTrees(baseScore: base, featureCount: columns, trees: trees.map { tree in
            guard let lefts = tree["left_children"] as? [NSNumber], let rights = tree["right_children"] as? [NSNumber],
                  let features = tree["split_indices"] as? [NSNumber], let conditions = tree["split_conditions"] as? [NSNumber],
                  let defaults = tree["default_left"] as? [NSNumber] else {
                throw XGBoostError(operation: "read model", message: "a tree lacks its node arrays")
            }
            return RegressionTrees.Nodes(left: lefts.map(\.int32Value), right: rights.map(\.int32Value),
                                         feature: features.map(\.int32Value), value: conditions.map(\.floatValue),
                                         missingLeft: defaults.map(\.boolValue))
        })
    }
}
