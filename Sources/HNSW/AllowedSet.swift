/// The ids a filtered search may return: a bitset with its population count, so the
/// search can tell how selective the filter is before it starts.
///
///     var allowed = AllowedSet(capacity: index.slotCapacity)
///     for id in papersFrom2023 { allowed.insert(id) }
///     let hits = try index.search(query, k: 10, filter: allowed)
public struct AllowedSet: Sendable {
    private(set) var words: [UInt64]
    public private(set) var count = 0

    public init(capacity: Int) { words = Array(repeating: 0, count: (capacity + 63) / 64) }

    /// Every id in `0..<capacity` for which `isAllowed` holds.
    public init(capacity: Int, where isAllowed: (UInt32) -> Bool) {
        self.init(capacity: capacity)
        for id in 0..<UInt32(capacity) where isAllowed(id) { insert(id) }
    }

    public mutating func insert(_ id: UInt32) {
        let w = Int(id) >> 6
        if w >= words.count { words += Array(repeating: 0, count: w + 1 - words.count) }
        let bit: UInt64 = 1 << (UInt64(id) & 63)
        if words[w] & bit == 0 { words[w] |= bit; count += 1 }
    }

    @inline(__always) public func contains(_ id: UInt32) -> Bool {
        let w = Int(id) >> 6
        return w < words.count && words[w] & (1 << (UInt64(id) & 63)) != 0
    }

    /// The allowed ids in ascending order.
    public var ids: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                out.append(UInt32(w * 64 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return out
    }
}
