import Testing
@testable import Kernels

@Suite struct CodecTests {
    @Test("Float16 conversion agrees with Swift's Float16 for every half bit pattern")
    func halfRoundTrip() {
        for bits in UInt16.min...UInt16.max {
            let f = Float16Codec.decode(bits)
            let swift = Float(Float16(bitPattern: bits))
            if swift.isNaN { #expect(f.isNaN); continue }
            #expect(f == swift, "decode \(bits)")
            #expect(Float16Codec.encode(f) == bits, "re-encode \(bits)")
        }
    }

    @Test("Float16 rounding of Float32 values agrees with Swift's Float16")
    func halfRounding() {
        var s: UInt32 = 12345
        for _ in 0..<200_000 {
            s = s &* 1664525 &+ 1013904223
            let f = Float(bitPattern: s)
            guard !f.isNaN else { continue }
            #expect(Float16Codec.encode(f) == Float16(f).bitPattern, "encode \(f)")
        }
    }

    @Test("scalar quantizer distances track exact distances", arguments: ScalarQuantizer.RangeKind.allCases)
    func quantizer(range: ScalarQuantizer.RangeKind) {
        let dim = 67, count = 200
        let data = KernelTableTests.values(dim * count, seed: 9)
        let sq = data.withUnsafeBufferPointer { ScalarQuantizer.train($0, dimension: dim, range: range) }
        let query = KernelTableTests.values(dim, seed: 10)
        for metric in [Metric.l2, .ip] {
            let prepared = query.withUnsafeBufferPointer { sq.prepare($0.baseAddress!, metric: metric) }
            for row in 0..<count {
                let v = Array(data[row * dim..<(row + 1) * dim])
                let codes = sq.encode(v)
                let decoded = sq.decode(codes)
                for d in 0..<dim { #expect(abs(decoded[d] - v[d]) <= sq.step[d] / 2 + 1e-6) }
                let want = Distance.distance(query, decoded, metric: metric)
                let got = codes.withUnsafeBufferPointer { prepared.distance(to: $0.baseAddress!, kernels: .best) }
                #expect(abs(got - want) <= 1e-3 * max(1, abs(want)), "\(metric) row \(row): \(got) vs \(want)")
            }
        }
    }

    @Test("4-bit quantizer: mean ± 2.51 sigma per dimension, half a step inside it, clamped outside, distances from the kernels")
    func quantizer4() {
        let dim = 130, count = 400
        let data = KernelTableTests.values(dim * count, seed: 11)
        let sq = data.withUnsafeBufferPointer { ScalarQuantizer.train($0, dimension: dim, range: .perDimension, bits: 4) }
        #expect(sq.bits == 4 && sq.maxCode == 15 && sq.codeBytes == 96)
        // Uniform values in [-1, 1): sigma 0.577, so the range is about ±1.45 clipped to the data's ±1.
        for d in 0..<dim { #expect(sq.lower[d] < -0.95 && sq.lower[d] + 15 * sq.step[d] > 0.95) }
        let query = KernelTableTests.values(dim, seed: 12)
        for metric in [Metric.l2, .ip] {
            let prepared = query.withUnsafeBufferPointer { sq.prepare($0.baseAddress!, metric: metric) }
            for row in 0..<count {
                let v = Array(data[row * dim..<(row + 1) * dim])
                let codes = sq.encode(v)
                let decoded = sq.decode(codes)
                for d in 0..<dim {
                    let top = sq.lower[d] + 15 * sq.step[d]
                    let inside = min(max(v[d], sq.lower[d]), top)
                    #expect(abs(decoded[d] - inside) <= sq.step[d] / 2 + 1e-6)
                }
                let want = Distance.distance(query, decoded, metric: metric)
                let got = codes.withUnsafeBufferPointer { prepared.distance(to: $0.baseAddress!, kernels: .best) }
                #expect(abs(got - want) <= 1e-3 * max(1, abs(want)), "\(metric) row \(row): \(got) vs \(want)")
            }
        }
        // A value far outside every range lands on the end codes.
        let far = sq.decode(sq.encode([Float](repeating: 50, count: dim)))
        for d in 0..<dim { #expect(abs(far[d] - (sq.lower[d] + 15 * sq.step[d])) < 1e-5) }
    }
}
