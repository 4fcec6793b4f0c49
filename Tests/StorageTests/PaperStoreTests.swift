import Foundation
import HNSW
import Testing
@testable import Storage

@Suite struct PaperStoreTests {
    let dir = NSTemporaryDirectory() + "refer-store-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    static let identity = StoreIdentity(schema_version: StoreIdentity.currentSchema, model: "test-model", dimension: 8,
                                        metric: "cosine", m: 8, ef_construction: 64, seed: 7)

    static func vector(_ i: Int) -> [Float] {
        var s = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<8).map { _ in s ^= s << 13; s ^= s >> 7; s ^= s << 17; return Float(s % 1000) / 500 - 1 }
    }

    static func line(_ i: Int, title: String? = nil) -> String {
        let v = vector(i).map { "\($0)" }.joined(separator: ",")
        return #"{"id": "p\#(i)", "title": "\#(title ?? "Paper \(i)")", "abstract": "About \#(i).", "authors": ["Ada Lovelace", "Author \#(i % 7)"], "venue": "VLDB", "year": \#(2000 + i % 20), "url": "https://example.org/\#(i)", "vector": [\#(v)]}"#
    }

    func store() throws -> PaperStore { try Self.store(at: dir) }

    /// A store of the test identity at `dir`, linking on one thread (reproducible graphs).
    static func store(at dir: String) throws -> PaperStore {
        let s = try PaperStore(path: dir, identity: identity)
        s.buildThreads = 1
        return s
    }

    @Test("ingest then export gives the same records, and the store searches like an index built in memory")
    func roundTripAndSearch() throws {
        let lines = (0..<700).map { Self.line($0) }
        let s = try store()
        let report = try s.ingest(lines: lines, batchSize: 250)
        #expect(report == PaperStore.IngestReport(added: 700, updated: 0, errors: []))
        var exported: [String] = []
        try s.export { exported.append($0) }
        let expected = lines.map { try! PaperRecord.parse($0) }.map { r -> PaperRecord in var r = r; r.vector = nil; return r }
        #expect(Set(exported.map { try! PaperRecord.parse($0) }.map(\.id)) == Set(expected.map(\.id)))
        #expect(exported.map { try! PaperRecord.parse($0) }.sorted { $0.id < $1.id } == expected.sorted { $0.id < $1.id })

        let memory = try HNSWIndex(Self.identity.hnsw)
        for start in stride(from: 0, to: 700, by: 250) {
            try memory.add((start..<min(700, start + 250)).map(Self.vector), threads: 1)
        }
        let searcher = try s.searcher()
        #expect(try searcher.problems() == [])
        for q in 0..<30 {
            let query = Self.vector(10_000 + q)
            let fromStore = try searcher.similar(to: query, k: 10, ef: 50)
            let fromMemory = try memory.search(query, k: 10, ef: 50)
            #expect(fromStore.count == 10)
            #expect(fromStore.map(\.paperID) == fromMemory.map { "p\($0.id)" })
            #expect(fromStore.map(\.distance) == fromMemory.map(\.distance))
        }
    }

    @Test("re-ingesting an id replaces record, vector and links; the old node goes")
    func update() throws {
        let s = try store()
        _ = try s.ingest(lines: (0..<300).map { Self.line($0) })
        let changed = #"{"id": "p5", "title": "Renamed", "vector": [\#(Self.vector(9_999).map { "\($0)" }.joined(separator: ","))]}"#
        let report = try s.ingest(lines: [changed])
        #expect(report.updated == 1 && report.added == 0)
        let searcher = try s.searcher()
        #expect(try searcher.problems() == [])
        #expect(try searcher.paper("p5")?.title == "Renamed")
        #expect(try searcher.paper("p5")?.authors == nil)
        #expect(try searcher.similar(to: Self.vector(9_999), k: 1).first?.paperID == "p5")
        #expect(searcher.paperCount == 300 && searcher.index.count == 300)
    }

    @Test("bad lines are reported by number; good lines are stored; nothing stored before is lost")
    func malformed() throws {
        let s = try store()
        _ = try s.ingest(lines: (0..<50).map { Self.line($0) })
        let lines = [
            Self.line(100),
            "{not json",
            #"{"id": "p101", "abstract": "no title", "vector": [1,2,3,4,5,6,7,8]}"#,
            #"{"id": "p102", "title": "Wrong year", "year": "2020", "vector": [1,2,3,4,5,6,7,8]}"#,
            #"{"id": "p103", "title": "Short vector", "vector": [1, 2]}"#,
            Self.line(104),
            Self.line(104, title: "Same id again"),
            #"{"id": "p105", "title": "No vector, no embedder"}"#,
            #"{"id": ["p106"], "title": "Array id", "vector": [1,2,3,4,5,6,7,8]}"#,
        ]
        let report = try s.ingest(lines: lines, firstLineNumber: 1)
        #expect(report.added == 2)
        #expect(report.errors.map(\.line) == [2, 3, 4, 5, 7, 8, 9])
        #expect(report.errors[0].message == "not a JSON object")
        #expect(report.errors[1].message == "missing field 'title'")
        #expect(report.errors[2].message == "field 'year' has the wrong type: expected an integer")
        #expect(report.errors[3].message == "vector has 2 dimensions, the store holds 8")
        #expect(report.errors[4].message == "duplicate id 'p104' (first at line 6)")
        #expect(report.errors[5].message.hasPrefix("no 'vector' and no embedder"))
        #expect(report.errors[6].message == "field 'id' has the wrong type: expected a string or an integer")
        let searcher = try s.searcher()
        #expect(searcher.paperCount == 52)
        #expect(try searcher.problems() == [])
    }

    @Test("a store made for another model, dimension or schema is refused, saying what differs")
    func identityMismatch() throws {
        _ = try store()
        var other = Self.identity
        other.dimension = 16
        other.model = "other-model"
        #expect(throws: StoreError("\(dir): this store was made differently: embedding model: store has 'test-model', asked for 'other-model'; dimension: store has 8, asked for 16")) {
            try PaperStore(path: dir, identity: other)
        }
        var newer = Self.identity
        newer.schema_version = 2
        #expect(throws: StoreError("\(dir): this store was made differently: schema version: store has 1, this build reads 2")) {
            try PaperStore(path: dir, identity: newer)
        }
        #expect(throws: StoreError("\(dir)/none: no store here (make one with `refer ingest FILE.jsonl --store \(dir)/none`)")) {
            try PaperStore(path: dir + "/none", identity: Self.identity, readOnly: true)
        }
    }

    @Test("a searcher keeps its snapshot while new batches commit")
    func snapshotIsolation() throws {
        let s = try store()
        _ = try s.ingest(lines: (0..<100).map { Self.line($0) })
        let before = try s.searcher()
        _ = try s.ingest(lines: (100..<200).map { Self.line($0) })
        #expect(before.paperCount == 100 && before.index.count == 100)
        #expect(try before.problems() == [])
        let after = try s.searcher()
        #expect(after.paperCount == 200 && after.index.count == 200)
        #expect(try after.problems() == [])
    }
}

@Suite struct PaperRecordTests {
    @Test("unknown fields survive to export; the vector does not")
    func extraFields() throws {
        let r = try PaperRecord.parse(#"{"id": 7, "title": "T", "is_acl": true, "venue_name": "ACL", "vector": [1, 2]}"#)
        #expect(r.id == "7" && r.vector == [1, 2])
        let back = try JSONSerialization.jsonObject(with: Data(r.canonicalJSON().utf8)) as! [String: Any]
        #expect(Set(back.keys) == ["id", "title", "is_acl", "venue_name"])
        #expect(back["is_acl"] as? Bool == true && back["venue_name"] as? String == "ACL")
    }
}

extension PaperStoreTests {
    @Test("deleting papers removes them everywhere and repairs the graph")
    func deletes() throws {
        let s = try store()
        _ = try s.ingest(lines: (0..<400).map { Self.line($0) })
        let gone = (0..<400).filter { $0 % 3 == 0 }.map { "p\($0)" }
        #expect(try s.remove(ids: gone + ["nope"]) == ["nope"])
        let searcher = try s.searcher()
        #expect(try searcher.problems() == [])
        #expect(searcher.paperCount == 400 - gone.count && searcher.index.count == 400 - gone.count)
        #expect(try searcher.paper("p3") == nil)
        let hits = try searcher.similar(to: Self.vector(3), k: 10)
        #expect(!hits.contains { gone.contains($0.paperID) })
        // Slots freed by the deletes are reused by the next papers.
        _ = try s.ingest(lines: (1_000..<1_010).map { Self.line($0) })
        let after = try s.searcher()
        #expect(try after.problems() == [])
        #expect(after.index.withPersistentState { $0.header.slotCount } == 400)
    }
}
