import COpenBLAS
import Dispatch
import Embedding
import Foundation
import Kernels

/// Embedder throughput against the machine's own matrix-multiply rate.
public struct EmbeddingBenchResult: Codable, Sendable {
    public var texts: Int
    public var tokens: Int
    public var threads: Int
    public var seconds: Double
    public var texts_per_s: Double
    public var tokens_per_s: Double
    /// Dense-layer work done per second, at ``EmbeddingBench/flopsPerToken``.
    public var achieved_gflops: Double
    /// `cblas_sgemm` on a 4096 x 384 x 1536 product, all threads.
    public var sgemm_gflops: Double
    public var fraction_of_sgemm: Double
    /// The arithmetic of the embedder's products (f32, bf16, int8).
    public var precision: String
    /// The SIMD kernels' instruction set (`REFER_ISA` forces one) and the kernel that made
    /// the low-precision products ("brg:avx512_core_vnni", "refer:avx2_s16"; f32: "openblas").
    public var isa: String
    public var kernel: String
}

/// How long one text takes when texts arrive one at a time (a query's embedding).
public struct EmbeddingLatency: Codable, Sendable {
    public var precision: String
    public var isa: String
    public var kernel: String
    public var threads: Int
    public var texts: Int
    public var mean_words: Double
    public var p50_ms: Double
    public var p90_ms: Double
}

public enum EmbeddingBench {
    /// MiniLM-L6's matrix products per token: 6 layers x (4 x 384² + 2 x 384 x 1536) x 2.
    public static let flopsPerToken: Double = {
        let attention: Double = 4 * 384 * 384, feedForward: Double = 2 * 384 * 1536
        return 6 * (attention + feedForward) * 2   // about 21.2 MFLOP
    }()

    public static func run(_ embedder: Embedder, texts: [String], threads: Int) -> EmbeddingBenchResult {
        let tokens = texts.reduce(0) { $0 + embedder.tokenize($1).count }
        _ = embedder.embed(Array(texts.prefix(256)), threads: threads)   // warm-up: page in the weights
        let start = DispatchTime.now()
        _ = embedder.embed(texts, threads: threads)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let achieved = Double(tokens) * flopsPerToken / seconds / 1e9
        let peak = sgemmRate()
        return EmbeddingBenchResult(texts: texts.count, tokens: tokens, threads: threads, seconds: seconds,
                                    texts_per_s: Double(texts.count) / seconds, tokens_per_s: Double(tokens) / seconds,
                                    achieved_gflops: achieved, sgemm_gflops: peak, fraction_of_sgemm: achieved / peak,
                                    precision: embedder.precision.rawValue, isa: KernelTable.best.isa.rawValue,
                                    kernel: kernel(embedder))
    }

    /// What made `embedder`'s products, after it has run.
    static func kernel(_ embedder: Embedder) -> String {
        embedder.precision == .f32 ? "openblas" : Precision.lastKernel
    }

    /// Each of `texts` embedded alone on `threads` threads, `rounds` times over; the
    /// first round only warms up.
    public static func latency(_ embedder: Embedder, texts: [String], threads: Int, rounds: Int = 4) -> EmbeddingLatency {
        var times: [Double] = []
        for round in 0..<rounds {
            for t in texts {
                let start = DispatchTime.now()
                _ = embedder.embed([t], threads: threads)
                let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
                if round > 0 { times.append(ms) }
            }
        }
        times.sort()
        let words = Double(texts.reduce(0) { $0 + $1.split(whereSeparator: \.isWhitespace).count }) / Double(max(1, texts.count))
        return EmbeddingLatency(precision: embedder.precision.rawValue, isa: KernelTable.best.isa.rawValue, kernel: kernel(embedder),
                                threads: threads, texts: texts.count, mean_words: words,
                                p50_ms: times[times.count / 2], p90_ms: times[min(times.count - 1, times.count * 9 / 10)])
    }

    /// GFLOP/s of `cblas_sgemm` multiplying 4096 x 384 by 384 x 1536 with OpenBLAS's own
    /// threading (all cores), best of 5 after a warm-up.
    public static func sgemmRate(m: Int = 4096, k: Int = 384, n: Int = 1536) -> Double {
        var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        for i in a.indices { a[i] = Float(i % 7) * 0.1 }
        for i in b.indices { b[i] = Float(i % 5) * 0.1 }
        var best = Double.infinity
        for round in 0..<6 {
            let start = DispatchTime.now()
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
            let t = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            if round > 0 { best = min(best, t) }
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }
}
