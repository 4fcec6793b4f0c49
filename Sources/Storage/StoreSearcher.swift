import Foundation
import HNSW
import LMDB
import Names

/// Searches a store's papers on one snapshot: the index's node records are read in
/// place from the memory map, nothing of the graph or the vectors is copied. Make a
/// new searcher to see papers added since.
public final class StoreSearcher: @unchecked Sendable {
    public let store: PaperStore
    let snapshot: Snapshot
    public let index: HNSWIndex
    private let keepAlive: [Any]

    /// False when an older refer wrote the author index (lookups by author refuse with the remedy).
    public let authorIndexIsCurrent: Bool
    /// The tuned models, read on first use.
    let tuned = Once<StoreTermination?>()
    /// Each node's year and venue, read on the first filtered search.
    let facets = Once<NodeFacets>()

    init(store: PaperStore, snapshot: Snapshot, index: HNSWIndex, keepAlive: [Any], authorIndexIsCurrent: Bool) {
        self.store = store; self.snapshot = snapshot; self.index = index; self.keepAlive = keepAlive
        self.authorIndexIsCurrent = authorIndexIsCurrent
    }

    /// A paper id and its cosine distance (`1 - cosine similarity`).
    public struct Hit: Sendable, Equatable {
        public let paperID: String
        public let distance: Float
    }

    /// The `k` papers nearest to `vector`, nearest first.
    public func similar(to vector: [Float], k: Int, ef: Int = 64) throws -> [Hit] {
        try hits(index.search(vector, k: k, ef: ef))
    }

    /// The stored record of paper `id`.
    /// `extraFields: false` leaves out the fields refer does not use (faster; for queries).
    public func paper(_ id: String, extraFields: Bool = true) throws -> PaperRecord? {
        try snapshot.read { txn in
            try txn.get(id, in: store.dbs.papers, as: String.self).map { json in
                do { return try PaperRecord.parse(json, extraFields: extraFields) }
                catch { throw StoreError("\(store.path): paper '\(id)' is damaged: \(error)") }
            }
        }
    }

    /// The authors of paper `id` as stored, each with its author id when the record gives
    /// one ([] when it has none or there is no such paper), read without decoding the rest.
    public func authors(ofPaper id: String) throws -> [(name: String, id: String?)] {
        try snapshot.read { txn in
            guard let bytes = try txn.getBytes(id, in: store.dbs.papers) else { return [] }
            do {
                let a = try JSONDecoder().decode(AuthorIndex.StoredAuthors.self, from: Data(bytes))
                let ids = a.author_ids ?? []
                return (a.authors ?? []).enumerated().map { i, name in (name, i < ids.count ? ids[i] : nil) }
            } catch { throw StoreError("\(store.path): paper '\(id)' is damaged: \(error)") }
        }
    }

    /// The cosine similarities of `vector` to papers `ids` (those in the store, in order),
    /// computed in place in the map, and the papers' index nodes (for ``similarity(between:and:)``).
    public func similarities(of vector: [Float], toPapers ids: [String]) throws -> (ids: [String], nodes: [UInt32], similarities: [Float]) {
        let nodes = try snapshot.read { txn in try ids.map { try txn.get($0, in: store.dbs.paperNode, as: UInt32.self) } }
        let distances = index.distances(from: vector, to: nodes.map { $0 ?? UInt32.max })
        var found: [String] = [], foundNodes: [UInt32] = [], sims: [Float] = []
        for (i, id) in ids.enumerated() {
            guard let node = nodes[i], let d = distances[i] else { continue }
            found.append(id); foundNodes.append(node); sims.append(1 - d)
        }
        return (found, foundNodes, sims)
    }

    /// The cosine similarity of two papers' index nodes.
    public func similarity(between a: UInt32, and b: UInt32) -> Float {
        index.distance(between: a, and: b).map { 1 - $0 } ?? 0
    }

    /// The indexed vector of paper `id`, or nil when there is no such paper.
    public func vector(ofPaper id: String) throws -> [Float]? {
        let node = try snapshot.read { try $0.get(id, in: store.dbs.paperNode, as: UInt32.self) }
        return node.flatMap { index.storedVector($0) }
    }

    /// The ids of the papers listing `author` under any spelling that may be them
    /// (``PersonName/mayBe(_:)``: "Doe, Jane", "J. Doe", "Jane R. Doe" for "Jane Doe"), sorted.
    public func papers(byAuthor author: String) throws -> [String] {
        try papers(by: PersonName(author))
    }

    private func requireCurrentAuthorIndex() throws {
        guard authorIndexIsCurrent else {
            throw StoreError("\(store.path): the author index was written by an older refer; rebuild it with `refer check --repair --store \(store.path)`")
        }
    }

    /// The ids of the papers that give an author the id `authorID` (`openalex:A…`, `orcid:…`), sorted.
    public func papers(byAuthorID authorID: String) throws -> [String] {
        try requireCurrentAuthorIndex()
        return try snapshot.read { txn in try AuthorIndex.read(txn, store.dbs.authors, AuthorIndex.idKey(authorID)) }
    }

    /// ``papers(byAuthor:)`` for a name parsed already.
    public func papers(by person: PersonName) throws -> [String] {
        try requireCurrentAuthorIndex()
        return try snapshot.read { txn in try AuthorIndex.papers(of: person, txn, store.dbs.authors) }
    }

    /// The distinct given names stored with `person`'s family name and first initial
    /// (``AuthorIndex/givenNames(of:_:_:)``): the people an initial may stand for.
    public func givenNames(of person: PersonName) throws -> [String] {
        try requireCurrentAuthorIndex()
        return try snapshot.read { txn in try AuthorIndex.givenNames(of: person, txn, store.dbs.authors) }
    }

    /// A document stored with ``PaperStore/setDocument(_:json:)``, or nil.
    public func document(_ name: String) throws -> String? {
        try snapshot.read { try $0.get("doc:" + name, in: store.dbs.meta, as: String.self) }
    }

    /// Papers in the snapshot.
    public var paperCount: Int { (try? snapshot.read { try $0.count(store.dbs.papers) }) ?? 0 }

    /// Everything that is inconsistent, or an empty list: every paper has a live node
    /// that maps back to it, every node maps to a paper, and the graph's invariants hold.
    public func problems() throws -> [String] {
        var out: [String] = []
        if let p = index.checkInvariants() { out.append("graph: \(p)") }
        if !authorIndexIsCurrent {
            out.append("author index: written by an older refer (rebuild it with `refer check --repair`)")
        }
        let dbs = store.dbs
        try snapshot.read { txn in
            var papers = 0
            try txn.forEach(in: dbs.papers) { key, value in
                papers += 1
                let id = String(decoding: key, as: UTF8.self)
                guard let node = try txn.get(id, in: dbs.paperNode, as: UInt32.self) else {
                    out.append("paper '\(id)' has no index node"); return out.count < 100
                }
                if !index.isLive(node) { out.append("paper '\(id)' points at node \(node), which is not live") }
                if try txn.get(node, in: dbs.nodePaper, as: String.self) != id { out.append("node \(node) does not map back to paper '\(id)'") }
                if authorIndexIsCurrent, let record = try? PaperRecord.parse(String(decoding: value, as: UTF8.self)) {
                    for key in AuthorIndex.keys(record) where !(try AuthorIndex.read(txn, dbs.authors, key)).contains(id) {
                        out.append("paper '\(id)' is missing from the author index under '\(key)'")
                    }
                }
                return out.count < 100
            }
            let nodes = try txn.count(dbs.nodePaper)
            if nodes != papers { out.append("\(nodes) nodes map to papers, but there are \(papers) papers") }
            if index.count != papers { out.append("the index holds \(index.count) live vectors for \(papers) papers") }
        }
        return out
    }
}

/// A value computed once, on first use, by whichever thread asks first.
final class Once<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private var done = false

    func get(_ make: () throws -> Value) rethrows -> Value {
        lock.lock(); defer { lock.unlock() }
        if done { return value! }
        let v = try make()
        value = v; done = true
        return v
    }
}
