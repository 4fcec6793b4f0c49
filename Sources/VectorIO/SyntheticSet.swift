import Foundation
import Kernels

/// A seeded synthetic vector set for sizes beyond the real ones: a Gaussian mixture
/// whose clusters each live near their own low-dimensional subspace. Each vector is
/// `centre + basis · z + noise`: the centre one of `clusters` points drawn from
/// N(0, I), `basis` a random `dimension x intrinsicDimension` matrix per cluster
/// (entries N(0, spread² / intrinsicDimension)), z ~ N(0, I), and isotropic noise of
/// standard deviation `noise`. With `unitLength`, vectors are normalised (an embedding-
/// like set searched by inner product). The same seed gives the same vectors, row by
/// row, whatever the block size, so a 5M set can be written in pieces.
public struct SyntheticSet: Sendable, Equatable {
    public var dimension: Int
    public var clusters: Int
    public var intrinsicDimension: Int
    public var spread: Float = 1
    public var noise: Float = 0.05
    public var unitLength = true
    public var seed: UInt64

    public init(dimension: Int, clusters: Int, intrinsicDimension: Int, seed: UInt64) throws {
        guard dimension >= 1, clusters >= 1, (1...dimension).contains(intrinsicDimension) else {
            throw SearchInputError("synthetic set: need dimension >= 1, clusters >= 1 and 1 <= intrinsic dimension <= dimension")
        }
        self.dimension = dimension; self.clusters = clusters; self.intrinsicDimension = intrinsicDimension; self.seed = seed
    }

    /// The cluster centres and bases (drawn from the seed alone).
    func model() -> (centres: [Float], bases: [Float]) {
        var g = Gaussian(seed: seed)
        let centres = (0..<(clusters * dimension)).map { _ in g.next() }
        let scale = spread / Float(intrinsicDimension).squareRoot()
        let bases = (0..<(clusters * dimension * intrinsicDimension)).map { _ in g.next() * scale }
        return (centres, bases)
    }

    /// Rows `range` of the stream `stream` (0 base, 1 queries, 2 learn: independent
    /// streams from one model), and each row's cluster.
    public func rows(_ range: Range<Int>, stream: UInt64 = 0) -> (vectors: Matrix<Float>, clusters: [Int]) {
        rows(range, stream: stream, model: model())
    }

    func rows(_ range: Range<Int>, stream: UInt64, model: (centres: [Float], bases: [Float])) -> (vectors: Matrix<Float>, clusters: [Int]) {
        let (centres, bases) = model
        let out = Matrix<Float>(rows: range.count, columns: dimension)
        let labels = Matrix<Int32>(rows: range.count, columns: 1)
        let d = dimension, r = intrinsicDimension
        let parts = max(1, min(range.count, ProcessInfo.processInfo.activeProcessorCount * 4))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lo = range.count * part / parts, hi = range.count * (part + 1) / parts
            var z = [Float](repeating: 0, count: r)
            for i in lo..<hi {
                // One generator per row, so a row never depends on the blocks around it.
                var g = Gaussian(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ (UInt64(range.lowerBound + i) &* 0x9E37_79B9_7F4A_7C15 &+ 1))
                let c = Int(g.nextBits() % UInt64(clusters))
                labels.mutableBase[i] = Int32(c)
                for j in 0..<r { z[j] = g.next() }
                let row = out.mutableBase + i * d
                var norm: Float = 0
                for k in 0..<d {
                    var v = centres[c * d + k] + noise * g.next()
                    let b = (c * d + k) * r
                    for j in 0..<r { v += bases[b + j] * z[j] }
                    row[k] = v
                    norm += v * v
                }
                if unitLength, norm > 0 { let s = 1 / norm.squareRoot(); for k in 0..<d { row[k] *= s } }
            }
        }
        return (out, labels.elements.map(Int.init))
    }
}

/// Standard normal numbers from SplitMix64 and Box-Muller (deterministic per seed).
struct Gaussian {
    var bits: SplitMix64
    var spare: Float?

    init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    mutating func nextBits() -> UInt64 { bits.next() }

    mutating func next() -> Float {
        if let s = spare { spare = nil; return s }
        let u1 = (Double(nextBits() >> 11) + 1) / Double(1 << 53), u2 = Double(nextBits() >> 11) / Double(1 << 53)
        let radius = (-2 * log(u1)).squareRoot()
        spare = Float(radius * sin(2 * .pi * u2))
        return Float(radius * cos(2 * .pi * u2))
    }
}

extension SyntheticSet {
    /// Writes `rows` rows of `stream` as a big-ann `.fbin`, 65,536 rows at a time.
    public func write(rows: Int, stream: UInt64, to path: String, progress: ((Int, Int) -> Void)? = nil) throws {
        guard let f = fopen(path + ".tmp", "wb") else { throw SearchInputError("\(path): cannot create") }
        var ok = true
        var header = (UInt32(rows).littleEndian, UInt32(dimension).littleEndian)
        ok = fwrite(&header, 1, 8, f) == 8
        var done = 0
        let model = model()   // drawn once: a 1,000-cluster model is millions of numbers
        while ok && done < rows {
            let block = self.rows(done..<min(rows, done + 65_536), stream: stream, model: model).vectors
            ok = fwrite(block.base, 4, block.count, f) == block.count
            done += block.rows
            progress?(done, rows)
        }
        if fclose(f) != 0 { ok = false }
        guard ok, rename(path + ".tmp", path) == 0 else {
            unlink(path + ".tmp")
            throw SearchInputError("\(path): write failed: \(String(cString: strerror(errno)))")
        }
    }
}
