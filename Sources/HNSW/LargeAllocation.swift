import Foundation

/// Large zero-filled memory straight from the kernel, asked to be backed by 2 MiB
/// transparent huge pages. A search touches nodes at random across the whole arena;
/// with 4 KiB pages nearly every touch also misses the TLB, with huge pages almost
/// none do. Where huge pages are unavailable this is plain anonymous memory.
enum LargeAllocation {
    static let hugePage = 2 << 20

    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = roundedSize(byteCount)
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory: cannot map \(size) bytes")
        }
        #if os(Linux)
        if size >= hugePage { _ = madvise(p, size, MADV_HUGEPAGE) }
        #endif
        return p
    }

    static func free(_ p: UnsafeMutableRawPointer, byteCount: Int) {
        munmap(p, roundedSize(byteCount))
    }

    static func roundedSize(_ n: Int) -> Int {
        let unit = n >= hugePage ? hugePage : Int(getpagesize())
        return max(unit, (n + unit - 1) / unit * unit)
    }
}
