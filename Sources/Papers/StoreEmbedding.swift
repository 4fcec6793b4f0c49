import Embedding
import Foundation
import Storage

/// The model and precision a store's vectors were made with, kept in the store (document
/// `embedding`), so queries are embedded the same way. A store written before refer kept
/// it holds Float32 vectors.
public struct StoreEmbedding: Codable, Sendable, Equatable {
    public var model: String
    public var precision: Precision
    public var dimension: Int

    public static let documentName = PaperStore.embeddingDocument
    /// The model refer runs.
    public static let modelName = "all-MiniLM-L6-v2"

    public init(precision: Precision) { model = Self.modelName; self.precision = precision; dimension = MiniLM.dimension }

    /// What `searcher`'s store records; a store with none was made in Float32.
    public static func of(_ searcher: StoreSearcher) throws -> StoreEmbedding { try recorded(in: searcher) ?? StoreEmbedding(precision: .f32) }

    /// The record itself, nil when the store has none.
    static func recorded(in searcher: StoreSearcher) throws -> StoreEmbedding? {
        guard let json = try searcher.document(documentName) else { return nil }
        do { return try JSONDecoder().decode(StoreEmbedding.self, from: Data(json.utf8)) }
        catch { throw ProfileError("\(searcher.store.path): the stored embedding record is damaged: \(error)") }
    }

    /// Before `refer ingest` embeds into `store` in `precision`: records it in a store that
    /// has no record and no papers; refuses a precision other than the one the store's
    /// vectors were made in (one store, one precision: cosines across precisions differ).
    public static func prepare(_ store: PaperStore, precision: Precision) throws {
        let searcher = try store.searcher()
        let record = try recorded(in: searcher), recorded = record != nil
        let current = record ?? StoreEmbedding(precision: .f32)
        if !recorded && searcher.paperCount == 0 {
            try store.setDocument(documentName, json: String(decoding: try JSONEncoder().encode(StoreEmbedding(precision: precision)), as: UTF8.self))
            return
        }
        guard current.precision == precision else {
            throw ProfileError("\(store.path): its vectors were made in \(current.precision.rawValue)" + (recorded ? "" : " (a store from before refer recorded it)")
                               + "; embed into it with --precision \(current.precision.rawValue), or ingest into a new store")
        }
    }
}

extension Embedder {
    /// The embedder for queries on `searcher`'s store: in the precision its vectors were
    /// made in, or in Float32 (what the low precisions approximate) where this CPU lacks it.
    public static func forStore(_ searcher: StoreSearcher, modelDirectory: String?) throws -> Embedder {
        let recorded = try StoreEmbedding.of(searcher).precision
        return try Embedder(modelDirectory: modelDirectory, precision: recorded.isAvailable ? recorded : .f32)
    }
}
