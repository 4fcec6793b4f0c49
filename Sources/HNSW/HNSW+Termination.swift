/// The search of Li, Zhang, Andersen and He, "Improving Approximate Nearest Neighbor
/// Search through Learned Adaptive Early Termination" (SIGMOD 2020), as primitives:
/// - ``budgetedSearch``: best-first search at level 0 with no ef stop, stopped by a
///   budget of distance evaluations, recording the state at a checkpoint (the model's
///   features) and the evaluations a query needed to hold its true neighbours (the
///   model's training label);
/// - `learnedWalk`: the same walk as the model runs it, with a beam of `beam` results
///   bounding which candidates are kept (as ef does). Best-first search expands nodes
///   in the same order whatever the beam, until the beam's own stop; the beam only
///   saves heap work on candidates that would never be expanded in time, and caps the
///   walk of queries whose prediction is too generous.
/// Both are the one beam walk every search runs (``HNSWIndex/walk``), observed and
/// stopped by a ``CheckpointHook``.

/// The search state Li et al. feed their model at the checkpoint, besides the query.
public struct TerminationFeatures: Sendable, Equatable {
    /// Distance from the query to the level-0 entry node (after the upper-level descent).
    public var startDistance: Float
    /// Distance of the current nearest result.
    public var firstDistance: Float
    /// Distance of the current k-th result (the farthest kept, if fewer than k).
    public var kthDistance: Float
    // refer's additions to the paper's features: how much work is still open.
    /// Queued candidates closer than the k-th result (nodes that could still improve it).
    public var openCandidates: Float = 0
    /// Distance of the closest queued candidate (infinity when none).
    public var frontierDistance: Float = .infinity
    /// The k-th result's distance at half the first checkpoint, or at the previous
    /// checkpoint for the later ones (how fast it still moves).
    public var earlierKthDistance: Float = .infinity
    /// Evaluations spent when the state was taken.
    public var evaluations: Float = 0
    /// Evaluations since the k nearest last changed: whether the results still move.
    public var sinceChange: Float = 0

    public init(startDistance: Float, firstDistance: Float, kthDistance: Float, openCandidates: Float = 0,
                frontierDistance: Float = .infinity, earlierKthDistance: Float = .infinity) {
        self.startDistance = startDistance; self.firstDistance = firstDistance; self.kthDistance = kthDistance
        self.openCandidates = openCandidates; self.frontierDistance = frontierDistance; self.earlierKthDistance = earlierKthDistance
    }

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
    public var features: TerminationFeatures? { states.first }
    /// The state at the checkpoint and at each doubling of it that the search reached.
    public var states: [TerminationFeatures]
    /// Level-0 evaluations after which every id of `truth` was among the results; nil
    /// if that never happened within the budget.
    public var evaluationsToFindTruth: Int?
    /// Level-0 evaluations after which the results first held 1, 2, ... ids of `truth`
    /// (as many entries as were found within the budget; once in, a true neighbour
    /// stays, since only a nearer one can displace it).
    public var truthFoundAt: [Int] = []
    /// Evaluations spent on the upper levels before the level-0 walk.
    public var descentEvaluations = 0
}

extension HNSWIndex {
    /// Best-first search at level 0 that pushes every evaluated neighbour as a
    /// candidate and stops only when `budget` distance evaluations are spent (or the
    /// reachable graph is exhausted). See ``BudgetedSearchTrace``.
    /// - Parameters:
    ///   - checkpoint: the first state is taken at this many evaluations, then
    ///     `checkpoints - 1` more, each `growth` times the previous.
    public func budgetedSearch(_ query: [Float], k: Int, budget: Int, checkpoint: Int? = nil, checkpoints: Int = 1,
                               growth: Double = 2, truth: [UInt32] = []) throws -> BudgetedSearchTrace {
        try query.withUnsafeBufferPointer { q in
            try withSearchScratch(q, k: k) { s, _ in
                let ctx = exactContext(preparedQuery(q.baseAddress!, scratch: s), scratch: s)
                let (entry, entryDistance, descent) = descendToLevelZero(ctx)
                var trace = budgetedWalk(ctx, entry: entry, entryDistance: entryDistance, k: k, budget: budget,
                                         checkpoint: checkpoint, checkpoints: checkpoints, growth: growth, truth: Set(truth), scratch: s)
                trace.descentEvaluations = descent
                return trace
            }
        }
    }

    func budgetedWalk(_ ctx: QueryContext, entry: UInt32, entryDistance: Float, k: Int, budget: Int,
                      checkpoint: Int?, checkpoints: Int, growth: Double = 2, truth: Set<UInt32>, scratch s: SearchScratch) -> BudgetedSearchTrace {
        // A beam as wide as the budget keeps every candidate: nothing bounds the walk but the budget.
        var hook = CheckpointHook(index: self, k: k, entryDistance: entryDistance,
                                  schedule: CheckpointSchedule(first: checkpoint ?? Int.max, count: checkpoint == nil ? 0 : checkpoints, growth: growth),
                                  budget: budget, truth: truth, onCheckpoint: nil)
        let evaluations = walk(ctx, entry: entry, entryDistance: entryDistance, ef: max(k, budget), level: 0, scratch: s, locked: false,
                               filter: nil, skipDeleted: deletedCount > 0, hook: &hook)
        return BudgetedSearchTrace(results: hook.nearest.values, distanceCount: evaluations, states: hook.states,
                                   evaluationsToFindTruth: hook.toFindTruth, truthFoundAt: hook.foundAt)
    }

    /// Level-0 search for a learned model: ef-style search with `beam` results that
    /// also stops after `budget` evaluations; at `checkpoint` evaluations
    /// `onCheckpoint` sees the search state and returns the budget to finish with.
    /// Results are left in `s.results` (the beam). Returns the evaluations spent.
    func learnedWalk(_ ctx: QueryContext, entry: UInt32, entryDistance: Float, k: Int, beam: Int, budget: Int,
                     checkpoint: Int, checkpoints: Int = 1, growth: Double = 2, scratch s: SearchScratch,
                     onCheckpoint: (TerminationFeatures) -> Int) -> Int {
        // The hook holds the callback only for this walk.
        withoutActuallyEscaping(onCheckpoint) { onCheckpoint in
            var hook = CheckpointHook(index: self, k: k, entryDistance: entryDistance,
                                      schedule: CheckpointSchedule(first: checkpoint, count: checkpoints, growth: growth),
                                      budget: budget, truth: [], onCheckpoint: onCheckpoint)
            return walk(ctx, entry: entry, entryDistance: entryDistance, ef: beam, level: 0, scratch: s, locked: false,
                        filter: nil, skipDeleted: deletedCount > 0, hook: &hook)
        }
    }

    /// Level-0 search stopped by its caller, the hook learned early termination plugs into:
    /// ef-style search with `beam` results and no more than `maxEvaluations` evaluations;
    /// at `checkpoint` evaluations and `checkpoints - 1` more, each `growth` times the
    /// previous, `budget` sees the search state and the prepared query (unit length under
    /// cosine) and returns the evaluations to finish with.
    public func search(_ query: [Float], k: Int, beam: Int, maxEvaluations: Int, checkpoint: Int, checkpoints: Int = 1,
                       growth: Double = 2, stats: inout SearchStats,
                       budget: (_ state: TerminationFeatures, _ query: UnsafePointer<Float>) -> Int) throws -> [Neighbor] {
        try query.withUnsafeBufferPointer { q in
            try withSearchScratch(q, k: k) { s, _ in
                let prepared = preparedQuery(q.baseAddress!, scratch: s)
                let ctx = exactContext(prepared, scratch: s)
                let (entry, entryDistance, descent) = descendToLevelZero(ctx)
                var predictions = 0
                let spent = learnedWalk(ctx, entry: entry, entryDistance: entryDistance, k: k, beam: max(k, beam),
                                        budget: maxEvaluations, checkpoint: checkpoint, checkpoints: checkpoints,
                                        growth: growth, scratch: s) { state in
                    predictions += 1
                    return budget(state, prepared)
                }
                stats.distanceCount += descent + spent
                stats.predictions += predictions
                return s.drainResults(keeping: k)
            }
        }
    }

    /// The `k` nearest of the results heap, nearest first (fewer if it holds fewer).
    func nearestOfBeam(k: Int, scratch s: SearchScratch) -> [Neighbor] {
        var best = NearestK(k: k)
        for i in 0..<s.results.count { _ = best.offer(s.results.storage[i]) }
        return best.values
    }

    /// Moves `schedule` on at `evaluations` (call when `evaluations >= schedule.nextEvent`):
    /// keeps the k nearest at half the first checkpoint, and at each checkpoint returns
    /// the state then. `nearest`: the k nearest results when the walk tracks them (else
    /// they are picked out of the results heap).
    func checkpointEvent(_ schedule: inout CheckpointSchedule, evaluations: Int, lastChange: Int, entryDistance: Float,
                         k: Int, nearest: [Neighbor]? = nil, scratch s: SearchScratch) -> TerminationFeatures? {
        if evaluations == schedule.half { schedule.earlier = nearest ?? nearestOfBeam(k: k, scratch: s); schedule.halfTaken = true }
        guard evaluations == schedule.next && schedule.left > 0 else { return nil }
        let (state, now) = stateAtCheckpoint(entryDistance: entryDistance, earlier: schedule.earlier, nearest: nearest, evaluations: evaluations,
                                             lastChange: lastChange, k: k, scratch: s)
        schedule.earlier = now
        schedule.next = max(schedule.next + 1, Int((Double(schedule.next) * schedule.growth).rounded()))
        schedule.left -= 1
        return state
    }

    /// The features at a checkpoint, given the k nearest at the previous reference
    /// point (half the first checkpoint, then each checkpoint). Both walks expand the
    /// same nodes in the same order, so they see the same state whatever their beam.
    func stateAtCheckpoint(entryDistance: Float, earlier: [Neighbor], nearest: [Neighbor]? = nil, evaluations: Int, lastChange: Int,
                           k: Int, scratch s: SearchScratch) -> (TerminationFeatures, [Neighbor]) {
        let best = nearest ?? nearestOfBeam(k: k, scratch: s)
        let kth = best.last?.distance ?? entryDistance
        var open = 0, frontier = Float.infinity
        for i in 0..<s.candidates.count {
            let d = -s.candidates.storage[i].distance
            if d < kth { open += 1 }
            frontier = min(frontier, d)
        }
        var f = TerminationFeatures(startDistance: entryDistance, firstDistance: best.first?.distance ?? entryDistance,
                                    kthDistance: kth, openCandidates: Float(open), frontierDistance: frontier,
                                    earlierKthDistance: earlier.count == k ? earlier[k - 1].distance : .infinity)
        f.evaluations = Float(evaluations)
        f.sinceChange = Float(evaluations - lastChange)
        return (f, best)
    }
}

/// When a walk takes its state: at `first` evaluations and then each `growth` times
/// the previous, `count` times; the k nearest at half the first checkpoint are the
/// first reference.
struct CheckpointSchedule {
    var next: Int
    var left: Int
    let half: Int
    let growth: Double
    var halfTaken = false
    /// The k nearest at the previous reference point.
    var earlier: [Neighbor] = []

    init(first: Int, count: Int, growth: Double = 2) {
        next = first; left = count; half = first / 2; self.growth = max(1, growth)
    }

    /// The next evaluation count at which something is recorded.
    var nextEvent: Int { !halfTaken && half > 0 && left > 0 ? half : (left > 0 ? next : Int.max) }
}

/// The hook of the walks learned early termination records and drives: takes the state at
/// each checkpoint of `schedule` (and passes it to `onCheckpoint`, which resets the budget),
/// keeps the k nearest accepted nodes and, given the true neighbours, when each entered;
/// stops the walk at the budget.
struct CheckpointHook: WalkHook {
    static var watchesResults: Bool { true }
    let index: HNSWIndex
    let k: Int
    let entryDistance: Float
    var schedule: CheckpointSchedule
    var budget: Int
    let truth: Set<UInt32>
    let onCheckpoint: ((TerminationFeatures) -> Int)?
    var nearest: NearestK
    var lastChange = 0
    var states: [TerminationFeatures] = []
    var found = 0
    var foundAt: [Int] = []
    var toFindTruth: Int?
    var nextEvent: Int

    init(index: HNSWIndex, k: Int, entryDistance: Float, schedule: CheckpointSchedule, budget: Int, truth: Set<UInt32>,
         onCheckpoint: ((TerminationFeatures) -> Int)?) {
        self.index = index; self.k = k; self.entryDistance = entryDistance; self.schedule = schedule
        self.budget = budget; self.truth = truth; self.onCheckpoint = onCheckpoint
        nearest = NearestK(k: k)
        nextEvent = min(budget, schedule.nextEvent)
    }

    mutating func accepted(_ id: UInt32, distance d: Float, evaluations: Int) {
        guard d < nearest.kth else { return }
        let evicted = nearest.insert(Neighbor(distance: d, id: id))
        lastChange = evaluations
        guard !truth.isEmpty else { return }
        if truth.contains(id) { found += 1 }
        if let evicted, truth.contains(evicted.id) { found -= 1 }
        if found > foundAt.count { foundAt.append(evaluations) }
        if toFindTruth == nil && found == truth.count { toFindTruth = evaluations }
    }

    mutating func event(evaluations: Int, scratch s: SearchScratch) -> Bool {
        if let state = index.checkpointEvent(&schedule, evaluations: evaluations, lastChange: lastChange, entryDistance: entryDistance,
                                             k: k, nearest: nearest.values, scratch: s) {
            states.append(state)
            if let onCheckpoint { budget = max(evaluations, onCheckpoint(state)) }
        }
        if evaluations >= budget { return false }
        nextEvent = min(budget, schedule.nextEvent)
        return true
    }
}

/// The k nearest offered so far, nearest first: notices when they change while a
/// wider beam is kept, and picks them out of a beam.
struct NearestK {
    private(set) var values: [Neighbor] = []
    let k: Int
    init(k: Int) { self.k = k; values.reserveCapacity(k + 1) }
    var kth: Float { values.count < k ? .infinity : values[k - 1].distance }
    /// Takes `n` if it is among the k nearest; says whether it was.
    mutating func offer(_ n: Neighbor) -> Bool {
        guard n.distance < kth else { return false }
        _ = insert(n)
        return true
    }

    /// Inserts `n` (nearer than the k-th, or fewer than k held); returns the one it pushed out.
    mutating func insert(_ n: Neighbor) -> Neighbor? {
        var i = values.count
        while i > 0 && values[i - 1].distance > n.distance { i -= 1 }
        values.insert(n, at: i)
        return values.count > k ? values.removeLast() : nil
    }
}
