import Foundation
import HNSW
import LMDB

/// Searches a store's papers on one snapshot: the index's node records are read in
/// place from the memory map, nothing of the graph or the vectors is copied. Make a
/// new searcher to see papers added since.
public final class StoreSearcher: @unchecked Sendable {
    public let store: PaperStore
    let snapshot: Snapshot
    public let index: HNSWIndex
    private let keepAlive: [Any]

    init(store: PaperStore, snapshot: Snapshot, index: HNSWIndex, keepAlive: [Any]) {
        self.store = store; self.snapshot = snapshot; self.index = index; self.keepAlive = keepAlive
    }

    /// A paper id and its cosine distance (`1 - cosine similarity`).
    public struct Hit: Sendable, Equatable {
        public let paperID: String
        public let distance: Float
    }

    /// The `k` papers nearest to `vector`, nearest first.
    public func similar(to vector: [Float], k: Int, ef: Int = 64) throws -> [Hit] {
        let hits = try index.search(vector, k: k, ef: ef)
        let dbs = store.dbs
        return try snapshot.read { txn in
            try hits.map { h in
                guard let id = try txn.get(h.id, in: dbs.nodePaper, as: String.self) else {
                    throw StoreError("\(store.path): node \(h.id) has no paper")
                }
                return Hit(paperID: id, distance: h.distance)
            }
        }
    }

    /// The stored record of paper `id`.
    public func paper(_ id: String) throws -> PaperRecord? {
        try snapshot.read { txn in
            try txn.get(id, in: store.dbs.papers, as: String.self).map { json in
                do { return try PaperRecord.parse(json) } catch { throw StoreError("\(store.path): paper '\(id)' is damaged: \(error)") }
            }
        }
    }

    /// The indexed vector of paper `id`, or nil when there is no such paper.
    public func vector(ofPaper id: String) throws -> [Float]? {
        let node = try snapshot.read { try $0.get(id, in: store.dbs.paperNode, as: UInt32.self) }
        return node.flatMap { index.storedVector($0) }
    }

    /// The ids of the papers listing `author` (matched by ``normalizedAuthorName(_:)``).
    public func papers(byAuthor author: String) throws -> [String] {
        try snapshot.read { txn in
            try txn.get(normalizedAuthorName(author), in: store.dbs.authors, as: String.self)
                .map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        }
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
        let dbs = store.dbs
        try snapshot.read { txn in
            var papers = 0
            try txn.forEach(in: dbs.papers) { key, _ in
                papers += 1
                let id = String(decoding: key, as: UTF8.self)
                guard let node = try txn.get(id, in: dbs.paperNode, as: UInt32.self) else {
                    out.append("paper '\(id)' has no index node"); return out.count < 100
                }
                if !index.isLive(node) { out.append("paper '\(id)' points at node \(node), which is not live") }
                if try txn.get(node, in: dbs.nodePaper, as: String.self) != id { out.append("node \(node) does not map back to paper '\(id)'") }
                return out.count < 100
            }
            let nodes = try txn.count(dbs.nodePaper)
            if nodes != papers { out.append("\(nodes) nodes map to papers, but there are \(papers) papers") }
            if index.count != papers { out.append("the index holds \(index.count) live vectors for \(papers) papers") }
        }
        return out
    }
}
