import Foundation

/// Large zero-filled memory straight from the kernel, asked to be backed by 2 MiB
/// transparent huge pages. A search touches nodes at random across the whole arena;
/// with 4 KiB pages nearly every touch also misses the TLB, with huge pages almost
/// none do. Where huge pages are unavailable this is plain anonymous memory.
enum LargeAllocation {
    static let hugePage = 2 << 20

    /// Only the whole huge pages the caller asked for are advised: a huge page over the
    /// tail would be faulted in whole by the last few records and waste up to 2 MiB per
    /// allocation (45 chunks at 727k vectors: refer bench's peak fell from 1,308 to 1,223 MiB).
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = mappedSize(byteCount)
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory: cannot map \(size) bytes")
        }
        #if os(Linux)
        let huge = byteCount / hugePage * hugePage
        if huge > 0 { _ = madvise(p, huge, MADV_HUGEPAGE) }
        #endif
        return p
    }

    static func free(_ p: UnsafeMutableRawPointer, byteCount: Int) {
        munmap(p, mappedSize(byteCount))
    }

    /// `n` bytes rounded up to whole base pages: what is mapped.
    static func mappedSize(_ n: Int) -> Int {
        let page = Int(getpagesize())
        return max(page, (n + page - 1) / page * page)
    }

    /// The resident bytes once the first `n` bytes are touched: whole huge pages inside
    /// the advised part, whole base pages past it.
    static func roundedSize(_ n: Int) -> Int {
        let unit = n >= hugePage ? hugePage : Int(getpagesize())
        return max(unit, (n + unit - 1) / unit * unit)
    }
}
