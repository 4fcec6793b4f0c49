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

    @Test("scalar quantizer: codes within half a step of the (clamped) values, distances from the kernels",
          arguments: [(8, ScalarQuantizer.RangeKind.perDimension), (8, .global), (4, .perDimension)])
    func quantizer(bits: Int, range: ScalarQuantizer.RangeKind) {
        let dim = 130, count = 300
        let data = KernelTableTests.values(dim * count, seed: 9)
        let sq = data.withUnsafeBufferPointer { ScalarQuantizer.train($0, dimension: dim, range: range, bits: bits) }
        #expect(sq.bits == bits && sq.codeBytes == (bits == 8 ? 130 : 96))
        let top = (0..<dim).map { sq.lower[$0] + Float(sq.maxCode) * sq.step[$0] }
        // 8 bits span the data; 4 bits mean ± 2.51 sigma (uniform values in [-1, 1): sigma 0.577,
        // about ±1.45, clipped to the data's ±1).
        for d in 0..<dim { #expect(sq.lower[d] < -0.95 && top[d] > 0.95) }
        let query = KernelTableTests.values(dim, seed: 10)
        for metric in [Metric.l2, .ip] {
            let prepared = query.withUnsafeBufferPointer { sq.prepare($0.baseAddress!, metric: metric) }
            for row in 0..<count {
                let v = Array(data[row * dim..<(row + 1) * dim])
                let codes = sq.encode(v)
                let decoded = sq.decode(codes)
                for d in 0..<dim { #expect(abs(decoded[d] - min(max(v[d], sq.lower[d]), top[d])) <= sq.step[d] / 2 + 1e-6) }
                let want = Distance.distance(query, decoded, metric: metric)
                let got = codes.withUnsafeBufferPointer { prepared.distance(to: $0.baseAddress!, kernels: .best) }
                #expect(abs(got - want) <= 1e-3 * max(1, abs(want)), "\(metric) row \(row): \(got) vs \(want)")
            }
        }
        // A value far outside every range lands on the end codes.
        let far = sq.decode(sq.encode([Float](repeating: 50, count: dim)))
        for d in 0..<dim { #expect(abs(far[d] - top[d]) < 1e-5) }
    }
}
