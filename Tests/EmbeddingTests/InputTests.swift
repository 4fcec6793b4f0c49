import Foundation
import Testing
@testable import Embedding

@Suite struct InputTests {
    @Test("every line is one text; bad UTF-8 is repaired and reported by line")
    func lines() throws {
        var bytes = Array("first\n\n   \t \n\u{1}\u{7}\u{1B}\r\nok\r\n".utf8)
        bytes += [0x66, 0xFF, 0xFE, 0x67, 0x0A]          // "f", two invalid bytes, "g"
        bytes += Array("last without newline".utf8)
        let input = try TextInput(data: Data(bytes))
        #expect(input.texts.count == 7)
        #expect(input.texts[0] == "first" && input.texts[1] == "" && input.texts[4] == "ok")
        #expect(input.texts[5] == "f\u{FFFD}\u{FFFD}g")
        #expect(input.texts[6] == "last without newline")
        #expect(input.warnings == ["line 6: invalid UTF-8, undecodable bytes dropped"])
    }

    @Test("JSONL fields, with errors naming the line")
    func jsonl() throws {
        let good = try TextInput(data: Data("{\"title\": \"A\"}\n{\"title\": \"B\", \"x\": 1}\n".utf8), field: "title")
        #expect(good.texts == ["A", "B"])
        #expect(throws: EmbeddingError.badInput(line: 2, reason: "no field 'title'")) {
            try TextInput(data: Data("{\"title\": \"A\"}\n{\"name\": \"B\"}\n".utf8), field: "title")
        }
        #expect(throws: EmbeddingError.badInput(line: 1, reason: "not a JSON object")) {
            try TextInput(data: Data("[1, 2]\n".utf8), field: "title")
        }
        #expect(throws: EmbeddingError.badInput(line: 1, reason: "field 'title' is not a string")) {
            try TextInput(data: Data("{\"title\": 3}\n".utf8), field: "title")
        }
    }

    @Test("empty, blank, control-only, replacement-character and very long texts embed to unit vectors")
    func awkwardTexts() {
        let long = String(repeating: "vector search engines for scholarly papers ", count: 2_000)
        let texts = ["", "   \t  ", "\u{1}\u{2}\u{7F}", "\u{FFFD}\u{FFFD}", long, String(repeating: "x", count: 150)]
        let e = GoldenTests.embedder
        #expect(e.tokenize("") == [101, 102])
        #expect(e.tokenize("\u{1}\u{2}\u{7F}") == [101, 102])
        #expect(e.tokenize(long).count == 256)
        #expect(e.tokenize(String(repeating: "x", count: 150)) == [101, 100, 102], "a word over 100 characters is [UNK]")
        let vectors = e.embed(texts)
        for i in texts.indices {
            let v = vectors[(i * 384)..<((i + 1) * 384)]
            #expect(v.allSatisfy { $0.isFinite })
            #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        }
        // Whitespace and control characters alone are the empty text.
        #expect(Array(vectors[0..<384]) == Array(vectors[384..<768]))
    }
}
