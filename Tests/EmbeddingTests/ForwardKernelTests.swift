import CKernels
import Foundation
import CMatmul
import Testing
@testable import Embedding

/// The forward pass's pieces against plain definitions, at the sizes where their blocking
/// has edges: sequence lengths around the 4-row and 16-key blocks, rows around 16.
@Suite struct ForwardKernelTests {
    /// A fixed pseudo-random sequence (xorshift), so a failure reproduces.
    struct Numbers {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> Float {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state % 2_000_001) / 1_000_000 - 1   // [-1, 1]
        }
    }

    @Test("fused attention equals softmax(scale q kᵀ) v per head, for lengths 1 to 70")
    func attention() {
        let heads = 12, size = 32, width = heads * size, stride = 3 * width
        let scale = 1 / Float(size).squareRoot()
        var numbers = Numbers()
        for n in [1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 33, 48, 63, 64, 70] {
            // Scores spread over several units, so the softmax is not near uniform.
            let qkv = (0..<(n * stride)).map { _ in 3 * numbers.next() }
            var context = [Float](repeating: .nan, count: n * width)
            var scratch = [Float](repeating: .nan, count: (n + 15) / 16 * 16 * (size + 4))
            ck_attention(qkv, n, stride, heads, size, width, scale, &context, width, &scratch)
            var worst: Double = 0
            for h in 0..<heads {
                for i in 0..<n {
                    let q = (0..<size).map { Double(qkv[i * stride + h * size + $0]) }
                    let scores = (0..<n).map { j in Double(scale) * (0..<size).reduce(0.0) { $0 + q[$1] * Double(qkv[j * stride + width + h * size + $1]) } }
                    let top = scores.max()!
                    let e = scores.map { Foundation.exp($0 - top) }, sum = e.reduce(0, +)
                    for d in 0..<size {
                        let want = (0..<n).reduce(0.0) { $0 + e[$1] / sum * Double(qkv[$1 * stride + 2 * width + h * size + d]) }
                        worst = max(worst, abs(Double(context[i * width + h * size + d]) - want))
                    }
                }
            }
            #expect(worst < 1e-5, "n = \(n): max |diff| = \(worst)")
        }
    }

    @Test("row softmax over block-padded rows equals the plain definition; padding lanes end near 0")
    func softmaxRows() {
        var numbers = Numbers()
        for n in [1, 2, 15, 16, 17, 64, 203, 256] {
            let stride = (n + 15) / 16 * 16, rows = 3
            var x = (0..<(rows * stride)).map { _ in 20 * numbers.next() }
            let original = x
            ck_softmax_rows(&x, rows, n, stride)
            for r in 0..<rows {
                let row = (0..<n).map { Double(original[r * stride + $0]) }
                let top = row.max()!
                let e = row.map { Foundation.exp($0 - top) }, sum = e.reduce(0, +)
                let worst = (0..<n).map { abs(Double(x[r * stride + $0]) - e[$0] / sum) }.max()!
                #expect(worst < 1e-6, "n = \(n), row \(r): max |diff| = \(worst)")
                #expect((n..<stride).allSatisfy { x[r * stride + $0] < 1e-30 }, "n = \(n): padding lanes")
            }
        }
    }

    /// a (m x k) with whole values in [0, 255] and w (n x k) in [-127, 127], each row
    /// reaching both ends of its range: int8 quantizes both exactly (scale 1, zero point 0)
    /// and bf16 holds them exactly, so the product must be exact too.
    func exactOperands(m: Int, n: Int, k: Int) -> (a: [Float], w: [Float], bias: [Float]) {
        var numbers = Numbers()
        var a = (0..<(m * k)).map { _ in Float(Int((numbers.next() + 1) * 127.5)) }
        var w = (0..<(n * k)).map { _ in Float(Int(numbers.next() * 127)) }
        for r in 0..<m { a[r * k] = 0; a[r * k + 1] = 255 }
        for r in 0..<n { w[r * k] = 127 }
        // Row 2 all 255 against column 1 all 127: every 8-bit pair product is 64,770.
        if m > 2 { for c in 1..<k { a[2 * k + c] = 255 } }
        if n > 1 { for c in 0..<k { w[k + c] = 127 } }
        return (a, w, (0..<n).map { Float($0 % 7) - 3 })
    }

    /// Full-range rows are where an 8-bit pair product (vpmaddubsw) saturates 16 bits; an
    /// odd k and an n that is not a whole number of column blocks test the padding.
    @Test("low-precision products write a·wᵀ + bias, or add it to a residual, exactly on exact operands",
          .enabled(if: Precision.int8.isAvailable && Precision.bf16.isAvailable))
    func products() throws {
        for precision in [CM_BF16, CM_INT8] {
            for (m, n, k) in [(1, 48, 64), (15, 48, 64), (16, 48, 64), (17, 48, 64), (40, 48, 64), (7, 50, 77), (33, 24, 200)] {
                let (a, w, bias) = exactOperands(m: m, n: n, k: k)
                let packed = try #require(cm_pack(Int32(precision), w, Int32(n), Int32(k)))
                defer { cm_free(packed) }
                let residual = (0..<(m * n)).map { Float($0 % 11) }
                var written = [Float](repeating: .nan, count: m * n), added = residual
                #expect(cm_matmul(packed, a, Int32(m), bias, &written, 0, 1) == 0)
                #expect(cm_matmul(packed, a, Int32(m), bias, &added, 1, 2) == 0)
                for r in 0..<m {
                    for c in 0..<n {
                        let product = (0..<k).reduce(Float(0)) { $0 + a[r * k + $1] * w[c * k + $1] }
                        #expect(written[r * n + c] == product + bias[c], "precision \(precision), m \(m), [\(r), \(c)]")
                        #expect(added[r * n + c] == residual[r * n + c] + product + bias[c], "precision \(precision), m \(m), [\(r), \(c)]")
                        if written[r * n + c] != product + bias[c] { return }
                    }
                }
            }
        }
    }
}
