import Benchmark
import Kernels

/// One distance call per inner iteration, on vectors that stay in L1: the kernels'
/// compute cost, per instruction set, for the dimensions refer meets (128: SIFT,
/// 384: MiniLM, 768: BERT-base). Memory-bound costs belong to `refer bench`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], scalingFactor: .mega,
                                           maxDuration: .seconds(2))

    func values(_ n: Int, _ seed: UInt32) -> [Float] {
        var s = seed | 1
        return (0..<n).map { _ in s = s &* 1664525 &+ 1013904223; return Float(s >> 8) / Float(1 << 24) - 0.5 }
    }

    for table in KernelTable.available {
        for dim in [128, 384, 768] {
            let a = values(dim, 1), b = values(dim, 2)
            let halves = b.map(Float16Codec.encode)
            let codes = b.map { UInt8(($0 + 0.5) * 255) }
            let w = [Float](repeating: 1, count: dim)
            Benchmark("l2sq f32 \(table.isa) d=\(dim)") { benchmark in
                a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                    for _ in benchmark.scaledIterations { blackHole(table.l2sqF32(pa.baseAddress, pb.baseAddress, dim)) }
                } }
            }
            Benchmark("dot f32 \(table.isa) d=\(dim)") { benchmark in
                a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                    for _ in benchmark.scaledIterations { blackHole(table.dotF32(pa.baseAddress, pb.baseAddress, dim)) }
                } }
            }
            Benchmark("dot f16 \(table.isa) d=\(dim)") { benchmark in
                a.withUnsafeBufferPointer { pa in halves.withUnsafeBufferPointer { ph in
                    for _ in benchmark.scaledIterations { blackHole(table.dotF16(pa.baseAddress, ph.baseAddress, dim)) }
                } }
            }
            Benchmark("dot int8 \(table.isa) d=\(dim)") { benchmark in
                a.withUnsafeBufferPointer { pa in w.withUnsafeBufferPointer { pw in codes.withUnsafeBufferPointer { pc in
                    for _ in benchmark.scaledIterations { blackHole(table.dotSQ8(pa.baseAddress, pw.baseAddress, pc.baseAddress, dim)) }
                } } }
            }
        }
    }
}
