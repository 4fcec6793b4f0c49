/// 8-bit scalar quantization: each component becomes one byte `c` with
/// `value ≈ lower[d] + c * step[d]`. The range comes from the data's minimum and
/// maximum, either per dimension or one global range for all dimensions.
///
/// Queries stay Float32: ``prepare(_:metric:)`` folds the ranges into the query once,
/// so a distance to a code is a single fused kernel call with no decoding:
/// - dot:  `q·x = Σ q_d lower_d + Σ (q_d step_d) c_d`
/// - L2:   `|q-x|² = Σ step_d² ((q_d - lower_d)/step_d - c_d)²`
public struct ScalarQuantizer: Sendable, Equatable {
    public enum RangeKind: String, Sendable, CaseIterable { case perDimension, global }

    public let dimension: Int
    public let lower: [Float]
    public let step: [Float]

    public init(lower: [Float], step: [Float]) {
        precondition(lower.count == step.count)
        self.dimension = lower.count
        self.lower = lower
        self.step = step
    }

    /// Learns the ranges from `count` vectors stored row by row in `data`.
    public static func train(_ data: UnsafeBufferPointer<Float>, dimension: Int, range: RangeKind) -> ScalarQuantizer {
        precondition(dimension > 0 && data.count % dimension == 0 && !data.isEmpty, "need at least one vector")
        return train(rows: data.count / dimension, dimension: dimension, range: range) { data.baseAddress! + $0 * dimension }
    }

    /// Learns the ranges from `rows` vectors, each given by `row(i)`.
    public static func train(rows: Int, dimension: Int, range: RangeKind,
                             row: (Int) -> UnsafePointer<Float>) -> ScalarQuantizer {
        precondition(rows > 0 && dimension > 0, "need at least one vector")
        var lo = [Float](repeating: .infinity, count: dimension)
        var hi = [Float](repeating: -.infinity, count: dimension)
        for r in 0..<rows {
            let v = row(r)
            for d in 0..<dimension {
                let x = v[d]
                if x < lo[d] { lo[d] = x }
                if x > hi[d] { hi[d] = x }
            }
        }
        if range == .global {
            let l = lo.min()!, h = hi.max()!
            lo = [Float](repeating: l, count: dimension)
            hi = [Float](repeating: h, count: dimension)
        }
        let step = zip(lo, hi).map { ($1 - $0) / 255 }
        return ScalarQuantizer(lower: lo, step: step)
    }

    /// Writes the `dimension` codes of `vector` to `codes`; values outside the trained
    /// range are clamped.
    public func encode(_ vector: UnsafePointer<Float>, into codes: UnsafeMutablePointer<UInt8>) {
        for d in 0..<dimension {
            guard step[d] > 0 else { codes[d] = 0; continue }
            let c = ((vector[d] - lower[d]) / step[d]).rounded()
            codes[d] = UInt8(Swift.min(255, Swift.max(0, c)))
        }
    }

    public func encode(_ vector: [Float]) -> [UInt8] {
        precondition(vector.count == dimension)
        var out = [UInt8](repeating: 0, count: dimension)
        vector.withUnsafeBufferPointer { v in out.withUnsafeMutableBufferPointer { encode(v.baseAddress!, into: $0.baseAddress!) } }
        return out
    }

    public func decode(_ codes: [UInt8]) -> [Float] {
        precondition(codes.count == dimension)
        return [Float](unsafeUninitializedCapacity: dimension) { out, n in
            codes.withUnsafeBufferPointer { decode($0.baseAddress!, into: out.baseAddress!) }
            n = dimension
        }
    }

    /// Writes the decoded values of `codes` to `out` (`dimension` floats).
    public func decode(_ codes: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>) {
        for d in 0..<dimension { out[d] = lower[d] + Float(codes[d]) * step[d] }
    }

    /// Folds the quantizer into a Float32 query for `metric`.
    public func prepare(_ query: UnsafePointer<Float>, metric: Metric) -> QuantizedQuery {
        var a = [Float](repeating: 0, count: dimension)
        var w = [Float](repeating: 0, count: dimension)
        let constant = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in prepare(query, metric: metric, a: pa.baseAddress!, w: pw.baseAddress!) }
        }
        return QuantizedQuery(a: a, w: w, constant: constant, usesDot: metric.usesDot)
    }

    /// As ``prepare(_:metric:)``, writing the folded query into `a` and `w`
    /// (`dimension` floats each) and returning the constant term.
    public func prepare(_ query: UnsafePointer<Float>, metric: Metric,
                        a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>) -> Float {
        var constant: Float = 0
        for d in 0..<dimension {
            a[d] = 0; w[d] = 0
            if metric.usesDot {
                a[d] = query[d] * step[d]
                constant += query[d] * lower[d]
            } else if step[d] > 0 {
                a[d] = (query[d] - lower[d]) / step[d]
                w[d] = step[d] * step[d]
            } else {
                let r = query[d] - lower[d]
                constant += r * r
            }
        }
        return constant
    }
}

/// A Float32 query with a ``ScalarQuantizer`` folded in; see ``ScalarQuantizer/prepare(_:metric:)``.
public struct QuantizedQuery: Sendable {
    public let a: [Float]
    public let w: [Float]
    public let constant: Float
    public let usesDot: Bool

    /// The metric's distance (squared L2, or `1 - dot`) from the query to one code.
    @inline(__always)
    public func distance(to codes: UnsafePointer<UInt8>, kernels: KernelTable) -> Float {
        a.withUnsafeBufferPointer { pa in
            w.withUnsafeBufferPointer { pw in
                usesDot
                    ? 1 - (constant + kernels.dotSQ8(pa.baseAddress, pw.baseAddress, codes, pa.count))
                    : constant + kernels.l2sqSQ8(pa.baseAddress, pw.baseAddress, codes, pa.count)
            }
        }
    }
}
