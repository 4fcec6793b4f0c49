/// Recall@k: the fraction of the true k nearest neighbours that a search returned,
/// averaged over queries. `found[q]` may hold more or fewer than k ids; only its
/// first k count.
public func recall(found: [[Int32]], truth: Matrix<Int32>, k: Int) -> Double {
    precondition(k >= 1 && k <= truth.columns, "k = \(k) but ground truth has \(truth.columns) neighbours per query")
    precondition(found.count <= truth.rows, "\(found.count) results but ground truth for \(truth.rows) queries")
    guard !found.isEmpty else { return 0 }
    let hits = hitsPerQuery(found: found, truth: truth, k: k).reduce(0, +)
    return Double(hits) / Double(found.count * k)
}

/// The standard error of ``recall(found:truth:k:)`` as an estimate of the mean over all
/// queries like these: the sample standard deviation of the per-query recalls over the
/// square root of their count (0 for fewer than two queries). A recall measured on 1,000
/// queries is only known to about twice this.
public func recallStandardError(found: [[Int32]], truth: Matrix<Int32>, k: Int) -> Double {
    precondition(k >= 1 && k <= truth.columns, "k = \(k) but ground truth has \(truth.columns) neighbours per query")
    precondition(found.count <= truth.rows, "\(found.count) results but ground truth for \(truth.rows) queries")
    return standardErrorOfMean(hitsPerQuery(found: found, truth: truth, k: k).map { Double($0) / Double(k) })
}

/// For each query, how many of its first k results are among its k true neighbours.
private func hitsPerQuery(found: [[Int32]], truth: Matrix<Int32>, k: Int) -> [Int] {
    found.enumerated().map { q, ids in
        let want = Set(truth[q].prefix(k))
        return ids.prefix(k).reduce(0) { $0 + (want.contains($1) ? 1 : 0) }
    }
}
