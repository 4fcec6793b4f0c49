import Foundation
import Testing
import VectorIO
@testable import Embedding

@Suite struct SharedSetTests {
    @Test("query.txt embeds to query.fbin: cosine >= 0.9999 on every row")
    func queriesMatchReference() throws {
        let folder = "../shared/datasets/pypi-minilm-100k"
        let texts = try TextInput(path: folder + "/query.txt")
        #expect(texts.warnings.isEmpty)
        let reference = try VectorFile.readFloats(folder + "/query.fbin")
        #expect(texts.texts.count == reference.rows)
        let vectors = GoldenTests.embedder.embed(texts.texts)
        var worst: Float = 1
        for r in 0..<reference.rows {
            var dot: Float = 0
            for c in 0..<384 { dot += vectors[r * 384 + c] * reference[r][c] }
            worst = min(worst, dot)
        }
        #expect(worst >= 0.9999, "lowest cosine \(worst)")
    }
}
