import Foundation
import Testing
@testable import Embedding

@Suite struct GunzipTests {
    static let acl = "../shared/datasets/acl-anthology/papers.jsonl.gz"

    @Test("the ACL Anthology corpus inflates to its 17,016 JSON lines; TextInput reads .gz directly")
    func inflatesCorpus() throws {
        let gz = try Data(contentsOf: URL(fileURLWithPath: Self.acl))
        #expect(Gunzip.isGzip(gz))
        let text = String(decoding: try Gunzip.inflate(gz, file: Self.acl), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 17_016)
        #expect(lines[0].hasPrefix(#"{"id": "2020.aacl-main.1", "title": "Touch Editing"#))
        let input = try TextInput(path: Self.acl, field: "title")
        #expect(input.texts.count == 17_016 && input.texts[0].hasPrefix("Touch Editing: A Flexible One-Time Interaction"))
    }

    @Test("truncated and corrupt gzip data are errors naming the file")
    func refusesDamage() throws {
        let gz = try Data(contentsOf: URL(fileURLWithPath: Self.acl))
        #expect(throws: GunzipError(file: "cut.gz", reason: "truncated gzip data")) { try Gunzip.inflate(gz.prefix(5000), file: "cut.gz") }
        var corrupt = gz.prefix(5000)
        for i in 100..<400 { corrupt[i] ^= 0x5a }
        #expect(throws: GunzipError.self) { try Gunzip.inflate(corrupt, file: "bad.gz") }
        do { _ = try Gunzip.inflate(corrupt, file: "bad.gz") } catch { #expect("\(error)".hasPrefix("bad.gz: corrupt gzip data")) }
    }
}
