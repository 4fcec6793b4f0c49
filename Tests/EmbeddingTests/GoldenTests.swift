import Foundation
import Testing
import CMatmul
@testable import Embedding

/// The embedder against the reference values in ../shared/golden/minilm.json, made
/// by the numpy reference (`../shared/tools/minilm_ref.py`).
@Suite struct GoldenTests {
    struct Golden: Decodable {
        struct Case: Decodable { let text: String; let token_ids: [Int32]; let embedding: [Float] }
        let cases: [Case]
    }

    static let golden: Golden = {
        let data = FileManager.default.contents(atPath: "../shared/golden/minilm.json")!
        return try! JSONDecoder().decode(Golden.self, from: data)
    }()

    static let embedder: Embedder = try! Embedder()

    @Test("token ids are identical to the reference for every golden case")
    func tokens() {
        #expect(Self.golden.cases.count >= 10)
        for c in Self.golden.cases {
            #expect(Self.embedder.tokenize(c.text) == c.token_ids, "\(c.text.debugDescription)")
        }
    }

    @Test("embeddings are within 1e-4 of the reference for every golden case")
    func embeddings() {
        let vectors = Self.embedder.embed(Self.golden.cases.map(\.text))
        for (i, c) in Self.golden.cases.enumerated() {
            let got = vectors[(i * 384)..<((i + 1) * 384)]
            let worst = zip(got, c.embedding).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-4, "\(c.text.debugDescription): max |diff| = \(worst)")
        }
    }

    @Test("batching does not change a text's embedding")
    func batchIndependent() {
        let texts = Self.golden.cases.map(\.text)
        let together = Self.embedder.embed(texts)
        for (i, t) in texts.enumerated().prefix(4) {
            let alone = Self.embedder.embed(t)
            let worst = zip(alone, together[(i * 384)..<((i + 1) * 384)]).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-5)
        }
    }
}

/// bf16 and int8 against the Float32 reference on the golden texts, on oneDNN's fast kernels.
@Suite struct LowPrecisionTests {
    static let texts = GoldenTests.golden.cases.map(\.text)

    func cosines(_ precision: Precision) throws -> [Float] {
        let low = try Embedder(precision: precision).embed(Self.texts), exact = GoldenTests.embedder.embed(Self.texts)
        return Self.texts.indices.map { i in
            let a = exact[(i * 384)..<((i + 1) * 384)], b = low[(i * 384)..<((i + 1) * 384)]
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return dot / (na * nb)
        }
    }

    @Test("bf16: every golden text within cosine 0.9995 of Float32", .enabled(if: Precision.bf16.isAvailable))
    func bf16() throws {
        let c = try cosines(.bf16)
        #expect(c.allSatisfy { $0 >= 0.9995 }, "\(c)")
    }

    @Test("int8: mean cosine to Float32 at least 0.99 over the golden texts, none under 0.97", .enabled(if: Precision.int8.isAvailable))
    func int8() throws {
        let c = try cosines(.int8)
        #expect(c.reduce(0, +) / Float(c.count) >= 0.99 && c.allSatisfy { $0 >= 0.97 }, "\(c)")
    }

    @Test("the products run on the kernels this CPU should use, not a reference fallback",
          .enabled(if: Precision.int8.isAvailable && Precision.bf16.isAvailable))
    func kernels() throws {
        let tokens = GoldenTests.embedder.tokenize(Self.texts[0])
        var out = [Float](repeating: 0, count: 384)
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let forcedAVX2 = ProcessInfo.processInfo.environment["REFER_ISA"] == "avx2"
        let vnni = flags.contains(" avx512_vnni") && !forcedAVX2, bf16 = flags.contains(" avx512_bf16") && !forcedAVX2
        for (precision, kernel) in [(Precision.bf16, bf16 ? "brg:avx512_core_bf16" : "gemm:jit"),
                                    (.int8, vnni ? "brg:avx512_core_vnni" : "refer:avx2_s16")] {
            let model = try Embedder(precision: precision).model
            out.withUnsafeMutableBufferPointer { model.forward([tokens], into: $0.baseAddress!) }
            #expect(Precision.lastKernel == kernel)
        }
    }
}
