import Foundation
import Kernels
import Testing
import VectorIO
@testable import HNSW

@Suite struct HNSWQuantizedTests {
    @Test("int8 traversal with Float32 re-rank keeps recall@10 >= 0.95 on real vectors")
    func recallReal() throws {
        let (base, queries, truth, index) = try Fixtures.sharedSubset()
        let exact = try Fixtures.search(index, queries, k: 10, ef: 64)
        try index.enableQuantizedTraversal()
        #expect(index.usesQuantizedTraversal)
        #expect(index.checkInvariants() == nil)
        let quantized = try Fixtures.search(index, queries, k: 10, ef: 64)
        let r = recall(found: quantized, truth: truth, k: 10)
        #expect(r >= 0.95, "int8 recall@10 = \(r)")
        #expect(abs(r - recall(found: exact, truth: truth, k: 10)) < 0.02)
        // Distances returned are exact Float32 ones, not code estimates.
        let hits = try index.search(queries.row(0), k: 5, ef: 64)
        for h in hits {
            let d = Distance.distance(queries.row(0), base.row(Int(h.id)), metric: .ip)
            #expect(abs(h.distance - d) < 1e-5)
        }
    }

    @Test("vectors added after quantizing are encoded and found; save/load keeps the codes", arguments: [Metric.l2, .cosine])
    func addAfterAndPersist(metric: Metric) throws {
        let base = Fixtures.clustered(count: 6_000, dimension: 32, clusters: 20, seed: 61)
        let queries = Fixtures.clustered(count: 100, dimension: 32, clusters: 20, seed: 62)
        let index = try HNSWIndex(HNSWConfiguration(dimension: 32, metric: metric), capacity: 100)
        try index.add(UnsafeBufferPointer(rebasing: base.elements[0..<(3_000 * 32)]), threads: 2)
        try index.enableQuantizedTraversal(range: .global)
        try index.add(UnsafeBufferPointer(rebasing: base.elements[(3_000 * 32)...]), threads: 2)
        let truth = try Fixtures.exact(base, queries, k: 10, metric: metric)
        let found = try Fixtures.search(index, queries, k: 10, ef: 64)
        let r = recall(found: found, truth: truth, k: 10)
        #expect(r >= 0.95, "\(metric) recall@10 = \(r)")
        let path = NSTemporaryDirectory() + "refer-q-\(getpid())-\(metric).hnsw"
        try index.save(to: path)
        let loaded = try HNSWIndex.load(from: path)
        #expect(loaded.usesQuantizedTraversal)
        #expect(try Fixtures.search(loaded, queries, k: 10, ef: 64) == found)
    }

    @Test("quantizing an empty index is refused")
    func emptyRefused() throws {
        let index = try HNSWIndex(HNSWConfiguration(dimension: 4, metric: .l2))
        #expect(throws: HNSWError.invalidConfiguration("quantized traversal needs vectors to learn its ranges from")) {
            try index.enableQuantizedTraversal()
        }
    }
}
