import Foundation
import HNSW
import Kernels
import LMDB

/// A paper corpus in one LMDB environment: the papers, their authors, and the HNSW
/// graph with the vectors inside its node records (layout: docs/store.md).
///
///     let store = try PaperStore(path: dir, identity: .miniLM)
///     let report = try store.ingest(lines: jsonl, embed: { texts in embedder.embedRows(texts) })
///     let searcher = try store.searcher()            // snapshot + in-place index view
///     let hits = try searcher.similar(to: queryVector, k: 10)
///
/// Every ingest batch is one write transaction: its papers, their node records and
/// the graph links they change commit together or not at all, so a crash at any
/// point leaves the last committed batch. Readers work on snapshots and never see a
/// half batch.
public final class PaperStore: @unchecked Sendable {
    public let path: String
    public let identity: StoreIdentity
    let env: Environment
    let dbs: StoreDatabases
    /// The writer's own copy of the graph, and the store generation it matches.
    private var writerIndex: HNSWIndex?
    private var writerGeneration: UInt64 = 0
    private let writerLock = NSLock()
    /// Threads used to link new nodes while ingesting.
    public var buildThreads = ProcessInfo.processInfo.activeProcessorCount

    /// Whether a store (or at least its LMDB file) is at `path`.
    public static func exists(at path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/data.mdb")
    }

    /// Opens the store at `path`, creating it with `identity` when it does not exist;
    /// an existing store made with a different schema, model, dimension or metric is
    /// refused. `readOnly` opens without any write access (the store must exist).
    public init(path: String, identity wanted: StoreIdentity = .miniLM, readOnly: Bool = false) throws {
        self.path = path
        let exists = Self.exists(at: path)
        guard exists || !readOnly else { throw StoreError("\(path): no store here (make one with `refer ingest FILE.jsonl --store \(path)`)") }
        // A map far beyond the data: the file only grows as pages are used, and a map
        // that never needs resizing lets readers keep snapshots open indefinitely.
        env = try Environment(path: path, maxDatabases: 16, mapSize: 1 << 40, readOnly: readOnly)
        dbs = try StoreDatabases(env)
        let meta = dbs.meta
        let stored: StoreIdentity? = try env.read { txn in
            try txn.getBytes("store", in: meta).map { try JSONDecoder().decode(StoreIdentity.self, from: Data($0)) }
        }
        if let stored {
            let differences = stored.differences(from: wanted)
            guard differences.isEmpty else {
                throw StoreError("\(path): this store was made differently: " + differences.joined(separator: "; "))
            }
            identity = stored
        } else {
            guard !readOnly else { throw StoreError("\(path): not a refer store (no identity record)") }
            let encoded = String(decoding: try JSONEncoder().encode(wanted), as: UTF8.self)
            try env.write { txn in try txn.put("store", encoded, in: meta) }
            identity = wanted
        }
        // A store written by an older build keys its authors differently: rebuild the index once
        // (read-only, searchers see the old marker and refuse lookups by author with the remedy).
        let dbs = self.dbs
        let authorIndex = try env.read { try $0.get(AuthorIndex.versionKey, in: dbs.meta, as: String.self) }
        if authorIndex != AuthorIndex.version && !readOnly {
            try env.write { txn in
                try AuthorIndex.rebuild(txn, dbs)
                // Readers (a running server) make a new searcher and see the new index.
                try txn.put("generation", (try txn.get("generation", in: dbs.meta, as: UInt64.self) ?? 0) + 1, in: dbs.meta)
            }
        }
    }

    // MARK: - Ingest

    /// What one ingest did.
    public struct IngestReport: Sendable, Equatable {
        public var added = 0
        public var updated = 0
        /// Rejected lines, with their line numbers, in input order.
        public var errors: [LineError] = []
        public init(added: Int = 0, updated: Int = 0, errors: [LineError] = []) {
            self.added = added; self.updated = updated; self.errors = errors
        }
    }

    public struct LineError: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
        public init(line: Int, message: String) { self.line = line; self.message = message }
    }

    /// Stores the papers in `lines` (JSONL), `batchSize` lines per transaction.
    /// Bad lines are reported and skipped; good ones are stored. Papers without a
    /// `vector` are embedded with `embed` (title, then abstract); without `embed`
    /// they are rejected. A paper id already in the store is updated: record, vector
    /// and links replaced, the old node deleted and its neighbours repaired.
    /// `vectorForLine(i)`, when given, supplies the vector of line `i` (0-based) for
    /// papers whose JSON carries none (for example rows of an `.fbin`).
    public func ingest(lines: [String], firstLineNumber: Int = 1, batchSize: Int = 1000,
                       vectorForLine: ((Int) -> [Float]?)? = nil,
                       embed: (([String]) throws -> [[Float]])? = nil,
                       progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> IngestReport {
        var report = IngestReport()
        for start in stride(from: 0, to: lines.count, by: max(1, batchSize)) {
            let end = min(lines.count, start + max(1, batchSize))
            try ingestBatch(Array(lines[start..<end]), firstLineNumber: firstLineNumber + start,
                            vectorForLine: vectorForLine.map { f in { f(start + $0) } }, embed: embed, report: &report)
            progress?(end, lines.count)
        }
        return report
    }

    private func ingestBatch(_ lines: [String], firstLineNumber: Int, vectorForLine: ((Int) -> [Float]?)?,
                             embed: (([String]) throws -> [[Float]])?, report: inout IngestReport) throws {
        // Parse and validate, keeping the first of any duplicate id.
        var records: [PaperRecord] = []
        var seen: [String: Int] = [:]
        for (offset, line) in lines.enumerated() {
            let number = firstLineNumber + offset
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                var record = try PaperRecord.parse(line)
                if record.vector == nil, let given = vectorForLine?(offset) { record.vector = given }
                if let first = seen[record.id] {
                    report.errors.append(LineError(line: number, message: "duplicate id '\(record.id)' (first at line \(first))"))
                    continue
                }
                if let v = record.vector, v.count != identity.dimension {
                    report.errors.append(LineError(line: number, message: "vector has \(v.count) dimensions, the store holds \(identity.dimension)"))
                    continue
                }
                if record.vector == nil && embed == nil {
                    report.errors.append(LineError(line: number, message: "no 'vector' and no embedder to make one (install the model with scripts/setup.sh)"))
                    continue
                }
                seen[record.id] = number
                records.append(record)
            } catch {
                report.errors.append(LineError(line: number, message: error.description))
            }
        }
        guard !records.isEmpty else { return }
        // Embed what has no vector, in one call.
        let missing = records.indices.filter { records[$0].vector == nil }
        if !missing.isEmpty, let embed {
            let vectors = try embed(missing.map { records[$0].embeddingText })
            for (i, vector) in zip(missing, vectors) { records[i].vector = vector }
        }
        let (added, updated) = try commit(records)
        report.added += added
        report.updated += updated
    }

    /// Runs `change` in one write transaction with the writer's index brought up to
    /// date, then writes the graph's changed parts and bumps the generation, all in
    /// that transaction. Safe to run again after a map resize (the index is reloaded);
    /// on any failure the index is dropped, since it may hold changes the store does not.
    private func withWriter<T>(_ change: (borrowing Transaction, HNSWIndex) throws -> T) throws -> T {
        writerLock.lock(); defer { writerLock.unlock() }
        let dbs = self.dbs
        var attempt = 0
        do {
            return try env.write { txn in
                attempt += 1
                let generation = try txn.get("generation", in: dbs.meta, as: UInt64.self) ?? 0
                if attempt > 1 || writerIndex == nil || writerGeneration != generation {
                    writerIndex = try loadIndex(txn, copy: true).index
                }
                let result = try change(txn, writerIndex!)
                try persist(writerIndex!, txn)
                try txn.put("generation", generation + 1, in: dbs.meta)
                writerGeneration = generation + 1
                return result
            }
        } catch {
            writerIndex = nil
            throw error
        }
    }

    /// One transaction: records, nodes, links.
    private func commit(_ records: [PaperRecord]) throws -> (added: Int, updated: Int) {
        let dbs = self.dbs
        return try withWriter { txn, index in
            var updated = 0
            var oldRecords: [String: PaperRecord] = [:]
            for r in records {
                guard let old = try txn.get(r.id, in: dbs.paperNode, as: UInt32.self) else { continue }
                try index.remove(old)
                try txn.delete(old, in: dbs.nodePaper)
                if let json = try txn.get(r.id, in: dbs.papers, as: String.self) { oldRecords[r.id] = try PaperRecord.parse(json) }
                updated += 1
            }
            let flat = records.flatMap { $0.vector! }
            let nodes = try flat.withUnsafeBufferPointer { try index.add($0, threads: buildThreads) }
            if updated > 0 { index.consolidateDeletes() }
            for (r, node) in zip(records, nodes) {
                try txn.put(r.id, r.canonicalJSON(), in: dbs.papers)
                try txn.put(r.id, node, in: dbs.paperNode)
                try txn.put(node, r.id, in: dbs.nodePaper)
                try AuthorIndex.update(txn, dbs.authors, paper: r.id, old: oldRecords[r.id], new: r)
            }
            return (records.count - updated, updated)
        }
    }

    /// Deletes papers everywhere (record, author lists, node, node mappings) in one
    /// transaction; the graph is repaired around the removed nodes before it commits.
    /// Returns the ids that were not in the store.
    @discardableResult
    public func remove(ids: [String]) throws -> [String] {
        let dbs = self.dbs
        return try withWriter { txn, index in
            var unknown: [String] = []
            for id in ids {
                guard let node = try txn.get(id, in: dbs.paperNode, as: UInt32.self) else { unknown.append(id); continue }
                let old = try txn.get(id, in: dbs.papers, as: String.self).map { try PaperRecord.parse($0) }
                try index.remove(node)
                try txn.delete(node, in: dbs.nodePaper)
                try txn.delete(id, in: dbs.paperNode)
                try txn.delete(id, in: dbs.papers)
                try AuthorIndex.update(txn, dbs.authors, paper: id, old: old, new: nil)
            }
            index.consolidateDeletes()
            return unknown
        }
    }

    /// Stores (or with nil removes) a named JSON document beside the papers, in one
    /// transaction that bumps the generation: the Papers layer keeps the committee here.
    public func setDocument(_ name: String, json: String?) throws {
        let dbs = self.dbs
        try withWriter { txn, _ in
            if let json { try txn.put("doc:" + name, json, in: dbs.meta) } else { _ = try txn.delete("doc:" + name, in: dbs.meta) }
        }
    }

    /// The number of committed writes so far: a reader whose snapshot is older makes a
    /// new searcher to see them.
    public func generation() throws -> UInt64 {
        let dbs = self.dbs
        return try env.read { try $0.get("generation", in: dbs.meta, as: UInt64.self) ?? 0 }
    }

    /// Writes the changed record groups and the small tables.
    private func persist(_ index: HNSWIndex, _ txn: borrowing Transaction) throws {
        let dirty = index.takeDirtyGroups()
        let dbs = self.dbs
        try index.withPersistentState { state in
            for g in dirty {
                let bytes = state.group(g)
                try txn.put(UInt32(g), reserving: bytes.count, in: dbs.groups) { $0.copyMemory(from: bytes) }
            }
            try txn.put("header", String(decoding: try JSONEncoder().encode(state.header), as: UTF8.self), in: dbs.graph)
            try txn.put("levels", Array(state.levels), in: dbs.graph)
            try txn.put("upper", state.upperLinks, in: dbs.graph)
            try txn.put("deleted", Array(state.deletedBits), in: dbs.graph)
        }
    }

    // MARK: - Reading

    /// The index as stored, either copied (for the writer) or as a view whose records
    /// stay in the map (valid while `txn` is). Misaligned pieces are copied.
    func loadIndex(_ txn: borrowing Transaction, copy: Bool) throws -> (index: HNSWIndex, keepAlive: [Any]) {
        let config = identity.hnsw
        guard let headerJSON = try txn.get("header", in: dbs.graph, as: String.self) else {
            return (try HNSWIndex(config), [])
        }
        let header = try JSONDecoder().decode(HNSWHeader.self, from: Data(headerJSON.utf8))
        var keepAlive: [Any] = []
        func bytes(_ key: String) throws -> UnsafeRawBufferPointer {
            guard let b = try txn.getBytes(key, in: dbs.graph) else { throw StoreError("\(path): graph record '\(key)' is missing") }
            return b
        }
        let levels = try bytes("levels"), deleted = try bytes("deleted")
        let upperBytes = try txn.getBytes("upper", in: dbs.graph) ?? UnsafeRawBufferPointer(start: nil, count: 0)
        var groups: [UnsafeRawPointer] = []
        let groupCount = (header.slotCount + 255) >> HNSWIndex.groupShift
        for g in 0..<groupCount {
            guard let b = try txn.getBytes(UInt32(g), in: dbs.groups) else { throw StoreError("\(path): record group \(g) is missing") }
            if Int(bitPattern: b.baseAddress) % 16 == 0 {
                groups.append(b.baseAddress!)
            } else {
                let owned = AlignedCopy(b)
                keepAlive.append(owned)
                groups.append(owned.pointer)
            }
        }
        let upper = AlignedCopy(upperBytes)
        keepAlive.append(upper)
        let index = try HNSWIndex.restore(config, header: header, levels: levels, groups: groups,
                                          upperLinks: UnsafeBufferPointer(start: upper.pointer.assumingMemoryBound(to: UInt32.self),
                                                                          count: upperBytes.count / 4),
                                          deletedBits: deleted, copy: copy)
        return (index, keepAlive)
    }

    /// A private copy of the last committed graph and vectors: changes to it (a tuner's
    /// held-out deletions) never reach the store.
    public func indexCopy() throws -> HNSWIndex {
        try env.read { txn in try loadIndex(txn, copy: true).index }
    }

    /// A searcher over the last committed state.
    public func searcher() throws -> StoreSearcher {
        let snapshot = try env.snapshot()
        let dbs = self.dbs
        let (index, keepAlive, authorIndex) = try snapshot.read { txn in
            let (index, keepAlive) = try loadIndex(txn, copy: false)
            return (index, keepAlive, try txn.get(AuthorIndex.versionKey, in: dbs.meta, as: String.self))
        }
        return StoreSearcher(store: self, snapshot: snapshot, index: index, keepAlive: keepAlive,
                             authorIndexIsCurrent: authorIndex == AuthorIndex.version)
    }

    /// Every paper, in id order, as its canonical JSON line.
    public func export(_ emit: (String) throws -> Void) throws {
        try env.read { txn in
            try txn.forEach(in: dbs.papers) { _, value in
                try emit(String(decoding: value, as: UTF8.self))
                return true
            }
        }
    }
}

/// Bytes copied to 64-byte-aligned memory (for pieces LMDB stored unaligned).
final class AlignedCopy: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ bytes: UnsafeRawBufferPointer) {
        pointer = .allocate(byteCount: max(bytes.count, 1), alignment: 64)
        if let base = bytes.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
    }
    deinit { pointer.deallocate() }
}

extension StoreIdentity {
    /// refer's own embeddings: all-MiniLM-L6-v2, 384 dimensions, cosine, M 16, efConstruction 200.
    public static let miniLM = StoreIdentity(schema_version: StoreIdentity.currentSchema, model: "all-MiniLM-L6-v2",
                                             dimension: 384, metric: "cosine", m: 16, ef_construction: 200, seed: 42)
}

/// Counts and identity of a store, as `refer stats --json` prints them.
public struct StoreStats: Codable, Sendable, Equatable {
    public var path: String
    public var schema_version: Int
    public var model: String
    public var dimension: Int
    public var metric: String
    public var papers: Int
    public var authors: Int
    public var index_nodes: Int
    public var index_live: Int
    public var generation: UInt64
    public var file_bytes: Int
    /// The learned-termination targets the store was tuned for (nil: never tuned).
    public var tuned: TunedSummary?
    /// The precision the store's vectors were embedded in (f32, bf16, int8; f32 for a store
    /// from before refer recorded it).
    public var precision: String
    /// How the index keeps the vectors: float32 or compact.
    public var index_form: String
}

extension PaperStore {
    /// The document in which the Papers layer records the model and precision the vectors were made with.
    public static let embeddingDocument = "embedding"

    public func stats() throws -> StoreStats {
        let searcher = try self.searcher()
        let (papers, authors, generation): (Int, Int, UInt64) = try searcher.snapshot.read { txn in
            (try txn.count(dbs.papers), try txn.count(dbs.authors), try txn.get("generation", in: dbs.meta, as: UInt64.self) ?? 0)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0
        let slots = searcher.index.withPersistentState { $0.header.slotCount }
        return StoreStats(path: path, schema_version: identity.schema_version, model: identity.model, dimension: identity.dimension,
                          metric: identity.metric, papers: papers, authors: authors, index_nodes: slots,
                          index_live: searcher.index.count, generation: generation, file_bytes: bytes,
                          tuned: try searcher.termination().map { TunedSummary($0, livePapers: searcher.index.count) },
                          precision: try Self.recordedPrecision(searcher.document(Self.embeddingDocument)),
                          index_form: identity.form.rawValue)
    }

    /// The `precision` field of the embedding record, "f32" without one.
    static func recordedPrecision(_ json: String?) throws -> String {
        struct Record: Decodable { var precision: String }
        guard let json else { return "f32" }
        return try JSONDecoder().decode(Record.self, from: Data(json.utf8)).precision
    }
}
