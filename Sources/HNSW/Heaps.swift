/// A (distance, id) pair; 8 bytes, so heaps of them stay in a few cache lines.
@frozen
public struct Neighbor: Sendable, Equatable {
    public var distance: Float
    public var id: UInt32
    @inlinable public init(distance: Float, id: UInt32) { self.distance = distance; self.id = id }
}

/// A binary max-heap on distance over manually managed memory: the search loop's
/// candidate queue (with negated distances) and result set. No ARC, no bounds checks.
struct NeighborHeap {
    private(set) var storage: UnsafeMutablePointer<Neighbor>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    func free() { storage.deallocate() }

    @inline(__always) var isEmpty: Bool { count == 0 }
    @inline(__always) var top: Neighbor { storage[0] }
    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func push(_ distance: Float, _ id: UInt32) {
        if count == capacity { grow() }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            guard storage[parent].distance < distance else { break }
            storage[i] = storage[parent]
            i = parent
        }
        storage[i] = Neighbor(distance: distance, id: id)
    }

    @inline(__always)
    @discardableResult
    mutating func pop() -> Neighbor {
        let result = storage[0]
        count -= 1
        guard count > 0 else { return result }
        let last = storage[count]
        var i = 0
        while true {
            var child = 2 * i + 1
            if child >= count { break }
            if child + 1 < count && storage[child + 1].distance > storage[child].distance { child += 1 }
            guard storage[child].distance > last.distance else { break }
            storage[i] = storage[child]
            i = child
        }
        storage[i] = last
        return result
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Neighbor>.allocate(capacity: capacity * 2)
        bigger.update(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}
