import Dispatch

extension HNSWIndex {
    /// Tombstones at or above this fraction of the stored vectors trigger
    /// ``consolidateDeletes()`` automatically.
    public static let consolidationThreshold = 0.1

    /// Deletes vector `id`. It leaves every result at once; its node keeps routing
    /// searches until the next consolidation repairs its neighbours' links and frees
    /// the slot for reuse by a later ``add(_:threads:progress:)``.
    public func remove(_ id: UInt32) throws {
        guard ownsNodeMemory else { throw HNSWError.readOnly }
        try structure.write {
            guard isLive(id) else { throw HNSWError.unknownID(id) }
            deletedBits[Int(id) >> 6] |= 1 << (UInt64(id) & 63)
            deletedCount += 1
            let stored = slotCount - freeSlots.count
            if Double(deletedCount) >= Self.consolidationThreshold * Double(stored) { consolidateLocked() }
        }
    }

    /// Repairs every link list that points at a deleted node and frees those nodes'
    /// slots. A list that loses a neighbour is rebuilt from its remaining neighbours
    /// plus the deleted neighbours' own neighbours, pruned with the same heuristic as
    /// inserts, so the graph stays navigable and recall does not decay with deletes.
    public func consolidateDeletes() {
        structure.write { consolidateLocked() }
    }

    func consolidateLocked() {
        guard deletedCount > 0 else { return }
        graphChanged()
        // Repair in parallel: each worker rewrites only live nodes' own lists and
        // reads only deleted nodes' lists, which nobody writes until step 2.
        let workers = 2
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let nodes = DecodedNodes(dimension: dimension)
            for i in stride(from: w, to: slotCount, by: workers) {
                let id = UInt32(i)
                let level = levels[i]
                guard level != Self.freeSlotLevel, !isDeleted(id) else { continue }
                for l in 0...Int(level) { repairLinks(of: id, level: l, nodes: nodes) }
            }
        }
        // Free the deleted slots.
        var newTop = -1
        var newEntry = Self.none
        for i in 0..<slotCount {
            let id = UInt32(i)
            if levels[i] == Self.freeSlotLevel { continue }
            if isDeleted(id) {
                markDirty(id)
                deletedBits[i >> 6] &= ~(1 << (UInt64(i) & 63))
                upperLinks[i]?.deallocate()
                upperLinks[i] = nil
                links(id, level: 0)[0] = 0
                levels[i] = Self.freeSlotLevel
                freeSlots.append(id)
            } else if Int(levels[i]) > newTop {
                newTop = Int(levels[i]); newEntry = id
            }
        }
        freeSlots.sort(by: >)
        deletedCount = 0
        if entryPoint == Self.none || levels[Int(entryPoint)] == Self.freeSlotLevel || newTop > maxLevel {
            entryPoint = newEntry
            maxLevel = max(0, newTop)
        }
    }

    /// Rebuilds one list of a live node if it links to a deleted node.
    private func repairLinks(of id: UInt32, level: Int, nodes: DecodedNodes) {
        let list = links(id, level: level)
        let n = Int(list[0])
        var touched = false
        for j in 0..<n where isDeleted(list[1 + j]) { touched = true; break }
        guard touched else { return }
        markDirty(id)
        var pool = Set<UInt32>()
        for j in 0..<n {
            let neighbor = list[1 + j]
            if !isDeleted(neighbor) { pool.insert(neighbor); continue }
            let theirs = links(neighbor, level: level)
            for t in 0..<Int(theirs[0]) {
                let candidate = theirs[1 + t]
                if candidate != id && !isDeleted(candidate) { pool.insert(candidate) }
            }
        }
        let base = nodeContext(id, buffer: nodes.base)
        var candidates = pool.map { Neighbor(distance: distance(base, $0), id: $0) }
        candidates.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
        let kept = selectNeighbors(candidates, limit: linkCapacity(level: level), buffer: nodes.candidate)
        for (j, c) in kept.enumerated() { list[1 + j] = c.id }
        list[0] = UInt32(kept.count)
    }
}
