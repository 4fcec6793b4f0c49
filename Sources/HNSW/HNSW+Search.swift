import Dispatch
import Kernels

/// What one search cost.
public struct SearchStats: Sendable {
    /// Distance evaluations.
    public var distanceCount = 0
    /// True when a selective filter made the search scan the allowed set exactly.
    public var usedExactScan = false
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
        try validate(query, index: 0)
        return try structure.read {
            let live = slotCount - freeSlots.count - deletedCount
            guard k >= 1 && k <= live else { throw HNSWError.invalidK(k: k, count: live) }
            let scratch = scratchPool.borrow(nodes: capacity)
            defer { scratchPool.giveBack(scratch) }
            return searchLocked(query.baseAddress!, k: k, ef: ef, filter: filter, live: live, scratch: scratch, stats: &stats)
        }
    }

    /// Searches many queries (`queries.count / dimension` of them, row by row),
    /// spread over `threads` threads; results in query order.
    public func searchBatch(_ queries: UnsafeBufferPointer<Float>, k: Int, ef: Int, threads: Int = 1,
                            filter: AllowedSet? = nil) throws -> [[Neighbor]] {
        guard queries.count % dimension == 0 else { throw HNSWError.dimensionMismatch(expected: dimension, got: queries.count % dimension) }
        let n = queries.count / dimension
        for q in 0..<n { try validate(UnsafeBufferPointer(rebasing: queries[q * dimension..<(q + 1) * dimension]), index: q) }
        return try structure.read {
            let live = slotCount - freeSlots.count - deletedCount
            guard k >= 1 && k <= live else { throw HNSWError.invalidK(k: k, count: live) }
            var results = [[Neighbor]](repeating: [], count: n)
            let workers = max(1, min(threads, n))
            results.withUnsafeMutableBufferPointer { out in
                let outAddress = Int(bitPattern: out.baseAddress)
                let baseAddress = Int(bitPattern: queries.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let scratch = scratchPool.borrow(nodes: capacity)
                    var stats = SearchStats()
                    let out = UnsafeMutablePointer<[Neighbor]>(bitPattern: outAddress)!
                    let base = UnsafePointer<Float>(bitPattern: baseAddress)!
                    for q in stride(from: w, to: n, by: workers) {
                        out[q] = searchLocked(base + q * dimension, k: k, ef: ef, filter: filter, live: live,
                                              scratch: scratch, stats: &stats)
                    }
                    scratchPool.giveBack(scratch)
                }
            }
            return results
        }
    }

    /// The search proper; caller holds the structure lock (shared) and validated input.
    func searchLocked(_ rawQuery: UnsafePointer<Float>, k: Int, ef: Int, filter: AllowedSet?, live: Int,
                      scratch: SearchScratch, stats: inout SearchStats) -> [Neighbor] {
        var query = rawQuery
        if metric == .cosine {
            scratch.prepareQuery(rawQuery, dimension: dimension)
            query = UnsafePointer(scratch.query)
        }
        if let filter, Double(filter.count) < Self.exactScanSelectivity * Double(live) {
            stats.usedExactScan = true
            return exactScan(query, k: k, allowed: filter, stats: &stats)
        }
        let (entry, top) = global.withLock { (entryPoint, maxLevel) }
        let ctx = queryContext(query, scratch: scratch)
        var current = entry
        var currentDistance = distance(ctx, entry)
        var evaluations = 1
        for level in stride(from: top, to: 0, by: -1) {
            evaluations += greedyDescend(ctx, from: &current, distance: &currentDistance, level: level, locked: false)
        }
        searchLayer(ctx, entry: current, entryDistance: currentDistance, ef: max(ef, k), level: 0,
                    scratch: scratch, locked: false, filter: filter, skipDeleted: deletedCount > 0)
        stats.distanceCount += evaluations + scratch.distanceCount
        guard ctx.isQuantized else { return scratch.drainResults(keeping: k) }
        // Re-rank the beam with exact distances; the codes only steered the walk.
        var beam = scratch.drainResults(keeping: scratch.results.count)
        for i in beam.indices { beam[i].distance = distance(query, beam[i].id) }
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
        var buffer = [UInt32](repeating: 0, count: maxLinks + 1)
        var changed = true
        while changed {
            changed = false
            let list: UnsafePointer<UInt32>
            if locked {
                let c = current
                buffer.withUnsafeMutableBufferPointer { b in
                    locks.withLock(c) {
                        let src = links(c, level: level)
                        b.baseAddress!.update(from: src, count: Int(src[0]) + 1)
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
        s.reset(nodes: slotCount)
        let filtering = filter != nil || skipDeleted
        @inline(__always) func accepts(_ id: UInt32) -> Bool {
            !(skipDeleted && isDeleted(id)) && (filter?.contains(id) ?? true)
        }
        s.markVisited(entry)
        var lowerBound = Float.infinity
        if !filtering || accepts(entry) {
            s.results.push(entryDistance, entry)
            lowerBound = entryDistance
        }
        s.candidates.push(-entryDistance, entry)
        let capacity = linkCapacity(level: level)
        let buffer = s.linkBuffer
        let lines = nodeLines(query)
        let gatherLines = query.isQuantized ? Self.quantizedPrefetchLines : Self.prefetchLines
        while !s.candidates.isEmpty {
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
            // Gather the unvisited neighbours first and prefetch them all, so their
            // cache misses overlap instead of being paid one after another.
            let fresh = s.freshBuffer
            var m = 0
            for j in 1...max(1, n) where j <= n { prefetch(s.visitedAddress(list[j])) }
            for j in 1...max(1, n) where j <= n {
                let candidate = list[j]
                if s.isVisited(candidate) { continue }
                s.markVisited(candidate)
                fresh[m] = candidate
                m += 1
                prefetchNode(query, candidate, from: 0, to: gatherLines)
            }
            for j in 0..<m {
                let candidate = fresh[j]
                if j + 1 < m { prefetchNode(query, fresh[j + 1], from: gatherLines, to: lines) }
                let d = distance(query, candidate)
                s.distanceCount += 1
                if s.results.count < ef || d < lowerBound {
                    s.candidates.push(-d, candidate)
                    prefetch(UnsafeRawPointer(links(s.candidates.top.id, level: level)))
                    if !filtering || accepts(candidate) {
                        s.results.push(d, candidate)
                        if s.results.count > ef { s.results.pop() }
                    }
                    if !s.results.isEmpty { lowerBound = s.results.top.distance }
                }
            }
        }
    }

    /// Cache lines of every fresh neighbour's vector prefetched before any distance is
    /// computed; the rest of a vector is prefetched one neighbour ahead.
    static let prefetchLines = 4
    /// The same for int8 codes (6 lines at 384 dimensions): measured best at 2.
    static let quantizedPrefetchLines = 2

    /// Exact search over the allowed live ids.
    func exactScan(_ query: UnsafePointer<Float>, k: Int, allowed: AllowedSet, stats: inout SearchStats) -> [Neighbor] {
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
