import Foundation
import Storage
import Testing
@testable import Papers

@Suite struct ImporterTests {
    @Test("the ACL Anthology file imports every line: ids, upper-case venues, authors, abstracts")
    func acl() throws {
        let papers = try ACLAnthology.papers(file: "../shared/datasets/acl-anthology/papers.jsonl.gz")
        #expect(papers.count == 17_016)
        #expect(Set(papers.map(\.id)).count == papers.count)
        #expect(papers[0].id == "2020.aacl-main.1" && papers[0].venue == "AACL" && papers[0].year == 2020)
        #expect(papers[0].authors == ["Qian Wang", "Jiajun Zhang", "Lemao Liu", "Guoping Huang", "Chengqing Zong"])
        #expect(papers.allSatisfy { !$0.title.isEmpty && $0.source == "acl-anthology" })
        #expect(papers.filter { ($0.abstract ?? "").isEmpty }.count < papers.count / 10)
    }

    @Test("a corpus line without a title is refused with file and line; nothing before it is lost")
    func lineWithoutTitle() throws {
        #expect(throws: ProfileError("acl.jsonl:2: missing field 'title'")) {
            try ACLAnthology.papers("{\"id\": \"a\", \"title\": \"A\"}\n{\"id\": \"b\", \"abstract\": \"x\"}\n", file: "acl.jsonl", source: "acl")
        }
        // The store keeps every good line of a file with a bad one (ingest reports the bad line).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("badline-\(UUID().uuidString)").path
        let store = try PaperStore(path: dir)
        let v = [Float](repeating: 0, count: 383) + [1]
        let report = try store.ingest(lines: [
            #"{"id": "a", "title": "A", "vector": \#(v)}"#, #"{"id": "b", "vector": \#(v)}"#, #"{"id": "c", "title": "C", "vector": \#(v)}"#,
        ])
        #expect(report.added == 2 && report.errors.map(\.description) == ["line 2: missing field 'title'"])
        #expect(try store.searcher().paper("c")?.title == "C")
    }

    @Test("OpenReview archives are profiles named from their ids; an empty archive is refused")
    func openReview() throws {
        let profiles = try CommitteeFiles.load(["../shared/datasets/goldstandard/evaluation_datasets/d_20_1"])
        #expect(profiles.count == 58 && profiles.allSatisfy { !$0.publications.isEmpty && $0.publications.count <= 20 })
        #expect(OpenReviewArchive.name(fromFile: "archives/~Jane_Doe1.jsonl") == "Jane Doe")
        #expect(OpenReviewArchive.name(fromFile: "~118242121.jsonl") == "118242121")
        #expect(throws: ProfileError("~Nobody1.jsonl: no papers in this archive")) { try OpenReviewArchive.profile(jsonl: "\n", file: "~Nobody1.jsonl") }
    }
}
