import Dispatch
import Kernels

extension HNSWIndex {
    /// Inserts the vectors in `vectors` (row after row, `dimension` floats each) and
    /// returns their ids, in order. Ids of deleted-and-consolidated vectors are reused
    /// first, smallest first; otherwise ids are assigned 0, 1, 2, ...
    ///
    /// With `threads > 1` the links are built in parallel (per-node locks, as hnswlib
    /// does); with `threads == 1` the build is deterministic for a given seed.
    /// Searches may run while this runs.
    @discardableResult
    public func add(_ vectors: UnsafeBufferPointer<Float>, threads: Int = 1,
                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> [UInt32] {
        guard ownsNodeMemory else { throw HNSWError.readOnly }
        guard vectors.count % dimension == 0 else {
            throw HNSWError.dimensionMismatch(expected: dimension, got: vectors.count % dimension)
        }
        let n = vectors.count / dimension
        for i in 0..<n { try validate(UnsafeBufferPointer(rebasing: vectors[i * dimension..<(i + 1) * dimension]), index: i) }
        guard n > 0 else { return [] }
        guard slotCount - freeSlots.count + n <= Int(UInt32.max - 1) else {
            throw HNSWError.invalidConfiguration("an index holds at most \(UInt32.max - 1) vectors")
        }
        let ids = structure.write { placeVectors(vectors, count: n) }
        graphChanged()
        defer { graphChanged() }
        structure.read {
            let workers = max(1, min(threads, n))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let scratch = scratchPool.borrow(nodes: capacity)
                var done = 0
                for i in stride(from: w, to: n, by: workers) {
                    link(ids[i], scratch: scratch)
                    done += 1
                    if w == 0, let progress, done % 1024 == 0 { progress(min(n, done * workers), n) }
                }
                scratchPool.giveBack(scratch)
            }
        }
        progress?(n, n)
        return ids
    }

    /// Convenience for arrays of vectors.
    @discardableResult
    public func add(_ vectors: [[Float]], threads: Int = 1) throws -> [UInt32] {
        for v in vectors where v.count != dimension {
            throw HNSWError.dimensionMismatch(expected: dimension, got: v.count)
        }
        let flat = vectors.flatMap { $0 }
        return try flat.withUnsafeBufferPointer { try add($0, threads: threads) }
    }

    /// Assigns slots, copies vectors in (unit length for cosine), draws levels and
    /// allocates upper-level blocks. Caller holds the structure lock exclusively.
    private func placeVectors(_ vectors: UnsafeBufferPointer<Float>, count n: Int) -> [UInt32] {
        var ids = [UInt32]()
        ids.reserveCapacity(n)
        while ids.count < n, let slot = freeSlots.popLast() { ids.append(slot) }
        let fresh = n - ids.count
        if slotCount + fresh > capacity { grow(to: max(slotCount + fresh, capacity + capacity / 2)) }
        for i in 0..<fresh { ids.append(UInt32(slotCount + i)) }
        slotCount += fresh
        if quantizer == nil && (configuration.storage == .int8 || configuration.traversalCodeBits != nil) {
            // Codes need ranges before the first record is written: learned from this batch.
            let rows = min(n, Self.codeTrainingLimit)
            let unit = metric == .cosine ? Self.unitRows(vectors, rows: rows, dimension: dimension) : nil
            defer { unit?.deallocate() }
            let sq = ScalarQuantizer.train(rows: rows, dimension: dimension, range: .perDimension,
                                           bits: configuration.traversalCodeBits ?? 8) { r in
                unit.map { UnsafePointer($0.baseAddress! + r * dimension) } ?? vectors.baseAddress! + r * dimension
            }
            adoptQuantizer(sq, trainedRows: rows)
        }
        let unitBuffer = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
        defer { unitBuffer.deallocate() }
        for (i, id) in ids.enumerated() {
            var source = vectors.baseAddress! + i * dimension
            if metric == .cosine {
                unitBuffer.update(from: source, count: dimension)
                Distance.normalize(UnsafeMutableBufferPointer(start: unitBuffer, count: dimension))
                source = UnsafePointer(unitBuffer)
            }
            store(source, at: id)
            markDirty(id)
            links(id, level: 0)[0] = 0
            let level = randomLevel(for: id)
            levels[Int(id)] = UInt8(level)
            upperLinks[Int(id)]?.deallocate()
            upperLinks[Int(id)] = nil
            if level > 0 {
                let block = UnsafeMutablePointer<UInt32>.allocate(capacity: level * (maxLinks + 1))
                block.initialize(repeating: 0, count: level * (maxLinks + 1))
                upperLinks[Int(id)] = block
            }
        }
        relearnCodesIfGrown()
        return ids
    }

    /// The first `rows` rows of `vectors` scaled to unit length (what cosine indexes).
    private static func unitRows(_ vectors: UnsafeBufferPointer<Float>, rows: Int, dimension: Int) -> UnsafeMutableBufferPointer<Float> {
        let out = UnsafeMutableBufferPointer<Float>.allocate(capacity: rows * dimension)
        for r in 0..<rows {
            let row = UnsafeMutableBufferPointer(rebasing: out[r * dimension..<(r + 1) * dimension])
            _ = row.update(fromContentsOf: vectors[r * dimension..<(r + 1) * dimension])
            Distance.normalize(row)
        }
        return out
    }

    /// Links one placed node into the graph (Malkov and Yashunin, algorithm 1).
    func link(_ id: UInt32, scratch: SearchScratch) {
        let level = Int(levels[Int(id)])
        let nodes = scratch.decodedNodes(dimension: dimension)
        let query = nodeContext(id, buffer: nodes.inserted)
        global.lock()
        if entryPoint == Self.none {
            entryPoint = id; maxLevel = level
            global.unlock()
            return
        }
        // A node that raises the top level keeps the global lock until it is the
        // new entry point (rare: about one node in M^level).
        let raisesTop = level > maxLevel
        let entry = entryPoint, top = maxLevel
        if !raisesTop { global.unlock() }

        var current = entry
        var currentDistance = distance(query, entry)
        for l in stride(from: top, to: level, by: -1) {
            _ = greedyDescend(query, from: &current, distance: &currentDistance, level: l, locked: true)
        }
        // Top down: find the neighbours on every level and write the node's own lists
        // (nobody can reach the node yet).
        var chosenPerLevel = [[Neighbor]](repeating: [], count: min(level, top) + 1)
        for l in stride(from: min(level, top), through: 0, by: -1) {
            searchLayer(query, entry: current, entryDistance: currentDistance, ef: configuration.efConstruction,
                        level: l, scratch: scratch, locked: true, filter: nil, skipDeleted: false)
            var candidates = scratch.drainResults(keeping: configuration.efConstruction)
            candidates.removeAll { $0.id == id }
            guard let nearest = candidates.first else { continue }
            current = nearest.id; currentDistance = nearest.distance
            let chosen = selectNeighbors(candidates, limit: configuration.m, buffer: nodes.candidate)
            locks.withLock(id) {
                let list = links(id, level: l)
                list[0] = UInt32(chosen.count)
                for (j, c) in chosen.enumerated() { list[1 + j] = c.id }
            }
            chosenPerLevel[l] = chosen
        }
        // Bottom up: publish the links to it. A search that reaches the node on some
        // level then always finds its lists on every level below already filled, so a
        // concurrent search never descends into a node with no way out.
        for l in 0..<chosenPerLevel.count {
            for c in chosenPerLevel[l] { connect(c.id, to: id, distance: c.distance, level: l, nodes: nodes) }
        }
        if raisesTop {
            entryPoint = id; maxLevel = level
            global.unlock()
        }
    }

    /// Adds the link `from -> to`; when `from` is full, its links plus `to` are pruned
    /// back to capacity with the same heuristic.
    func connect(_ from: UInt32, to: UInt32, distance d: Float, level: Int, nodes: DecodedNodes) {
        let capacity = linkCapacity(level: level)
        markDirty(from)
        locks.withLock(from) {
            let list = links(from, level: level)
            let n = Int(list[0])
            for j in 0..<n where list[1 + j] == to { return }
            if n < capacity {
                list[1 + n] = to
                list[0] = UInt32(n + 1)
                return
            }
            // The existing neighbours sit at random places in memory: start all their
            // loads before the first distance so the misses overlap.
            let base = nodeContext(from, buffer: nodes.base)
            for j in 0..<n { prefetchNodeL2(base, list[1 + j], from: 0, to: nodeLines(base)) }
            var candidates = [Neighbor(distance: d, id: to)]
            candidates.reserveCapacity(n + 1)
            for j in 0..<n { candidates.append(Neighbor(distance: distance(base, list[1 + j]), id: list[1 + j])) }
            candidates.sort { $0.distance < $1.distance }
            let kept = selectNeighbors(candidates, limit: capacity, buffer: nodes.candidate)
            for (j, c) in kept.enumerated() { list[1 + j] = c.id }
            list[0] = UInt32(kept.count)
        }
    }

    /// The neighbour-selection heuristic (Malkov and Yashunin, algorithm 4): walking
    /// the candidates nearest first, keep one only if it is closer to the base node
    /// than to every node kept so far, so links spread in all directions.
    /// `candidates` must be sorted by distance to the base node; `buffer` holds a
    /// decoded candidate when the vectors are not stored as Float32.
    func selectNeighbors(_ candidates: [Neighbor], limit: Int, buffer: DecodedNode) -> [Neighbor] {
        guard candidates.count > limit else { return candidates }
        var kept = [Neighbor]()
        kept.reserveCapacity(limit)
        for c in candidates {
            if kept.count >= limit { break }
            if kept.isEmpty { kept.append(c); continue }
            let candidate = nodeContext(c.id, buffer: buffer)
            var good = true
            for k in kept where distance(candidate, k.id) < c.distance { good = false; break }
            if good { kept.append(c) }
        }
        return kept
    }
}
