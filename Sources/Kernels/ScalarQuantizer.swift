import CKernels

/// Scalar quantization: each component becomes a code `c` with
/// `value ≈ lower[d] + c * step[d]`, in 8 bits (one byte a component) or 4 (two a byte,
/// in the block layout of `ck_sq4_bytes`).
/// - 8 bits: the range is the data's minimum and maximum, per dimension or one global
///   range for all dimensions.
/// - 4 bits: 16 levels cannot span the outliers without losing the bulk, so the range
///   is per dimension, mean ± 2.51 standard deviations (clipped to the data's range):
///   the uniform quantizer with the least squared error for a Gaussian component
///   (Max, 1960: step 0.335 σ), values beyond it clamped.
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
    /// Bits a component: 8 or 4.
    public let bits: Int

    public init(lower: [Float], step: [Float], bits: Int = 8) {
        precondition(lower.count == step.count)
        precondition(bits == 8 || bits == 4, "bits must be 8 or 4")
        self.dimension = lower.count
        self.lower = lower
        self.step = step
        self.bits = bits
    }

    /// The largest code: 255 or 15.
    public var maxCode: Int { (1 << bits) - 1 }

    /// Bytes of one vector's code.
    public var codeBytes: Int { bits == 8 ? dimension : ck_sq4_bytes(dimension) }

    /// The kernel that scores a prepared query against codes (see ``prepare(_:metric:a:w:)``).
    public func kernel(_ table: KernelTable, usesDot: Bool) -> ck_sq8_fn {
        Self.kernel(bits: bits, table, usesDot: usesDot)
    }

    /// The kernel for codes of `bits` under a dot (`Σ a·c`) or L2 (`Σ w(a-c)²`) metric.
    public static func kernel(bits: Int, _ table: KernelTable, usesDot: Bool) -> ck_sq8_fn {
        bits == 8 ? (usesDot ? table.dotSQ8 : table.l2sqSQ8) : (usesDot ? table.dotSQ4 : table.l2sqSQ4)
    }

    /// Learns the ranges from `count` vectors stored row by row in `data`.
    public static func train(_ data: UnsafeBufferPointer<Float>, dimension: Int, range: RangeKind,
                             bits: Int = 8) -> ScalarQuantizer {
        precondition(dimension > 0 && data.count % dimension == 0 && !data.isEmpty, "need at least one vector")
        return train(rows: data.count / dimension, dimension: dimension, range: range, bits: bits) {
            data.baseAddress! + $0 * dimension
        }
    }

    /// Learns the ranges from `rows` vectors, each given by `row(i)` (4 bits: always per dimension).
    public static func train(rows: Int, dimension: Int, range: RangeKind, bits: Int = 8,
                             row: (Int) -> UnsafePointer<Float>) -> ScalarQuantizer {
        precondition(rows > 0 && dimension > 0, "need at least one vector")
        var lo = [Float](repeating: .infinity, count: dimension)
        var hi = [Float](repeating: -.infinity, count: dimension)
        var sum = [Double](repeating: 0, count: dimension)
        var squares = [Double](repeating: 0, count: dimension)
        for r in 0..<rows {
            let v = row(r)
            for d in 0..<dimension {
                let x = v[d]
                if x < lo[d] { lo[d] = x }
                if x > hi[d] { hi[d] = x }
                if bits == 4 { sum[d] += Double(x); squares[d] += Double(x) * Double(x) }
            }
        }
        if bits == 4 {
            for d in 0..<dimension {
                let mean = sum[d] / Double(rows)
                let sigma = max(0, squares[d] / Double(rows) - mean * mean).squareRoot()
                lo[d] = max(lo[d], Float(mean - 2.51 * sigma))
                hi[d] = min(hi[d], Float(mean + 2.51 * sigma))
            }
        } else if range == .global {
            let l = lo.min()!, h = hi.max()!
            lo = [Float](repeating: l, count: dimension)
            hi = [Float](repeating: h, count: dimension)
        }
        let levels = Float((1 << bits) - 1)
        let step = zip(lo, hi).map { max(0, $1 - $0) / levels }
        return ScalarQuantizer(lower: lo, step: step, bits: bits)
    }

    /// Writes the code of `vector` (``codeBytes`` bytes) to `codes`; values outside the
    /// trained range are clamped.
    public func encode(_ vector: UnsafePointer<Float>, into codes: UnsafeMutablePointer<UInt8>) {
        let top = Float(maxCode)
        if bits == 4 { codes.initialize(repeating: 0, count: codeBytes) }
        for d in 0..<dimension {
            var c: UInt8 = 0
            if step[d] > 0 { c = UInt8(Swift.min(top, Swift.max(0, ((vector[d] - lower[d]) / step[d]).rounded()))) }
            if bits == 8 {
                codes[d] = c
            } else {   // ck_sq4_bytes: low nibble for the first 32 of a block of 64, high for the rest
                let at = d / 64 * 32 + d % 32
                codes[at] |= d % 64 < 32 ? c : c << 4
            }
        }
    }

    public func encode(_ vector: [Float]) -> [UInt8] {
        precondition(vector.count == dimension)
        var out = [UInt8](repeating: 0, count: codeBytes)
        vector.withUnsafeBufferPointer { v in out.withUnsafeMutableBufferPointer { encode(v.baseAddress!, into: $0.baseAddress!) } }
        return out
    }

    public func decode(_ codes: [UInt8]) -> [Float] {
        precondition(codes.count == codeBytes)
        return [Float](unsafeUninitializedCapacity: dimension) { out, n in
            codes.withUnsafeBufferPointer { decode($0.baseAddress!, into: out.baseAddress!) }
            n = dimension
        }
    }

    /// Writes the decoded values of `codes` to `out` (`dimension` floats).
    public func decode(_ codes: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>) {
        for d in 0..<dimension {
            let c = bits == 8 ? codes[d] : ck_sq4_get(codes, d)
            out[d] = lower[d] + Float(c) * step[d]
        }
    }

    /// Folds the quantizer into a Float32 query for `metric`.
    public func prepare(_ query: UnsafePointer<Float>, metric: Metric) -> QuantizedQuery {
        var a = [Float](repeating: 0, count: dimension)
        var w = [Float](repeating: 0, count: dimension)
        let constant = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in prepare(query, metric: metric, a: pa.baseAddress!, w: pw.baseAddress!) }
        }
        return QuantizedQuery(a: a, w: w, constant: constant, usesDot: metric.usesDot, bits: bits)
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
    public let bits: Int

    /// The metric's distance (squared L2, or `1 - dot`) from the query to one code.
    @inline(__always)
    public func distance(to codes: UnsafePointer<UInt8>, kernels: KernelTable) -> Float {
        let kernel = ScalarQuantizer.kernel(bits: bits, kernels, usesDot: usesDot)
        return a.withUnsafeBufferPointer { pa in
            w.withUnsafeBufferPointer { pw in
                let raw = kernel(pa.baseAddress, pw.baseAddress, codes, pa.count)
                return usesDot ? 1 - (constant + raw) : constant + raw
            }
        }
    }
}
