import Foundation
import HNSW
import Kernels
import VectorIO

/// Seeded test data and the helpers every HNSW test uses.
enum Fixtures {
    /// xorshift64*: small, fast, reproducible.
    struct Random {
        var state: UInt64
        init(seed: UInt64) { state = seed | 1 }
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }
        /// Standard normal (Box-Muller).
        mutating func gaussian() -> Float {
            let u = max(uniform(), 1e-7), v = uniform()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
    }

    /// A Gaussian mixture: `clusters` centres in [-1, 1]^dim; each point is its centre
    /// plus `spread` times an `intrinsic`-dimensional Gaussian mapped into the full
    /// space by a fixed random projection, like real embeddings (data on a
    /// low-dimensional manifold, not isotropic noise).
    static func clustered(count: Int, dimension: Int, clusters: Int, intrinsic: Int = 8, spread: Float = 0.3,
                          seed: UInt64, projectionSeed: UInt64 = 1234) -> Matrix<Float> {
        var shape = Random(seed: projectionSeed)
        let centres = (0..<clusters * dimension).map { _ in shape.uniform() * 2 - 1 }
        let projection = (0..<intrinsic * dimension).map { _ in shape.gaussian() / Float(intrinsic).squareRoot() }
        var rng = Random(seed: seed)
        let m = Matrix<Float>(rows: count, columns: dimension)
        var z = [Float](repeating: 0, count: intrinsic)
        for r in 0..<count {
            let c = Int(rng.next() % UInt64(clusters))
            for i in 0..<intrinsic { z[i] = rng.gaussian() }
            for d in 0..<dimension {
                var v = centres[c * dimension + d]
                for i in 0..<intrinsic { v += spread * z[i] * projection[i * dimension + d] }
                m.mutableBase[r * dimension + d] = v
            }
        }
        return m
    }

    static let sharedSet = "../shared/datasets/pypi-minilm-100k"

    /// The first `rows` rows of a shared vector file.
    static func shared(_ file: String, rows: Int) throws -> Matrix<Float> {
        try VectorFile.readFloats(sharedSet + "/" + file).prefix(rows: rows)
    }

    /// The first 20,000 shared MiniLM vectors, 300 queries, their exact top 10, and a
    /// freshly built inner-product index over them.
    static func sharedSubset() throws -> (base: Matrix<Float>, queries: Matrix<Float>, truth: Matrix<Int32>, index: HNSWIndex) {
        let base = try shared("base.fbin", rows: 20_000)
        let queries = try shared("query.fbin", rows: 300)
        return (base, queries, try exact(base, queries, k: 10, metric: .ip), try build(base, metric: .ip))
    }

    static func build(_ base: Matrix<Float>, metric: Metric, threads: Int = 2, m: Int = 16, efConstruction: Int = 200,
                      seed: UInt64 = 42, storage: VectorStorage = .float32) throws -> HNSWIndex {
        let index = try HNSWIndex(HNSWConfiguration(dimension: base.columns, metric: metric, m: m,
                                                    efConstruction: efConstruction, seed: seed, storage: storage), capacity: base.rows)
        try index.add(base.elements, threads: threads)
        return index
    }

    static func search(_ index: HNSWIndex, _ queries: Matrix<Float>, k: Int, ef: Int, filter: AllowedSet? = nil) throws -> [[Int32]] {
        try index.searchBatch(queries.elements, k: k, ef: ef, threads: 2, filter: filter).map { $0.map { Int32($0.id) } }
    }

    /// Exact neighbours among the base rows for which `keep` holds, as base row numbers.
    static func exact(_ base: Matrix<Float>, _ queries: Matrix<Float>, k: Int, metric: Metric,
                      keep: (Int) -> Bool = { _ in true }) throws -> Matrix<Int32> {
        let kept = (0..<base.rows).filter(keep)
        let subset = Matrix<Float>(rows: kept.count, columns: base.columns)
        for (i, r) in kept.enumerated() { subset.mutableBase.advanced(by: i * base.columns).update(from: base[r].baseAddress!, count: base.columns) }
        let local = try ExactSearch.search(base: subset, queries: queries, k: k, metric: metric).ids
        return Matrix(rows: local.rows, columns: k, elements: local.elements.map { Int32(kept[Int($0)]) })
    }
}
