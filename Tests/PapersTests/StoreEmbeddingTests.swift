import Embedding
import Foundation
import Storage
import Testing
@testable import Papers

@Suite struct StoreEmbeddingTests {
    func emptyStore() throws -> PaperStore {
        try PaperStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("emb-\(UUID().uuidString)").path)
    }

    @Test("a new store records the precision it is embedded in, and refuses another; queries use it")
    func recorded() throws {
        let store = try emptyStore()
        try StoreEmbedding.prepare(store, precision: .int8)
        #expect(try StoreEmbedding.of(store.searcher()) == StoreEmbedding(precision: .int8))
        #expect(try store.stats().precision == "int8")
        #expect(throws: ProfileError("\(store.path): its vectors were made in int8; embed into it with --precision int8, or ingest into a new store")) {
            try StoreEmbedding.prepare(store, precision: .f32)
        }
        try StoreEmbedding.prepare(store, precision: .int8)   // the same precision again is fine
        if Precision.int8.isAvailable { #expect(try Embedder.forStore(store.searcher(), modelDirectory: nil).precision == .int8) }
    }

    @Test("a store with papers and no record holds Float32 vectors (made before refer recorded it)")
    func older() throws {
        let store = try emptyStore()
        _ = try store.ingest(lines: [#"{"id": "a", "title": "A paper", "vector": \#(Array(repeating: 0.05, count: 384))}"#])
        #expect(try StoreEmbedding.of(store.searcher()).precision == .f32 && store.stats().precision == "f32")
        #expect(throws: ProfileError("\(store.path): its vectors were made in f32 (a store from before refer recorded it); embed into it with --precision f32, or ingest into a new store")) {
            try StoreEmbedding.prepare(store, precision: .bf16)
        }
        try StoreEmbedding.prepare(store, precision: .f32)
    }
}
