/// Recall@k: the fraction of the true k nearest neighbours that a search returned,
/// averaged over queries. `found[q]` may hold more or fewer than k ids; only its
/// first k count.
public func recall(found: [[Int32]], truth: Matrix<Int32>, k: Int) -> Double {
    precondition(k >= 1 && k <= truth.columns, "k = \(k) but ground truth has \(truth.columns) neighbours per query")
    precondition(found.count <= truth.rows, "\(found.count) results but ground truth for \(truth.rows) queries")
    guard !found.isEmpty else { return 0 }
    var hits = 0
    for (q, ids) in found.enumerated() {
        let want = Set(truth[q].prefix(k))
        hits += ids.prefix(k).reduce(0) { $0 + (want.contains($1) ? 1 : 0) }
    }
    return Double(hits) / Double(found.count * k)
}
