/// The level-0 arena as chunks. A record's address is
/// `chunkTable[id >> chunkShift] + (id & (chunkNodes - 1)) * nodeStride`: one extra
/// load from a table that stays in L1. Chunks let the arena grow without copying and
/// let a store hand out pieces of it one by one.
extension HNSWIndex {
    /// 16384 nodes a chunk: about 27 MB at 384 dimensions, 2 MiB pages wasted at most once.
    static let defaultChunkShift = 14

    var chunkNodes: Int { 1 << chunkShift }
    var chunkBytes: Int { chunkNodes * nodeStride }


    /// Adds chunks until `nodes` records fit.
    func addChunks(toHold nodes: Int) {
        let needed = (nodes + chunkNodes - 1) >> chunkShift
        guard needed > chunkCount else { return }
        if needed > chunkTableCapacity {
            let bigger = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: max(needed, 2 * chunkTableCapacity))
            bigger.update(from: chunkTable, count: chunkCount)
            chunkTable.deallocate()
            chunkTable = bigger
            chunkTableCapacity = max(needed, 2 * chunkTableCapacity)
        }
        while chunkCount < needed {
            chunkTable[chunkCount] = LargeAllocation.allocate(byteCount: chunkBytes)
            chunkCount += 1
        }
    }

    func freeChunks() {
        for c in 0..<chunkCount { LargeAllocation.free(chunkTable[c], byteCount: chunkBytes) }
        chunkTable.deallocate()
        chunkCount = 0
    }

    /// Gives every chunk a new record layout: `move` copies one record's bytes from the
    /// old layout to the new. Caller holds the structure lock exclusively.
    func relayoutChunks(newStride: Int, move: (_ from: UnsafeRawPointer, _ to: UnsafeMutableRawPointer) -> Void) {
        let oldStride = nodeStride, oldBytes = chunkBytes
        for c in 0..<chunkCount {
            let old = chunkTable[c]
            let fresh = LargeAllocation.allocate(byteCount: chunkNodes * newStride)
            let used = max(0, min(chunkNodes, slotCount - c * chunkNodes))
            for i in 0..<used { move(old + i * oldStride, fresh + i * newStride) }
            LargeAllocation.free(old, byteCount: oldBytes)
            chunkTable[c] = fresh
        }
        nodeStride = newStride
    }

    /// Bytes of arena actually touched: full chunks, plus the used part of the last one
    /// rounded up to whole pages (untouched pages of a mapping take no memory).
    var residentChunkBytes: Int {
        guard slotCount > 0 else { return 0 }
        let full = (slotCount - 1) >> chunkShift
        let lastUsed = (slotCount - (full << chunkShift)) * nodeStride
        return full * chunkBytes + LargeAllocation.roundedSize(lastUsed)
    }

    /// Calls `body` with each chunk's used bytes, in id order.
    func forEachUsedChunk(_ body: (UnsafeMutableRawPointer, Int) throws -> Void) rethrows {
        for c in 0..<chunkCount {
            let used = max(0, min(chunkNodes, slotCount - c * chunkNodes))
            if used == 0 { break }
            try body(chunkTable[c], used * nodeStride)
        }
    }
}
