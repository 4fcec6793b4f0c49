import EarlyTermination
import Foundation
import HNSW
import VectorIO

/// What learned termination is trained on, per training query: the walk's states at
/// the checkpoints (the model's feature rows) and when the walk found each true
/// neighbour. ``TerminationTuner/trainingStates(_:base:learn:)`` computes them;
/// ``write(to:)`` exports them so the predictor can be studied offline
/// (`Benchmarks/learned/study.sh`).
public struct TrainingStates {
    public var k: Int
    /// The cap on a training walk's evaluations (a query not done by then is labelled with it).
    public var maxEvaluations: Int
    /// T: the first state is taken after this many level-0 evaluations, the others at 2T, 4T, ...
    public var checkpoint: Int
    public var checkpoints: Int
    public var queries: [[Float]]
    /// Exact k nearest of each query.
    public var truths: [[UInt32]]
    /// Level-0 evaluations after which the results first held 1, 2, ... true neighbours.
    public var foundAt: [[Int]]
    /// Level-0 evaluations until all k true neighbours were in the results (`maxEvaluations` if never):
    /// the paper's label, generalised to recall@k.
    public var labels: [Int] { foundAt.map { Self.label($0, k: k, cap: maxEvaluations) } }

    /// The label of a walk that found true neighbours at `foundAt` evaluations: when the k-th came, else `cap`.
    static func label(_ foundAt: [Int], k: Int, cap: Int) -> Int { foundAt.count >= k ? foundAt[k - 1] : cap }
    /// Upper-level evaluations before the level-0 walk.
    public var descents: [Int]
    /// Feature rows (`LearnedTermination.features`), the states of one query after another.
    public var rows: [[Float]]
    /// The query (index into `queries`) of each row.
    public var rowQuery: [Int]
    /// The queries that reached T, in order; the first `split` train, the rest are held out.
    public var used: [Int]
    public var split: Int

    /// Writes the states into `directory` (created if needed):
    /// - `states.fbin`: the feature rows (query vector, then `LearnedTermination.stateFeatureCount` state values);
    /// - `states-query.ibin`: each row's query index;
    /// - `found-at.ibin`: per query, the evaluations at which the results first held 1...k true neighbours (-1: never);
    /// - `descent.ibin`: per query, the upper-level evaluations;
    /// - `states.json`: k, T, checkpoints, the evaluation cap, the queries used and how many of them train,
    ///   and `fixed_ef` as given (fixed ef's recall and mean evaluations on the held-out queries).
    public func write(to directory: String, fixedEf: [[String: Double]] = []) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let columns = rows.first?.count ?? 0
        try VectorFile.write(Matrix(rows: rows.count, columns: columns, elements: rows.flatMap { $0 }), to: directory + "/states.fbin")
        try VectorFile.write(Matrix(rows: rowQuery.count, columns: 1, elements: rowQuery.map { Int32($0) }),
                             to: directory + "/states-query.ibin")
        let found = foundAt.flatMap { f in (0..<k).map { $0 < f.count ? Int32(f[$0]) : -1 } }
        try VectorFile.write(Matrix(rows: foundAt.count, columns: k, elements: found), to: directory + "/found-at.ibin")
        try VectorFile.write(Matrix(rows: descents.count, columns: 1, elements: descents.map { Int32($0) }), to: directory + "/descent.ibin")
        let meta: [String: Any] = ["k": k, "checkpoint": checkpoint, "checkpoints": checkpoints, "max_evaluations": maxEvaluations,
                                   "state_features": LearnedTermination.stateFeatureCount, "used": used, "training_queries": split,
                                   "fixed_ef": fixedEf]
        try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys]).write(to: URL(fileURLWithPath: directory + "/states.json"))
    }
}
