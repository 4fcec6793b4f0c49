import Dispatch
import Kernels

/// What one search cost.
public struct SearchStats: Sendable {
    /// Distance evaluations.
    public var distanceCount = 0
    /// True when a selective filter made the search scan the allowed set exactly.
    public var usedExactScan = false
    /// Predictions a learned termination model made.
    public var predictions = 0
    public init() {}
}

extension HNSWIndex {
    /// Below this fraction of live vectors allowed, a filtered search scans the allowed
    /// set exactly: cheaper than a graph walk that rejects nearly every node, and exact.
    public static let exactScanSelectivity = 0.03

    /// The `k` nearest live vectors to `query`, nearest first.
    /// - Parameters:
    ///   - ef: beam width at level 0 (raised to `k` when smaller); larger is slower and more accurate.
    ///   - filter: only ids in the set are returned.
    public func search(_ query: [Float], k: Int, ef: Int = 64, filter: AllowedSet? = nil) throws -> [Neighbor] {
        var stats = SearchStats()
        return try query.withUnsafeBufferPointer { try search($0, k: k, ef: ef, filter: filter, stats: &stats) }
    }

    /// As ``search(_:k:ef:filter:)``, reporting its cost in `stats`.
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, ef: Int, filter: AllowedSet? = nil,
                       stats: inout SearchStats) throws -> [Neighbor] {
        try withSearchScratch(query, k: k) { scratch, live in
            searchLocked(query.baseAddress!, k: k, ef: ef, filter: filter, live: live, scratch: scratch, stats: &stats)
        }
    }

    /// The common start of one search: checks the query and k, holds the structure lock
    /// shared and lends `body` a scratch and the live count.
    func withSearchScratch<T>(_ query: UnsafeBufferPointer<Float>, k: Int,
                              _ body: (SearchScratch, _ live: Int) throws -> T) throws -> T {
        try validate(query, index: 0)
        return try structure.read {
            let live = slotCount - freeSlots.count - deletedCount
            guard k >= 1 && k <= live else { throw HNSWError.invalidK(k: k, count: live) }
            let scratch = scratchPool.borrow(nodes: capacity)
            defer { scratchPool.giveBack(scratch) }
            return try body(scratch, live)
        }
    }

    /// Searches many queries (`queries.count / dimension` of them, row by row),
    /// spread over `threads` threads; results in query order, the same as
    /// ``search(_:k:ef:filter:)`` gives one by one.
    public func searchBatch(_ queries: UnsafeBufferPointer<Float>, k: Int, ef: Int, threads: Int = 1,
                            filter: AllowedSet? = nil) throws -> [[Neighbor]] {
        var stats = SearchStats()
        return try searchBatch(queries, k: k, ef: ef, threads: threads, filter: filter, stats: &stats)
    }

    /// As ``searchBatch(_:k:ef:threads:filter:)``, adding the batch's cost to `stats`.
    public func searchBatch(_ queries: UnsafeBufferPointer<Float>, k: Int, ef: Int, threads: Int = 1,
                            filter: AllowedSet? = nil, stats: inout SearchStats) throws -> [[Neighbor]] {
        guard queries.count % dimension == 0 else { throw HNSWError.dimensionMismatch(expected: dimension, got: queries.count % dimension) }
        let n = queries.count / dimension
        for q in 0..<n { try validate(UnsafeBufferPointer(rebasing: queries[q * dimension..<(q + 1) * dimension]), index: q) }
        return try structure.read {
            let live = slotCount - freeSlots.count - deletedCount
            guard k >= 1 && k <= live else { throw HNSWError.invalidK(k: k, count: live) }
            var results = [[Neighbor]](repeating: [], count: n)
            let workers = max(1, min(threads, n))
            var workerStats = [SearchStats](repeating: SearchStats(), count: workers)
            results.withUnsafeMutableBufferPointer { out in
                workerStats.withUnsafeMutableBufferPointer { statsOut in
                    let outAddress = Int(bitPattern: out.baseAddress)
                    let statsAddress = Int(bitPattern: statsOut.baseAddress)
                    let baseAddress = Int(bitPattern: queries.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        let scratch = scratchPool.borrow(nodes: capacity)
                        let out = UnsafeMutablePointer<[Neighbor]>(bitPattern: outAddress)!
                        let base = UnsafePointer<Float>(bitPattern: baseAddress)!
                        let mine = UnsafeMutablePointer<SearchStats>(bitPattern: statsAddress)! + w
                        for q in stride(from: w, to: n, by: workers) {
                            out[q] = searchLocked(base + q * dimension, k: k, ef: ef, filter: filter, live: live,
                                                  scratch: scratch, stats: &mine.pointee)
                        }
                        scratchPool.giveBack(scratch)
                    }
                }
            }
            for w in workerStats {
                stats.distanceCount += w.distanceCount
                stats.usedExactScan = stats.usedExactScan || w.usedExactScan
            }
            return results
        }
    }

    /// The search proper; caller holds the structure lock (shared) and validated input.
    func searchLocked(_ rawQuery: UnsafePointer<Float>, k: Int, ef: Int, filter: AllowedSet?, live: Int,
                      scratch: SearchScratch, stats: inout SearchStats) -> [Neighbor] {
        let query = preparedQuery(rawQuery, scratch: scratch)
        if let filter, Double(filter.count) < Self.exactScanSelectivity * Double(live) {
            stats.usedExactScan = true
            return exactScan(exactContext(query, scratch: scratch), k: k, allowed: filter, stats: &stats)
        }
        let ctx = queryContext(query, scratch: scratch)
        let (entry, entryDistance, evaluations) = descendToLevelZero(ctx)
        searchLayer(ctx, entry: entry, entryDistance: entryDistance, ef: max(ef, k), level: 0,
                    scratch: scratch, locked: false, filter: filter, skipDeleted: deletedCount > 0)
        stats.distanceCount += evaluations + scratch.distanceCount
        return finishResults(ctx, k: k, scratch: scratch, stats: &stats)
    }

    /// The query as the index compares it: scaled to unit length for cosine.
    @inline(__always)
    func preparedQuery(_ rawQuery: UnsafePointer<Float>, scratch: SearchScratch) -> UnsafePointer<Float> {
        guard metric == .cosine else { return rawQuery }
        scratch.prepareQuery(rawQuery, dimension: dimension)
        return UnsafePointer(scratch.query)
    }

    /// Greedy descent from the entry point through the upper levels: the level-0
    /// starting node, its distance, and the distance evaluations spent.
    func descendToLevelZero(_ ctx: QueryContext) -> (UInt32, Float, Int) {
        let (entry, top) = global.withLock { (entryPoint, maxLevel) }
        var current = entry
        var currentDistance = distance(ctx, entry)
        var evaluations = 1
        for level in stride(from: top, to: 0, by: -1) {
            evaluations += greedyDescend(ctx, from: &current, distance: &currentDistance, level: level, locked: false)
        }
        return (current, currentDistance, evaluations)
    }

    /// The k results left in `scratch`, nearest first; after a walk over traversal codes
    /// the whole beam is first re-ranked with the stored Float32 or Float16 vectors (the
    /// codes only steered the walk). int8 storage has nothing finer to re-rank with.
    func finishResults(_ ctx: QueryContext, k: Int, scratch: SearchScratch, stats: inout SearchStats) -> [Neighbor] {
        guard ctx.isQuantized && configuration.storage != .int8 else { return scratch.drainResults(keeping: k) }
        var beam = scratch.drainResults(keeping: scratch.results.count)
        for i in beam.indices { beam[i].distance = distance(ctx.vector, beam[i].id) }
        stats.distanceCount += beam.count
        beam.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
        return Array(beam.prefix(k))
    }

    /// Greedy walk on one upper level: move to the closest neighbour until none is
    /// closer. Returns the distance evaluations spent.
    @inline(__always)
    func greedyDescend(_ query: QueryContext, from current: inout UInt32, distance currentDistance: inout Float,
                       level: Int, locked: Bool) -> Int {
        var evaluations = 0
        var buffer = locked ? [UInt32](repeating: 0, count: maxLinks + 1) : []
        var changed = true
        while changed {
            changed = false
            let list: UnsafePointer<UInt32>
            if locked {
                let c = current
                buffer.withUnsafeMutableBufferPointer { b in
                    locks.withLock(c) {
                        let src = links(c, level: level)
                        b.baseAddress!.update(from: src, count: min(Int(src[0]), maxLinks) + 1)
                    }
                }
                list = buffer.withUnsafeBufferPointer { $0.baseAddress! }
            } else {
                list = UnsafePointer(links(current, level: level))
            }
            let n = min(Int(list[0]), maxLinks)
            for j in 0..<n {
                let candidate = list[1 + j]
                let d = distance(query, candidate)
                evaluations += 1
                if d < currentDistance { currentDistance = d; current = candidate; changed = true }
            }
        }
        return evaluations
    }

    /// Best-first beam search on one level (Malkov and Yashunin, algorithm 2). Leaves
    /// up to `ef` nearest accepted nodes in `scratch.results`.
    /// - locked: read link lists under their node locks (during inserts).
    /// - filter / skipDeleted: nodes outside the filter or deleted still route the
    ///   walk but are not results.
    func searchLayer(_ query: QueryContext, entry: UInt32, entryDistance: Float, ef: Int, level: Int,
                     scratch s: SearchScratch, locked: Bool, filter: AllowedSet?, skipDeleted: Bool) {
        var plain = PlainWalk()
        walk(query, entry: entry, entryDistance: entryDistance, ef: ef, level: level, scratch: s, locked: locked,
             filter: filter, skipDeleted: skipDeleted, hook: &plain)
    }

    /// The one beam walk every search runs (a query's level 0, an insert's levels, the
    /// walks of learned early termination): best-first expansion from `entry`, keeping the
    /// `ef` nearest accepted nodes in `scratch.results`, until the nearest open candidate
    /// is farther than the farthest kept (with `ef` kept, when filtering) or `hook` stops it.
    /// `hook` sees each accepted node that enters the beam (when it asks to) and is called
    /// when the evaluations reach its `nextEvent`; a plain search's hook never is, and the
    /// walk is specialised for it. Returns the distance evaluations, also added to
    /// `scratch.distanceCount`.
    @discardableResult
    func walk<Hook: WalkHook>(_ query: QueryContext, entry: UInt32, entryDistance: Float, ef: Int, level: Int,
                              scratch s: SearchScratch, locked: Bool, filter: AllowedSet?, skipDeleted: Bool,
                              hook: inout Hook) -> Int {
        let filtering = filter != nil || skipDeleted
        var lowerBound = startWalk(entry: entry, entryDistance: entryDistance, scratch: s, filter: filter, skipDeleted: skipDeleted)
        if Hook.watchesResults && !s.results.isEmpty { hook.accepted(entry, distance: entryDistance, evaluations: 0) }
        let capacity = linkCapacity(level: level)
        let buffer = s.linkBuffer
        let lines = nodeLines(query)
        var evaluations = 0
        walk: while !s.candidates.isEmpty {
            let current = s.candidates.top
            if -current.distance > lowerBound && (s.results.count >= ef || !filtering) { break }
            s.candidates.pop()
            let list: UnsafePointer<UInt32>
            if locked {
                locks.withLock(current.id) {
                    let src = links(current.id, level: level)
                    buffer.update(from: src, count: min(Int(src[0]), capacity) + 1)
                }
                list = UnsafePointer(buffer)
            } else {
                list = UnsafePointer(links(current.id, level: level))
            }
            let n = min(Int(list[0]), capacity)
            let fresh = s.freshBuffer
            let m = gatherFresh(list, count: n, ctx: query, lines: lines, scratch: s)
            for j in 0..<m {
                let candidate = fresh[j]
                let d = distance(query, candidate)
                evaluations += 1
                if s.results.count < ef || d < lowerBound {
                    admit(candidate, distance: d, ef: ef, level: level, scratch: s, lowerBound: &lowerBound,
                          filtering: filtering, filter: filter, skipDeleted: skipDeleted)
                    if Hook.watchesResults && (!filtering || accepts(candidate, filter: filter, skipDeleted: skipDeleted)) {
                        hook.accepted(candidate, distance: d, evaluations: evaluations)
                    }
                }
                // One comparison per evaluation; the rare events are the hook's.
                guard evaluations >= hook.nextEvent else { continue }
                if !hook.event(evaluations: evaluations, scratch: s) { break walk }
            }
        }
        s.distanceCount += evaluations
        return evaluations
    }

    /// Marks the unvisited ids of `list[1...count]` visited, copies them to
    /// `scratch.freshBuffer` and prefetches all of their data into L2, before any
    /// distance is computed: the misses of a whole neighbourhood then overlap instead
    /// of being paid one vector after another. L2, not L1: a neighbourhood is ~15
    /// vectors x 25 lines, close to L1's 512 lines, and would push out the heaps and
    /// visited tags the loop needs (measured: twice the QPS of prefetching each vector
    /// into L1 one neighbour ahead). Returns how many were fresh.
    @inline(__always)
    func gatherFresh(_ list: UnsafePointer<UInt32>, count n: Int, ctx: QueryContext, lines: Int,
                     scratch s: SearchScratch) -> Int {
        let fresh = s.freshBuffer
        var m = 0
        for j in stride(from: 1, through: n, by: 1) { prefetch(s.visitedAddress(list[j])) }
        for j in stride(from: 1, through: n, by: 1) {
            let candidate = list[j]
            if s.isVisited(candidate) { continue }
            s.markVisited(candidate)
            fresh[m] = candidate
            m += 1
            prefetchNodeL2(ctx, candidate, from: 0, to: lines)
        }
        return m
    }

    /// Resets `s` for a walk from `entry`; returns the starting bound (the entry's
    /// distance, or infinity when the entry may not be a result).
    @inline(__always)
    func startWalk(entry: UInt32, entryDistance: Float, scratch s: SearchScratch, filter: AllowedSet?, skipDeleted: Bool) -> Float {
        s.reset(nodes: slotCount)
        s.markVisited(entry)
        s.candidates.push(-entryDistance, entry)
        guard accepts(entry, filter: filter, skipDeleted: skipDeleted) else { return .infinity }
        s.results.push(entryDistance, entry)
        return entryDistance
    }

    /// May node `id` be a result?
    @inline(__always)
    func accepts(_ id: UInt32, filter: AllowedSet?, skipDeleted: Bool) -> Bool {
        !(skipDeleted && isDeleted(id)) && (filter?.contains(id) ?? true)
    }

    /// Takes a node that beat the bound into the candidate queue and, when it may be a
    /// result, into the results (keeping the best `ef`), then tightens the bound.
    @inline(__always)
    func admit(_ id: UInt32, distance d: Float, ef: Int, level: Int, scratch s: SearchScratch, lowerBound: inout Float,
               filtering: Bool, filter: AllowedSet?, skipDeleted: Bool) {
        s.candidates.push(-d, id)
        prefetch(UnsafeRawPointer(links(s.candidates.top.id, level: level)))
        if !filtering || accepts(id, filter: filter, skipDeleted: skipDeleted) {
            s.results.push(d, id)
            if s.results.count > ef { s.results.pop() }
        }
        if !s.results.isEmpty { lowerBound = s.results.top.distance }
    }

    /// Exact search over the allowed live ids (exact up to the stored form).
    func exactScan(_ query: QueryContext, k: Int, allowed: AllowedSet, stats: inout SearchStats) -> [Neighbor] {
        var heap = NeighborHeap(capacity: k + 1)
        defer { heap.free() }
        for id in allowed.ids where Int(id) < slotCount && !isDeleted(id) && levels[Int(id)] != Self.freeSlotLevel {
            let d = distance(query, id)
            stats.distanceCount += 1
            if heap.count < k { heap.push(d, id) } else if d < heap.top.distance { heap.pop(); heap.push(d, id) }
        }
        var out = [Neighbor](repeating: Neighbor(distance: 0, id: 0), count: heap.count)
        for i in stride(from: heap.count - 1, through: 0, by: -1) { out[i] = heap.pop() }
        return out
    }
}

extension SearchScratch {
    /// Pops the results heap into an array, nearest first, keeping the first `k`.
    func drainResults(keeping k: Int) -> [Neighbor] {
        while results.count > k { results.pop() }
        var out = [Neighbor](repeating: Neighbor(distance: 0, id: 0), count: results.count)
        for i in stride(from: results.count - 1, through: 0, by: -1) { out[i] = results.pop() }
        return out
    }
}

/// What a beam walk tells its observer, and how the observer stops it (``HNSWIndex/walk``).
protocol WalkHook {
    /// Whether ``accepted(_:distance:evaluations:)`` is called (a static fact, so a walk
    /// that does not watch compiles without the call).
    static var watchesResults: Bool { get }
    /// The evaluation count at which the walk next calls ``event(evaluations:scratch:)``.
    var nextEvent: Int { get }
    /// An accepted node entered the beam (the entry at 0 evaluations).
    mutating func accepted(_ id: UInt32, distance: Float, evaluations: Int)
    /// The evaluations reached ``nextEvent``; false ends the walk.
    mutating func event(evaluations: Int, scratch: SearchScratch) -> Bool
}

/// A plain beam search: nothing watched, never stopped early.
struct PlainWalk: WalkHook {
    static var watchesResults: Bool { false }
    var nextEvent: Int { Int.max }
    func accepted(_ id: UInt32, distance: Float, evaluations: Int) {}
    func event(evaluations: Int, scratch: SearchScratch) -> Bool { true }
}
