import Foundation

/// A pthread mutex at a stable address.
final class Mutex: @unchecked Sendable {
    private let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(m, nil) }
    deinit { pthread_mutex_destroy(m); m.deallocate() }
    @inline(__always) func lock() { pthread_mutex_lock(m) }
    @inline(__always) func unlock() { pthread_mutex_unlock(m) }
    @inline(__always) func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock(); defer { unlock() }
        return try body()
    }
}

/// Many readers or one writer.
final class ReadWriteLock: @unchecked Sendable {
    private let l = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
    init() { pthread_rwlock_init(l, nil) }
    deinit { pthread_rwlock_destroy(l); l.deallocate() }
    @inline(__always) func read<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(l); defer { pthread_rwlock_unlock(l) }
        return try body()
    }
    @inline(__always) func write<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(l); defer { pthread_rwlock_unlock(l) }
        return try body()
    }
}

/// A fixed pool of mutexes shared by all nodes (node id modulo the pool size), so
/// lock memory does not grow with the index. Two threads inserting neighbours of
/// one node serialize; unrelated nodes rarely collide.
final class StripedLocks: @unchecked Sendable {
    private let locks: UnsafeMutablePointer<pthread_mutex_t>
    private let mask: Int

    init(count: Int) {
        precondition(count > 0 && count & (count - 1) == 0, "count must be a power of two")
        locks = .allocate(capacity: count)
        for i in 0..<count { pthread_mutex_init(locks + i, nil) }
        mask = count - 1
    }

    deinit {
        for i in 0...mask { pthread_mutex_destroy(locks + i) }
        locks.deallocate()
    }

    @inline(__always) func withLock<T>(_ id: UInt32, _ body: () throws -> T) rethrows -> T {
        let l = locks + (Int(id) & mask)
        pthread_mutex_lock(l); defer { pthread_mutex_unlock(l) }
        return try body()
    }
}

/// Reusable search scratch, one per concurrent search.
final class ScratchPool: @unchecked Sendable {
    private var free: [SearchScratch] = []
    private let lock = Mutex()

    func borrow(nodes: Int) -> SearchScratch {
        lock.withLock { free.popLast() } ?? SearchScratch(capacity: nodes)
    }

    func giveBack(_ s: SearchScratch) { lock.withLock { free.append(s) } }
}
