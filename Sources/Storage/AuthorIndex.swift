import Foundation
import LMDB
import Names

/// The store's author index: every spelling of an author, keyed by
/// ``PersonName/indexKey`` (`family|given`), maps to the ids of the papers that list it.
/// A lookup reads exactly the keys that ``PersonName/mayBe(_:)`` accepts, so the papers
/// found for "Jane Doe" are those listing "Jane Doe", "Doe, Jane", "J. Doe" or
/// "Jane R. Doe", and the same rule decides conflicts of interest.
///
/// Author ids (`author_ids`: `openalex:A…`, `s2:…`, `dblp:…`, `orcid:…`) are indexed in the
/// same database under `id:<author id>` (a name key never holds a colon).
///
/// Value: the paper ids, sorted, separated by a newline (ids hold no control characters,
/// ``PaperRecord/parse(_:)`` refuses them), read without a JSON decoder on the hot path.
enum AuthorIndex {
    /// The format written by this build; a store with another is rebuilt when opened for writing.
    static let version = "person-name-v3"
    static let versionKey = "author_index"

    /// The distinct keys of a paper: its authors' name keys and their ids.
    static func keys(_ record: PaperRecord?) -> Set<String> {
        guard let record else { return [] }
        let names = (record.authors ?? []).map(PersonName.init).filter { !$0.isEmpty }.map(\.indexKey)
        return Set(names + (record.authorIDs ?? []).compactMap { $0.map(idKey) })
    }

    /// The key of an author id.
    static func idKey(_ id: String) -> String { "id:" + id }

    /// Moves `paper` from the keys of its `old` record to those of the `new` one (nil: none).
    static func update(_ txn: borrowing Transaction, _ db: Database, paper: String, old: PaperRecord?, new: PaperRecord?) throws {
        let oldKeys = keys(old), newKeys = keys(new)
        for key in oldKeys.subtracting(newKeys) {
            var ids = try read(txn, db, key)
            ids.removeAll { $0 == paper }
            if ids.isEmpty { try txn.delete(key, in: db) } else { try txn.put(key, ids.joined(separator: "\n"), in: db) }
        }
        for key in newKeys {
            var ids = try read(txn, db, key)
            guard !ids.contains(paper) else { continue }
            ids.insert(paper, at: ids.firstIndex { $0 > paper } ?? ids.endIndex)
            try txn.put(key, ids.joined(separator: "\n"), in: db)
        }
    }

    /// The ids under one key.
    static func read(_ txn: borrowing Transaction, _ db: Database, _ key: String) throws -> [String] {
        guard let bytes = try txn.getBytes(key, in: db) else { return [] }
        return split(bytes)
    }

    /// The ids of the papers listing a spelling of `name` that ``PersonName/mayBe(_:)`` `name`, sorted, once each.
    static func papers(of name: PersonName, _ txn: borrowing Transaction, _ db: Database) throws -> [String] {
        guard !name.isEmpty else { return [] }
        let (exact, prefix) = name.lookup
        var ids: [String] = []
        for key in exact { ids += try read(txn, db, key) }
        if let prefix {
            let wanted = Array(prefix.utf8)
            try txn.forEach(in: db, from: prefix) { key, value in
                guard key.starts(with: wanted) else { return false }
                ids += split(value)
                return true
            }
        }
        // One key's ids are sorted already; several keys may share a paper ("Jane Doe" and "J. Doe" on one).
        return exact.count == 1 && prefix == nil ? ids : Array(Set(ids)).sorted()
    }

    /// The distinct given names (or initials) the index holds with `name`'s family name and
    /// first letter, sorted: who "Y. Zhang" may be.
    static func givenNames(of name: PersonName, _ txn: borrowing Transaction, _ db: Database) throws -> [String] {
        guard let letter = name.given.first else { return [] }
        let prefix = name.family + "|" + String(letter), wanted = Array(prefix.utf8)
        var out: [String] = []
        try txn.forEach(in: db, from: prefix) { key, _ in
            guard key.starts(with: wanted) else { return false }
            let k = String(decoding: key, as: UTF8.self)
            out.append(String(k[k.index(after: k.firstIndex(of: "|")!)...]))
            return true
        }
        return out
    }

    /// Rebuilds the whole index from the stored papers (a store written by an older build).
    /// Only the authors and their ids are read; a record whose authors cannot be read gets no
    /// entries (`refer check` lists it) rather than stopping the rebuild, which would leave the
    /// store unwritable. The keys are gathered in memory: about 100 bytes per authorship.
    static func rebuild(_ txn: borrowing Transaction, _ dbs: StoreDatabases) throws {
        var index: [String: [String]] = [:]
        try txn.forEach(in: dbs.papers) { key, value in
            let id = String(decoding: key, as: UTF8.self)
            guard let a = try? JSONDecoder().decode(StoredAuthors.self, from: Data(value)) else { return true }
            var record = PaperRecord(id: id, title: "", authors: a.authors)
            if a.author_ids?.count == a.authors?.count { record.authorIDs = a.author_ids }
            for k in keys(record) { index[k, default: []].append(id) }
            return true
        }
        try txn.removeAll(in: dbs.authors)
        for (key, ids) in index { try txn.put(key, ids.sorted().joined(separator: "\n"), in: dbs.authors) }
        try txn.put(versionKey, version, in: dbs.meta)
    }

    /// The author fields of a stored record, read without decoding the rest.
    struct StoredAuthors: Decodable { let authors: [String]?; let author_ids: [String?]? }

    private static func split(_ bytes: UnsafeRawBufferPointer) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: UnsafeRawBufferPointer(rebasing: $0), as: UTF8.self) }
    }
}
