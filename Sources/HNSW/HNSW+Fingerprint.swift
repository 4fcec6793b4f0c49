import Foundation

extension HNSWIndex {
    /// Identifies this index's graph: configuration, size, entry point and every
    /// node's level and link lists. Two indexes share it only if they search alike.
    /// Computed once and kept until the index changes.
    public var fingerprint: UInt64 {
        if let known = global.withLock({ cachedFingerprint }) { return known }
        let value = computeFingerprint()
        global.withLock { cachedFingerprint = value }
        return value
    }

    private func computeFingerprint() -> UInt64 {
        structure.read {
            var h = Checksum64()
            let words: [UInt64] = [UInt64(dimension), UInt64(configuration.m), UInt64(metric.code),
                                   UInt64(slotCount), UInt64(entryPoint), UInt64(maxLevel)]
            words.withUnsafeBytes { h.update($0) }
            h.update(UnsafeRawBufferPointer(start: levels, count: slotCount))
            for i in 0..<slotCount where levels[i] != Self.freeSlotLevel {
                let list = links(UInt32(i), level: 0)
                h.update(UnsafeRawBufferPointer(start: list, count: (Int(list[0]) + 1) * 4))
            }
            return h.value
        }
    }
}
