import CKernels
import Testing
@testable import Kernels

/// Every kernel on every instruction set this CPU has, against a Float64 reference,
/// for every dimension from 1 to 1024 and from unaligned addresses.
@Suite struct KernelTableTests {
    /// Deterministic values in [-1, 1).
    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var s = seed &* 0x9E3779B97F4A7C15 | 1
        return (0..<n).map { _ in
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return Float(Double(s >> 11) / Double(1 << 53)) * 2 - 1
        }
    }

    static let maxDim = 1024
    // One element of slack at the front makes every pointer misaligned for SIMD.
    static let a = values(maxDim + 1, seed: 1)
    static let b = values(maxDim + 1, seed: 2)
    static let w = values(maxDim + 1, seed: 3).map { abs($0) }
    static let codes: [UInt8] = values(maxDim + 1, seed: 4).map { UInt8(($0 + 1) * 127.5) }
    static let halves: [UInt16] = values(maxDim + 1, seed: 5).map(Float16Codec.encode)

    /// Σ w(a-c)² and Σ a·c in Float64 over the first n components, code i given by `code(i)`.
    static func reference(_ a: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ n: Int, code: (Int) -> Double) -> (Double, Double) {
        var l2 = 0.0, dot = 0.0
        for i in 0..<n {
            let x = Double(a[i]), y = code(i)
            l2 += Double(w[i]) * (x - y) * (x - y); dot += x * y
        }
        return (l2, dot)
    }

    func check(_ got: Float, _ want: Double, magnitude: Double, _ what: String, isa: InstructionSet, n: Int) {
        let tolerance = 2e-6 * magnitude + 1e-6
        #expect(abs(Double(got) - want) <= tolerance, "\(what) \(isa) n=\(n): \(got) vs \(want)")
    }

    @Test("tables exist: scalar always, plus what the CPU has")
    func tablesExist() {
        let isas = KernelTable.available.map(\.isa)
        #expect(isas.first == .scalar)
        #expect(isas.contains(KernelTable.best.isa))
    }

    @Test("float32 l2 and dot match a Float64 reference", arguments: KernelTable.available.map(\.isa))
    func float32(isa: InstructionSet) {
        let k = KernelTable(isa)!
        Self.a.withUnsafeBufferPointer { pa in
            Self.b.withUnsafeBufferPointer { pb in
                let qa = pa.baseAddress! + 1, qb = pb.baseAddress! + 1
                for n in 1...Self.maxDim {
                    var l2 = 0.0, dot = 0.0, mag2 = 0.0, magd = 0.0
                    for i in 0..<n {
                        let x = Double(qa[i]), y = Double(qb[i])
                        l2 += (x - y) * (x - y); dot += x * y; mag2 += (x - y) * (x - y); magd += abs(x * y)
                    }
                    check(k.l2sqF32(qa, qb, n), l2, magnitude: mag2, "l2sq_f32", isa: isa, n: n)
                    check(k.dotF32(qa, qb, n), dot, magnitude: magd, "dot_f32", isa: isa, n: n)
                }
            }
        }
    }

    @Test("float16 l2 and dot match a Float64 reference", arguments: KernelTable.available.map(\.isa))
    func float16(isa: InstructionSet) {
        let k = KernelTable(isa)!
        Self.a.withUnsafeBufferPointer { pa in
            Self.halves.withUnsafeBufferPointer { ph in
                let q = pa.baseAddress! + 1, h = ph.baseAddress! + 1
                for n in 1...Self.maxDim {
                    var l2 = 0.0, dot = 0.0, magd = 0.0
                    for i in 0..<n {
                        let x = Double(q[i]), y = Double(Float16Codec.decode(h[i]))
                        l2 += (x - y) * (x - y); dot += x * y; magd += abs(x * y)
                    }
                    check(k.l2sqF16(q, h, n), l2, magnitude: l2, "l2sq_f16", isa: isa, n: n)
                    check(k.dotF16(q, h, n), dot, magnitude: magd, "dot_f16", isa: isa, n: n)
                }
            }
        }
    }

    @Test("int8 code kernels match a Float64 reference", arguments: KernelTable.available.map(\.isa))
    func sq8(isa: InstructionSet) {
        let k = KernelTable(isa)!
        // Scale a into the code range so the terms are of realistic size.
        let a = Self.a.map { ($0 + 1) * 127.5 }
        a.withUnsafeBufferPointer { pa in
            Self.w.withUnsafeBufferPointer { pw in
                Self.codes.withUnsafeBufferPointer { pc in
                    let qa = pa.baseAddress! + 1, qw = pw.baseAddress! + 1, c = pc.baseAddress! + 1
                    for n in 1...Self.maxDim {
                        let (l2, dot) = Self.reference(qa, qw, n) { Double(c[$0]) }
                        check(k.l2sqSQ8(qa, qw, c, n), l2, magnitude: l2, "l2sq_sq8", isa: isa, n: n)
                        check(k.dotSQ8(qa, qw, c, n), dot, magnitude: dot, "dot_sq8", isa: isa, n: n)
                    }
                }
            }
        }
    }

    @Test("4-bit code kernels match a Float64 reference over the block layout", arguments: KernelTable.available.map(\.isa))
    func sq4(isa: InstructionSet) {
        let k = KernelTable(isa)!
        let a = Self.a.map { ($0 + 1) * 7.5 }
        a.withUnsafeBufferPointer { pa in
            Self.w.withUnsafeBufferPointer { pw in
                for n in 1...Self.maxDim {
                    // Nibbles from the seeded codes, packed by ScalarQuantizer's layout rule.
                    let nibbles = (0..<n).map { Self.codes[$0] & 15 }
                    var packed = [UInt8](repeating: 0, count: ck_sq4_bytes(n))
                    for (i, c) in nibbles.enumerated() { packed[i / 64 * 32 + i % 32] |= i % 64 < 32 ? c : c << 4 }
                    #expect((0..<n).allSatisfy { ck_sq4_get(packed, $0) == nibbles[$0] })
                    let qa = pa.baseAddress! + 1, qw = pw.baseAddress! + 1
                    let (l2, dot) = Self.reference(qa, qw, n) { Double(nibbles[$0]) }
                    packed.withUnsafeBufferPointer { pc in
                        check(k.l2sqSQ4(qa, qw, pc.baseAddress!, n), l2, magnitude: l2, "l2sq_sq4", isa: isa, n: n)
                        check(k.dotSQ4(qa, qw, pc.baseAddress!, n), dot, magnitude: dot, "dot_sq4", isa: isa, n: n)
                    }
                }
            }
        }
    }

    @Test("the byte product (AVX-512 VNNI, AVX2) is the exact integer sum within its query limit, extremes included, from unaligned addresses, up to 1024 components")
    func bytesDot() throws {
        let tables = KernelTable.available.filter { $0.dotU8S8 != nil }
        #expect(tables.map(\.isa).contains(.avx2) == (KernelTable(.avx2) != nil))   // every x86 CPU with AVX2 has one
        let full = [UInt8](repeating: 255, count: Self.maxDim + 1)
        for table in tables {
            let dot = table.dotU8S8!, limit = table.byteQueryLimit
            #expect(limit == (table.isa == .avx2 ? 64 : 127) || (table.isa == .avx512 && limit == 64))   // AVX-512 without VNNI uses the AVX2 product
            // Random bytes within the limit, then its extremes against full codes (where 16-bit sums would saturate past it).
            let random: [Int8] = Self.values(Self.maxDim + 1, seed: 6).map { Int8(($0 * (Float(limit) + 0.99)).rounded(.towardZero)) }
            let extreme: [Int8] = (0...Self.maxDim).map { Int8($0 % 3 == 0 ? -limit : ($0 % 3 == 1 ? limit : -limit + 1)) }
            for (q, codes) in [(random, Self.codes), (extreme, full), (extreme, Self.codes)] {
                q.withUnsafeBufferPointer { pq in
                    codes.withUnsafeBufferPointer { pc in
                        for n in 1...Self.maxDim {
                            var want: Int32 = 0
                            for i in 0..<n { want += Int32(pq[i + 1]) * Int32(pc[i + 1]) }
                            #expect(dot(pq.baseAddress! + 1, pc.baseAddress! + 1, n) == want, "\(table.isa) n=\(n)")
                        }
                    }
                }
            }
        }
    }

    @Test("cosine distance of parallel, orthogonal and zero vectors")
    func cosine() {
        #expect(abs(Distance.cosineDistance([1, 2, 3], [2, 4, 6])) < 1e-6)
        #expect(abs(Distance.cosineDistance([1, 0], [0, 5]) - 1) < 1e-6)
        #expect(abs(Distance.cosineDistance([1, 0], [-3, 0]) - 2) < 1e-6)
        #expect(Distance.cosineDistance([0, 0], [1, 1]) == 1)
        #expect(Distance.distance([3, 4], [0, 0], metric: .l2) == 25)
        #expect(Distance.distance([1, 0], [0.5, 0], metric: .ip) == 0.5)
    }
}
