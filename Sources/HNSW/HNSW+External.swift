import Kernels

/// What a store keeps of an index besides its node records.
public struct HNSWHeader: Codable, Sendable, Equatable {
    public var slotCount: Int
    public var entryPoint: UInt32
    public var maxLevel: Int
    public var deletedCount: Int
    public var freeSlots: [UInt32]
    /// The codes' quantizer (int8 storage or traversal codes); nil without codes.
    public var quantizer: StoredQuantizer?
}

/// A ``ScalarQuantizer`` as a store keeps it.
public struct StoredQuantizer: Codable, Sendable, Equatable {
    public var lower: [Float]
    public var step: [Float]
    public var bits: Int
    /// Vectors it was learned from; nil when fixed by the caller (never learned again).
    public var training_rows: Int?
}

/// The hooks a store needs to keep an index in its own files: the node records in
/// groups of 256 (one group is one contiguous byte range, and only groups that
/// changed need writing again), the small tables, and a read-only view that searches
/// records lying in the store's memory map without copying them.
extension HNSWIndex {
    /// Nodes per persisted group: 2^8. Small enough that adding a few papers rewrites
    /// little, large enough that a group spans many pages.
    public static let groupShift = 8

    /// Groups holding a node whose record or upper links changed since the last call.
    public func takeDirtyGroups() -> [Int] {
        structure.write {
            var groups: [Int] = []
            for i in 0..<slotCount where dirty[i] != 0 {
                dirty[i] = 0
                let g = i >> Self.groupShift
                if groups.last != g { groups.append(g) }
            }
            return groups
        }
    }

    /// Runs `body` with a consistent picture of the index (the structure lock held
    /// shared, so no insert changes it meanwhile).
    public func withPersistentState<T>(_ body: (PersistentState) throws -> T) rethrows -> T {
        try structure.read { try body(PersistentState(index: self)) }
    }

    /// A borrowed look at an index's persistent parts; valid inside `withPersistentState`.
    public struct PersistentState {
        let index: HNSWIndex

        public var header: HNSWHeader {
            HNSWHeader(slotCount: index.slotCount, entryPoint: index.entryPoint, maxLevel: index.maxLevel,
                       deletedCount: index.deletedCount, freeSlots: index.freeSlots,
                       quantizer: index.quantizer.map {
                           StoredQuantizer(lower: $0.lower, step: $0.step, bits: $0.bits,
                                           training_rows: index.codeTrainingRows == Int.max ? nil : index.codeTrainingRows)
                       })
        }

        public var groupCount: Int { (index.slotCount + (1 << HNSWIndex.groupShift) - 1) >> HNSWIndex.groupShift }

        /// The records of group `g`, ids `g << 8` up to the slot count.
        public func group(_ g: Int) -> UnsafeRawBufferPointer {
            let first = g << HNSWIndex.groupShift
            let count = min(1 << HNSWIndex.groupShift, index.slotCount - first)
            return UnsafeRawBufferPointer(start: index.record(UInt32(first)), count: max(0, count) * index.nodeStride)
        }

        public var levels: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: index.levels, count: index.slotCount) }

        public var deletedBits: UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: index.deletedBits, count: (index.slotCount + 63) / 64 * 8)
        }

        /// Every upper-level block (nodes above level 0, in id order), concatenated.
        public var upperLinks: [UInt32] {
            var out: [UInt32] = []
            for i in 0..<index.slotCount where index.levels[i] != HNSWIndex.freeSlotLevel && index.levels[i] > 0 {
                out.append(contentsOf: UnsafeBufferPointer(start: index.upperLinks[i]!, count: Int(index.levels[i]) * (index.maxLinks + 1)))
            }
            return out
        }
    }

    /// An index over persisted parts. With `copy` false it is a read-only view: the
    /// records stay where `groups` point (each group must be 4-byte aligned and hold
    /// 256 records, the last one the rest) and so do the upper links; only the level
    /// and deletion tables are copied. With `copy` true everything is copied into an
    /// ordinary, writable index.
    public static func restore(_ configuration: HNSWConfiguration, header: HNSWHeader, levels: UnsafeRawBufferPointer,
                               groups: [UnsafeRawPointer], upperLinks: UnsafeBufferPointer<UInt32>,
                               deletedBits: UnsafeRawBufferPointer, copy: Bool) throws -> HNSWIndex {
        func corrupt(_ why: String) -> HNSWError { .corruptFile(path: "store", reason: why) }
        let slots = header.slotCount
        guard levels.count == slots else { throw corrupt("level table holds \(levels.count) entries for \(slots) slots") }
        guard groups.count == (slots + 255) >> 8 else { throw corrupt("\(groups.count) record groups for \(slots) slots") }
        guard deletedBits.count >= (slots + 63) / 64 * 8 else { throw corrupt("deletion table too short") }
        let index = copy
            ? try HNSWIndex(configuration, capacity: max(1, slots))
            : try HNSWIndex(configuration, capacity: max(1, slots), chunkShift: groupShift, externalChunks: groups)
        if let q = header.quantizer {
            let codes = configuration.storage == .int8 ? 8 : configuration.traversalCodeBits
            guard q.lower.count == configuration.dimension, q.step.count == configuration.dimension, q.bits == codes else {
                throw corrupt("the quantizer (\(q.bits) bits, \(q.lower.count) dimensions) does not fit the index's codes")
            }
            index.adoptQuantizer(ScalarQuantizer(lower: q.lower, step: q.step, bits: q.bits), trainedRows: q.training_rows ?? Int.max)
        } else if slots > 0 && (configuration.storage == .int8 || configuration.traversalCodeBits != nil) {
            throw corrupt("the index's codes have no quantizer")
        }
        index.slotCount = slots
        index.levels.update(from: levels.baseAddress!.assumingMemoryBound(to: UInt8.self), count: slots)
        UnsafeMutableRawPointer(index.deletedBits).copyMemory(from: deletedBits.baseAddress!, byteCount: (slots + 63) / 64 * 8)
        if copy {
            for (g, p) in groups.enumerated() {
                let first = g << groupShift, count = min(1 << groupShift, slots - first)
                index.record(UInt32(first)).copyMemory(from: p, byteCount: count * index.nodeStride)
            }
        }
        var offset = 0
        for i in 0..<slots where index.levels[i] != freeSlotLevel && index.levels[i] > 0 {
            let words = Int(index.levels[i]) * (index.maxLinks + 1)
            guard offset + words <= upperLinks.count else { throw corrupt("upper links end early at node \(i)") }
            let source = upperLinks.baseAddress! + offset
            if copy {
                let block = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
                block.update(from: source, count: words)
                index.upperLinks[i] = block
            } else {
                index.upperLinks[i] = UnsafeMutablePointer(mutating: source)
            }
            offset += words
        }
        guard offset == upperLinks.count else { throw corrupt("\(upperLinks.count - offset) stray upper-link words") }
        index.entryPoint = header.entryPoint
        index.maxLevel = header.maxLevel
        index.deletedCount = header.deletedCount
        index.freeSlots = header.freeSlots
        guard slots == 0 || (Int(header.entryPoint) < slots && Int(index.levels[Int(header.entryPoint)]) == header.maxLevel) else {
            throw corrupt("entry point \(header.entryPoint) is not a top-level node")
        }
        return index
    }
}
