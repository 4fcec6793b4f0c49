/// The search of Li, Zhang, Andersen and He, "Improving Approximate Nearest Neighbor
/// Search through Learned Adaptive Early Termination" (SIGMOD 2020), as a primitive:
/// best-first search at level 0 with no ef stop, stopped by a budget of distance
/// evaluations instead, able to record the state at a checkpoint (the model's
/// features) and the evaluations a query needed to hold its true neighbours (the
/// model's training label). The model and its tuning build on this.

/// The search state Li et al. feed their model at the checkpoint, besides the query.
public struct TerminationFeatures: Sendable, Equatable {
    /// Distance from the query to the level-0 entry node (after the upper-level descent).
    public var startDistance: Float
    /// Distance of the current nearest result.
    public var firstDistance: Float
    /// Distance of the current k-th result (the farthest kept, if fewer than k).
    public var kthDistance: Float
    public var firstRatio: Float { startDistance > 0 ? firstDistance / startDistance : 0 }
    public var kthRatio: Float { startDistance > 0 ? kthDistance / startDistance : 0 }
}

/// What one budgeted search did.
public struct BudgetedSearchTrace: Sendable {
    /// The k nearest found, nearest first.
    public var results: [Neighbor]
    /// Distance evaluations at level 0.
    public var distanceCount: Int
    /// The state when `distanceCount` first reached the checkpoint; nil if the search
    /// ended before it.
    public var features: TerminationFeatures?
    /// Level-0 evaluations after which every id of `truth` was among the results; nil
    /// if that never happened within the budget.
    public var evaluationsToFindTruth: Int?
}

extension HNSWIndex {
    /// Best-first search at level 0 that pushes every evaluated neighbour as a
    /// candidate and stops only when `budget` distance evaluations are spent (or the
    /// reachable graph is exhausted). See ``BudgetedSearchTrace``.
    public func budgetedSearch(_ query: [Float], k: Int, budget: Int, checkpoint: Int? = nil,
                               truth: [UInt32] = []) throws -> BudgetedSearchTrace {
        try query.withUnsafeBufferPointer { q in
            try withSearchScratch(q, k: k) { s, _ in
                let ctx = QueryContext(exact: preparedQuery(q.baseAddress!, scratch: s))
                let (entry, entryDistance, _) = descendToLevelZero(ctx)
                return budgetedWalk(ctx, entry: entry, entryDistance: entryDistance, k: k, budget: budget,
                                    checkpoint: checkpoint, truth: Set(truth), scratch: s)
            }
        }
    }

    /// `onCheckpoint`, when given, sees the features at the checkpoint and returns the
    /// budget to finish with (the learned model's prediction).
    func budgetedWalk(_ ctx: QueryContext, entry: UInt32, entryDistance: Float, k: Int, budget: Int,
                      checkpoint: Int?, truth: Set<UInt32>, scratch s: SearchScratch,
                      onCheckpoint: ((TerminationFeatures) -> Int)? = nil) -> BudgetedSearchTrace {
        var budget = budget
        let skipDeleted = deletedCount > 0
        s.reset(nodes: slotCount)
        s.markVisited(entry)
        s.candidates.push(-entryDistance, entry)
        var found = 0
        if accepts(entry, filter: nil, skipDeleted: skipDeleted) {
            s.results.push(entryDistance, entry)
            if truth.contains(entry) { found += 1 }
        }
        var evaluations = 0
        let lines = nodeLines(ctx)
        var features: TerminationFeatures?
        var toFindTruth: Int? = !truth.isEmpty && found == truth.count ? 0 : nil
        walk: while !s.candidates.isEmpty && evaluations < budget {
            let current = s.candidates.pop()
            let list = links(current.id, level: 0)
            let n = min(Int(list[0]), maxLinks0)
            let fresh = s.freshBuffer
            let m = gatherFresh(UnsafePointer(list), count: n, ctx: ctx, lines: lines, scratch: s)
            for j in 0..<m {
                let candidate = fresh[j]
                let d = distance(ctx, candidate)
                evaluations += 1
                s.candidates.push(-d, candidate)
                if accepts(candidate, filter: nil, skipDeleted: skipDeleted) && (s.results.count < k || d < s.results.top.distance) {
                    s.results.push(d, candidate)
                    if truth.contains(candidate) { found += 1 }
                    if s.results.count > k, truth.contains(s.results.pop().id) { found -= 1 }
                    if toFindTruth == nil && !truth.isEmpty && found == truth.count { toFindTruth = evaluations }
                }
                if evaluations == checkpoint && features == nil && !s.results.isEmpty {
                    var first = Float.infinity
                    for i in 0..<s.results.count { first = min(first, s.results.storage[i].distance) }
                    features = TerminationFeatures(startDistance: entryDistance, firstDistance: first,
                                                   kthDistance: s.results.top.distance)
                    if let onCheckpoint { budget = max(evaluations, onCheckpoint(features!)) }
                }
                if evaluations >= budget { break walk }
            }
        }
        return BudgetedSearchTrace(results: s.drainResults(keeping: k), distanceCount: evaluations,
                                   features: features, evaluationsToFindTruth: toFindTruth)
    }
}
