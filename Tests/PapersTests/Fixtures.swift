import Embedding
import Foundation
import Storage
@testable import Papers

/// What several suites share: the embedder and a store of the bundled aisys2023 corpus
/// (233 papers), made once per test run in a temporary folder.
enum Fixtures {
    static let embedder: Embedder = try! Embedder()
    static let aisysStore: PaperStore = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aisys-\(UUID().uuidString)").path
        let s = try! PaperStore(path: dir)
        let lines = try! String(contentsOfFile: "datasets/aisys2023/papers.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
        let report = try! s.ingest(lines: lines, embed: { embedder.embedRows($0) })
        precondition(report.errors.isEmpty && report.added == 233)
        return s
    }()
    /// The seed committee: the four CV profiles under datasets/committee.
    static let seedCommittee: Committee = try! Committee(profiles: CommitteeFiles.load(["datasets/committee"]),
                                                         searcher: aisysStore.searcher(), embedder: embedder)
}
