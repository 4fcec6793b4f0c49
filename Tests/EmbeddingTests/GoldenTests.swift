import Foundation
import Testing
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
