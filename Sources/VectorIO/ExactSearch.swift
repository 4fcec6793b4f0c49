import COpenBLAS
import Dispatch
import Kernels

/// The k nearest base rows of every query, nearest first.
public struct Neighbors: Sendable {
    /// `queries x k` base row numbers.
    public let ids: Matrix<Int32>
    /// `queries x k` distances in the metric's convention (see ``Metric``).
    public let distances: Matrix<Float>
}

/// A request that cannot be searched; the message says why.
public struct SearchInputError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Brute-force k-nearest-neighbour search, used for ground truth (`refer gt`).
///
/// Inner products come from OpenBLAS `cblas_sgemm` over blocks of queries and base
/// rows, so memory stays at one `queryBlock x baseBlock` tile whatever the sizes;
/// a bounded heap per query keeps the k best as the base blocks stream past. A
/// file-mapped base is streamed: each block's pages are released once it is used,
/// so a base of any size never becomes resident as a whole.
public enum ExactSearch {
    public static func search(base: Matrix<Float>, queries: Matrix<Float>, k: Int, metric: Metric,
                              queryBlock: Int = 1024, baseBlock: Int = 16384,
                              progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Neighbors {
        guard base.rows > 0 else { throw SearchInputError("the base set is empty") }
        guard queries.rows > 0 else { throw SearchInputError("the query set is empty") }
        guard base.columns == queries.columns else {
            throw SearchInputError("dimension mismatch: base vectors have \(base.columns) dimensions, queries have \(queries.columns)")
        }
        guard k >= 1 else { throw SearchInputError("k must be at least 1, got \(k)") }
        guard k <= base.rows else { throw SearchInputError("k = \(k) is larger than the base set (\(base.rows) vectors)") }
        if let bad = queries.firstNonFinite() { throw SearchInputError("query \(bad.row) has a non-finite value at dimension \(bad.column)") }

        let dim = base.columns
        let kernels = KernelTable.best
        func norm(_ m: Matrix<Float>, _ r: Int) -> Float { kernels.dotF32(m.base + r * dim, m.base + r * dim, dim) }
        // Base rows are checked and their norms taken block by block, on the first pass.
        let baseNorms = UnsafeMutableBufferPointer<Float>.allocate(capacity: metric == .ip ? 1 : base.rows)
        defer { baseNorms.deallocate() }
        let queryNorms = metric == .ip ? [] : (0..<queries.rows).map { norm(queries, $0) }

        let ids = Matrix<Int32>(rows: queries.rows, columns: k)
        let dists = Matrix<Float>(rows: queries.rows, columns: k)
        let qb = min(queryBlock, queries.rows), nb = min(baseBlock, base.rows)
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: qb * nb)
        defer { tile.deallocate() }
        let tileAddress = Int(bitPattern: tile), normsAddress = Int(bitPattern: baseNorms.baseAddress)
        var heaps = [TopK]()

        for q0 in stride(from: 0, to: queries.rows, by: qb) {
            let qn = min(qb, queries.rows - q0)
            heaps = Array(repeating: TopK(k: k), count: qn)
            for n0 in stride(from: 0, to: base.rows, by: nb) {
                let nn = min(nb, base.rows - n0)
                defer { base.releaseResidentPages(rows: n0..<(n0 + nn)) }
                if q0 == 0 {
                    let block = UnsafeBufferPointer(start: base.base + n0 * dim, count: nn * dim)
                    if let bad = block.firstIndex(where: { !$0.isFinite }) {
                        throw SearchInputError("base vector \(n0 + bad / dim) has a non-finite value at dimension \(bad % dim)")
                    }
                    if metric != .ip { for r in n0..<(n0 + nn) { baseNorms[r] = norm(base, r) } }
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(qn), Int32(nn), Int32(dim),
                            1, queries.base + q0 * dim, Int32(dim), base.base + n0 * dim, Int32(dim), 0, tile, Int32(nn))
                heaps.withUnsafeMutableBufferPointer { hs in
                    let heapsAddress = Int(bitPattern: hs.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: qn) { i in
                        let row = UnsafePointer<Float>(bitPattern: tileAddress)! + i * nn
                        let heap = UnsafeMutablePointer<TopK>(bitPattern: heapsAddress)! + i
                        let norms = UnsafePointer<Float>(bitPattern: normsAddress)!
                        for j in 0..<nn {
                            let dot = row[j]
                            let d: Float
                            switch metric {
                            case .ip: d = 1 - dot
                            case .l2: d = max(0, queryNorms[q0 + i] + norms[n0 + j] - 2 * dot)
                            case .cosine:
                                let denom = (queryNorms[q0 + i] * norms[n0 + j]).squareRoot()
                                d = denom > 0 ? 1 - dot / denom : 1
                            }
                            if d <= heap.pointee.bound { heap.pointee.offer(d, Int32(n0 + j)) }
                        }
                    }
                }
            }
            for i in 0..<qn {
                for (j, pair) in heaps[i].sorted().enumerated() {
                    ids.mutableBase[(q0 + i) * k + j] = pair.id
                    dists.mutableBase[(q0 + i) * k + j] = pair.distance
                }
            }
            progress?(q0 + qn, queries.rows)
        }
        return Neighbors(ids: ids, distances: dists)
    }
}
