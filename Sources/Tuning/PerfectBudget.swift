/// What any per-query evaluation budget could achieve on a walk at best: the headroom
/// of learned early termination. Every budgeting policy (the learned one included)
/// stops each query's walk somewhere; a query's recall@k then is the share of its true
/// neighbours found by that point. Given when each query found each true neighbour,
/// this computes the fewest mean evaluations with which a perfect predictor, choosing
/// every query's stop knowing the future, reaches a mean recall. It solves the
/// fractional relaxation (each query's recall curve replaced by its upper concave
/// hull, segments taken best gain per evaluation first), so it is a lower bound.
public enum PerfectBudget {
    /// Mean level-0 evaluations a perfect per-query budget needs for mean recall@k
    /// `target`; nil if the walks never found enough.
    /// - Parameter foundAt: per query, the evaluations after which 1, 2, ... true
    ///   neighbours were held (non-decreasing, at most `k` entries).
    public static func meanEvaluations(foundAt: [[Int]], k: Int, target: Double) -> Double? {
        precondition(k > 0)
        guard !foundAt.isEmpty else { return nil }
        var segments: [(cost: Double, gain: Double)] = []
        for found in foundAt { segments += hull(found) }
        // Best gain per evaluation first; equal slopes in any order give the same total.
        segments.sort { $0.gain * $1.cost > $1.gain * $0.cost }
        var needed = target * Double(foundAt.count * k), spent = 0.0
        for segment in segments {
            if needed <= 1e-9 { break }
            if segment.gain >= needed { return (spent + segment.cost * needed / segment.gain) / Double(foundAt.count) }
            spent += segment.cost
            needed -= segment.gain
        }
        return needed <= 1e-9 ? spent / Double(foundAt.count) : nil
    }

    /// The upper concave hull of the steps (0, 0), (found[0], 1), (found[1], 2), ...
    /// as segments of (evaluations, neighbours gained), steepest first.
    static func hull(_ found: [Int]) -> [(cost: Double, gain: Double)] {
        var points: [(x: Double, y: Double)] = [(0, 0)]
        for (i, f) in found.enumerated() {
            let p = (x: Double(f), y: Double(i + 1))
            // A point at the same cost as the last one replaces it (it gains more); the
            // origin stays, so neighbours held before any evaluation are a free segment.
            if points.count > 1, points[points.count - 1].x == p.x { points.removeLast() }
            // Keep the hull concave: drop the last point while it lies on or under the chord.
            while points.count >= 2 {
                let a = points[points.count - 2], b = points[points.count - 1]
                if (b.y - a.y) * (p.x - a.x) <= (p.y - a.y) * (b.x - a.x) { points.removeLast() } else { break }
            }
            points.append(p)
        }
        return zip(points, points.dropFirst()).map { (cost: $1.x - $0.x, gain: $1.y - $0.y) }
    }
}
