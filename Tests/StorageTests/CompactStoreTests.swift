import Foundation
import HNSW
import Kernels
import Testing
import VectorIO
@testable import Storage

/// A store made with `--index-form compact`: Float16 vectors walked with int8 codes.
@Suite struct CompactStoreTests {
    let dir = NSTemporaryDirectory() + "refer-compact-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    static let set = "../shared/datasets/pypi-minilm-100k"

    static func line(_ i: Int) -> String {
        #"{"id": "p\#(i)", "title": "Package \#(i)", "authors": ["Author \#(i % 50)"], "year": \#(2000 + i % 20)}"#
    }

    @Test("compact store: recall against exact Float32 neighbours, Float16 distances, codes learned again as it grows, views and reopening agree")
    func compactStore() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try VectorFile.readFloats(Self.set + "/base.fbin").prefix(rows: 6_000)
        let queries = try VectorFile.readFloats(Self.set + "/query.fbin").prefix(rows: 200)
        let identity = StoreIdentity.miniLM.with(.compact)
        let store = try PaperStore(path: dir, identity: identity)
        // A first batch of 100: the codes' ranges from 100 vectors; batches of 500 after it, and the
        // codes learned again whenever the store holds twice what they were learned from: at 600, 1,600, 3,600.
        _ = try store.ingest(lines: (0..<100).map(Self.line), batchSize: 100, vectorForLine: { base.row($0) })
        let early = try store.searcher().index.withPersistentState { $0.header.quantizer }
        #expect(early?.training_rows == 100 && early?.bits == 8)
        _ = try store.ingest(lines: (100..<6_000).map(Self.line), firstLineNumber: 101, batchSize: 500,
                             vectorForLine: { base.row(100 + $0) })
        let searcher = try store.searcher()
        #expect(try searcher.problems() == [])
        let grown = searcher.index.withPersistentState { $0.header.quantizer }
        #expect(grown?.training_rows == 3_600, "learned from \(String(describing: grown?.training_rows))")
        #expect(searcher.index.configuration.storage == .float16 && searcher.index.traversalCodeBits == 8)
        #expect(searcher.index.configuration.m == 32, "a new compact store's graph has M \(searcher.index.configuration.m)")
        #expect(try store.stats().index_form == "compact")

        var hits = 0
        var answers: [[String]] = []
        for q in 0..<queries.rows {
            let query = Array(queries[q])
            let found = try searcher.similar(to: query, k: 10, ef: 64)
            answers.append(found.map(\.paperID))
            let exact = (0..<base.rows).map { (Distance.distance(query, Array(base[$0]), metric: .cosine), $0) }
                .sorted { $0 < $1 }.prefix(10)
            hits += Set(exact.map { "p\($0.1)" }).intersection(found.map(\.paperID)).count
            for h in found {   // the re-rank's Float16 distances, not the codes'
                let row = Int(h.paperID.dropFirst())!
                #expect(abs(h.distance - Distance.distance(query, Array(base[row]), metric: .cosine)) < 1e-3)
            }
        }
        let recall = Double(hits) / Double(10 * queries.rows)
        #expect(recall >= 0.95, "compact recall@10 = \(recall)")

        // Read-only, in place from the map, and reopened for writing: the same answers.
        let reader = try PaperStore(path: dir, readOnly: true).searcher()
        for q in stride(from: 0, to: queries.rows, by: 10) {
            #expect(try reader.similar(to: Array(queries[q]), k: 10, ef: 64).map(\.paperID) == answers[q])
        }
        let reopened = try PaperStore(path: dir)
        _ = try reopened.ingest(lines: [Self.line(6_000)], firstLineNumber: 1, vectorForLine: { _ in Array(base[0]) })
        #expect(try reopened.searcher().similar(to: Array(base[0]), k: 2, ef: 64).map(\.paperID).sorted() == ["p0", "p6000"])

        // The form is chosen once.
        #expect(throws: StoreError("\(dir): this store was made differently: index form: store has compact, asked for float32 (chosen once, when the store is made)")) {
            try PaperStore(path: dir, identity: .miniLM.with(.float32))
        }
    }
}
