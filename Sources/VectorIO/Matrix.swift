import Foundation

/// A dense row-major matrix of fixed-width elements: the in-memory form of every
/// vector file. Its bytes are either owned (allocated here) or a read-only memory map
/// of a file, so a 1 GB `.fbin` is opened without copying it.
///
///     let base = try VectorFile.readFloats("base.fbin")   // mapped, no copy
///     let row: UnsafeBufferPointer<Float> = base[42]
public final class Matrix<Element: BitwiseCopyable>: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    /// First element of row 0; rows follow each other with no padding.
    public let base: UnsafePointer<Element>
    private let release: () -> Void
    /// True when ``base`` points into a read-only memory map of a file.
    public let isFileMapped: Bool

    /// A zero-filled matrix you can write through ``mutableBase``.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        let p = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(1, rows * columns))
        UnsafeMutableRawPointer(p).initializeMemory(as: UInt8.self, repeating: 0,
                                                    count: Swift.max(1, rows * columns) * MemoryLayout<Element>.stride)
        self.rows = rows; self.columns = columns
        self.base = UnsafePointer(p)
        self.release = { p.deallocate() }
        self.isFileMapped = false
    }

    /// A matrix holding a copy of `elements` (row-major, `rows * columns` of them).
    public convenience init(rows: Int, columns: Int, elements: [Element]) {
        precondition(elements.count == rows * columns, "expected \(rows * columns) elements, got \(elements.count)")
        self.init(rows: rows, columns: columns)
        elements.withUnsafeBufferPointer { src in
            if let s = src.baseAddress { mutableBase.update(from: s, count: src.count) }
        }
    }

    /// Wraps memory someone else owns; `release` runs when the matrix is freed.
    init(rows: Int, columns: Int, base: UnsafePointer<Element>, fileMapped: Bool = false, release: @escaping () -> Void) {
        self.rows = rows; self.columns = columns; self.base = base; self.release = release
        self.isFileMapped = fileMapped
    }

    deinit { release() }

    /// Writable view; only for matrices created with ``init(rows:columns:)``.
    public var mutableBase: UnsafeMutablePointer<Element> { UnsafeMutablePointer(mutating: base) }

    public var count: Int { rows * columns }

    public subscript(row: Int) -> UnsafeBufferPointer<Element> {
        precondition(row >= 0 && row < rows, "row \(row) out of range 0..<\(rows)")
        return UnsafeBufferPointer(start: base + row * columns, count: columns)
    }

    /// Row `row` copied into an array.
    public func row(_ row: Int) -> [Element] { Array(self[row]) }

    /// All elements, row by row.
    public var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// The first `n` rows as a matrix sharing this one's memory.
    public func prefix(rows n: Int) -> Matrix<Element> {
        let n = Swift.min(n, rows)
        return Matrix(rows: n, columns: columns, base: base, fileMapped: isFileMapped, release: { withExtendedLifetime(self) {} })
    }

    /// Gives back the resident memory of rows `range` of a file-mapped matrix: the
    /// pages leave this process's resident set (they stay in the page cache and are
    /// read again if touched). For a caller that has copied the rows elsewhere (an
    /// index build), so the file's pages and the copy are not both counted. Does
    /// nothing for a matrix that owns its memory (dropping that would lose data).
    public func releaseResidentPages(rows range: Range<Int>) {
        guard isFileMapped, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = Int(bitPattern: base + range.lowerBound * columns)
        let end = Int(bitPattern: base + range.upperBound * columns)
        // Whole pages only: the ones partly holding rows outside the range stay.
        let first = (start + page - 1) / page * page, last = end / page * page
        guard last > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(p, last - first, MADV_DONTNEED)
    }

    /// As ``releaseResidentPages(rows:)`` for every row.
    public func releaseResidentPages() { releaseResidentPages(rows: 0..<rows) }
}

extension Matrix where Element == Float {
    /// The first row and column holding NaN or ±infinity, if any.
    public func firstNonFinite() -> (row: Int, column: Int)? {
        for i in 0..<count where !base[i].isFinite { return (i / columns, i % columns) }
        return nil
    }

    /// True when the first 100 rows have unit length (within 1e-3): embedding sets,
    /// which refer then searches by inner product unless told otherwise.
    public var looksUnitLength: Bool {
        (0..<Swift.min(rows, 100)).allSatisfy { r in abs(self[r].reduce(0) { $0 + $1 * $1 } - 1) <= 1e-3 }
    }

}
