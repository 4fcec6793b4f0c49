extension HNSWIndex {
    /// Checks the graph's structure and returns the first violation, or nil:
    /// link counts within capacity, links to existing non-free slots other than the
    /// node itself, no duplicate links, upper-level links only to nodes that reach
    /// that level, and an entry point on the top level. Used by tests and by
    /// ``load(from:)`` (a damaged file is refused, not repaired).
    public func checkInvariants() -> String? {
        structure.read { structuralProblem() }
    }

    func structuralProblem() -> String? {
        let live = slotCount - freeSlots.count
        if live == 0 { return entryPoint == Self.none ? nil : "empty index has an entry point" }
        guard Int(entryPoint) < slotCount, levels[Int(entryPoint)] != Self.freeSlotLevel else {
            return "entry point \(entryPoint) is not a node"
        }
        guard Int(levels[Int(entryPoint)]) == maxLevel else { return "entry point \(entryPoint) is not on the top level \(maxLevel)" }
        for f in freeSlots where Int(f) >= slotCount || levels[Int(f)] != Self.freeSlotLevel {
            return "free slot \(f) is not marked free"
        }
        var seen = Set<UInt32>()
        for i in 0..<slotCount {
            let id = UInt32(i)
            let level = levels[i]
            if level == Self.freeSlotLevel { continue }
            guard Int(level) <= maxLevel else { return "node \(i) has level \(level) above the top level \(maxLevel)" }
            for l in 0...Int(level) {
                let list = links(id, level: l)
                let n = Int(list[0])
                guard n <= linkCapacity(level: l) else { return "node \(i) level \(l) has \(n) links, capacity \(linkCapacity(level: l))" }
                seen.removeAll(keepingCapacity: true)
                for j in 1...max(1, n) where j <= n {
                    let to = list[j]
                    guard Int(to) < slotCount else { return "node \(i) level \(l) links to \(to), beyond the \(slotCount) slots" }
                    guard to != id else { return "node \(i) level \(l) links to itself" }
                    let toLevel = levels[Int(to)]
                    guard toLevel != Self.freeSlotLevel else { return "node \(i) level \(l) links to free slot \(to)" }
                    guard Int(toLevel) >= l else { return "node \(i) level \(l) links to \(to), which has level \(toLevel)" }
                    guard seen.insert(to).inserted else { return "node \(i) level \(l) links to \(to) twice" }
                }
            }
        }
        return nil
    }
}
