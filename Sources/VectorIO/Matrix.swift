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

    /// A zero-filled matrix you can write through ``mutableBase``.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        let p = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(1, rows * columns))
        UnsafeMutableRawPointer(p).initializeMemory(as: UInt8.self, repeating: 0,
                                                    count: Swift.max(1, rows * columns) * MemoryLayout<Element>.stride)
        self.rows = rows; self.columns = columns
        self.base = UnsafePointer(p)
        self.release = { p.deallocate() }
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
    init(rows: Int, columns: Int, base: UnsafePointer<Element>, release: @escaping () -> Void) {
        self.rows = rows; self.columns = columns; self.base = base; self.release = release
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
        return Matrix(rows: n, columns: columns, base: base, release: { withExtendedLifetime(self) {} })
    }
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
