import Foundation
import LMDB
import Names
import Testing
@testable import Storage

/// The store's author index: one name key (PersonName) for every spelling, kept through
/// updates and deletes, and rebuilt from the papers for a store an older refer wrote.
@Suite struct AuthorIndexTests {
    let dir = NSTemporaryDirectory() + "refer-authors-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    func line(_ id: String, _ authors: [String]) -> String {
        let v = (0..<8).map { i in Float((id.hashValue &+ i * 31) % 97) / 97 + 0.01 }
        let authorsJSON = String(decoding: try! JSONEncoder().encode(authors), as: UTF8.self)
        return #"{"id": "\#(id)", "title": "Paper \#(id)", "authors": \#(authorsJSON), "year": 2024, "vector": \#(v)}"#
    }

    func store() throws -> PaperStore { try PaperStoreTests.store(at: dir) }

    @Test("every spelling of a person meets: 'Last, First', case, accents, LaTeX accents, initials, middle names")
    func spellingsMeet() throws {
        let s = try store()
        let report = try s.ingest(lines: [
            line("a", ["Jane Doe", "Minjia Zhang"]), line("b", ["Doe, Jane"]), line("c", ["DOE, JANE", "Zhang, Minjia"]),
            line("d", ["Jane M. Doe"]), line("e", ["J. Doe"]), line("f", ["John Doe"]),
            line("g", ["Bal\\'azs K\\'egl"]), line("h", ["Kégl, Balázs"]), line("i", ["Balazs Kegl"]),
        ])
        #expect(report.errors.isEmpty && report.added == 9)
        let searcher = try s.searcher()
        #expect(try searcher.papers(byAuthor: "Jane Doe") == ["a", "b", "c", "d", "e"])
        #expect(try searcher.papers(byAuthor: "Doe, Jane") == ["a", "b", "c", "d", "e"])
        // An initial may be anyone with that letter: both Jane's and John's papers.
        #expect(try searcher.papers(byAuthor: "J. Doe") == ["a", "b", "c", "d", "e", "f"])
        #expect(try searcher.papers(byAuthor: "John Doe") == ["e", "f"])
        #expect(try searcher.papers(byAuthor: "Minjia Zhang") == ["a", "c"])
        #expect(try searcher.papers(byAuthor: "Balázs Kégl") == ["g", "h", "i"])
        #expect(try searcher.papers(byAuthor: "Nobody Here").isEmpty)
        #expect(try searcher.problems().isEmpty)
    }

    @Test("updates and deletes move a paper between keys")
    func updatesAndDeletes() throws {
        let s = try store()
        _ = try s.ingest(lines: [line("a", ["Jane Doe"]), line("b", ["Doe, Jane", "Ada Lovelace"])])
        _ = try s.ingest(lines: [line("b", ["Ada Lovelace"])])
        #expect(try s.searcher().papers(byAuthor: "Jane Doe") == ["a"])
        try s.remove(ids: ["a"])
        #expect(try s.searcher().papers(byAuthor: "Jane Doe").isEmpty)
        #expect(try s.searcher().papers(byAuthor: "Lovelace, Ada") == ["b"])
        #expect(try s.searcher().problems().isEmpty)
    }

    @Test("a store whose author index an older refer wrote: refused read-only with the remedy, rebuilt when opened for writing")
    func rebuildsOldIndex() throws {
        do {
            let s = try store()
            _ = try s.ingest(lines: [line("a", ["Jane Doe"]), line("b", ["Doe, Jane"])])
            // What the previous build wrote: the raw spelling folded, no version marker.
            try s.env.write { txn in
                try txn.removeAll(in: s.dbs.authors)
                try txn.put("jane doe", #"["a"]"#, in: s.dbs.authors)
                try txn.put("doe, jane", #"["b"]"#, in: s.dbs.authors)
                _ = try txn.delete(AuthorIndex.versionKey, in: s.dbs.meta)
            }
        }
        let readOnly = try PaperStore(path: dir, identity: PaperStoreTests.identity, readOnly: true)
        #expect(throws: StoreError("\(dir): the author index was written by an older refer; rebuild it with `refer check --repair --store \(dir)`")) {
            try readOnly.searcher().papers(byAuthor: "Jane Doe")
        }
        #expect(try readOnly.searcher().problems().contains("author index: written by an older refer (rebuild it with `refer check --repair`)"))
        let generation = try readOnly.generation()
        let writable = try store()
        #expect(try writable.searcher().papers(byAuthor: "Jane Doe") == ["a", "b"])
        #expect(try writable.searcher().problems().isEmpty)
        // The rebuild is a committed write: a reader opened before sees it in its next searcher.
        #expect(try readOnly.generation() == generation + 1)
        #expect(try readOnly.searcher().papers(byAuthor: "Doe, Jane") == ["a", "b"])
    }

    @Test("a paper id with a control character is refused (the index separates ids by newlines)")
    func controlCharacterIDs() throws {
        #expect(throws: PaperRecordError("field 'id' contains a control character")) {
            try PaperRecord.parse(#"{"id": "a\nb", "title": "T"}"#)
        }
    }
}
