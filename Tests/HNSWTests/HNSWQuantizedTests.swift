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

    @Test("Float16 records walked by 8- or 4-bit codes: recall against exact Float32 neighbours, Float16 distances, fewer bytes",
          arguments: [8, 4])
    func float16Records(bits: Int) throws {
        let base = try Fixtures.shared("base.fbin", rows: 20_000), queries = try Fixtures.shared("query.fbin", rows: 300)
        let truth = try Fixtures.exact(base, queries, k: 10, metric: .ip)
        let full = try Fixtures.build(base, metric: .ip, threads: 1)
        let index = try Fixtures.build(base, metric: .ip, threads: 1, storage: .float16)
        let plain = recall(found: try Fixtures.search(index, queries, k: 10, ef: 64), truth: truth, k: 10)
        try index.enableQuantizedTraversal(bits: bits)
        #expect(index.traversalCodeBits == bits && index.usesQuantizedTraversal)
        #expect(index.checkInvariants() == nil)
        let r = recall(found: try Fixtures.search(index, queries, k: 10, ef: 64), truth: truth, k: 10)
        #expect(r >= 0.95, "float16 + \(bits)-bit codes: recall@10 = \(r)")
        #expect(plain - r < (bits == 8 ? 0.01 : 0.02), "codes \(r) vs float16 walk \(plain)")
        // The re-rank reports the Float16 vectors' distances, not the codes'.
        for hit in try index.search(queries.row(0), k: 5, ef: 64) {
            let exact = Distance.distance(queries.row(0), base.row(Int(hit.id)), metric: .ip)
            #expect(abs(hit.distance - exact) < 1e-3, "distance \(hit.distance) vs \(exact)")
        }
        // 384 dimensions, M = 16: 132 bytes of links, 768 of halves, 384 or 192 of code,
        // against 1,668 for a Float32 record.
        let ratio = Double(index.memoryBytes) / Double(full.memoryBytes)
        #expect(ratio < (bits == 8 ? 0.82 : 0.70), "\(bits)-bit codes on float16 use \(ratio) of float32's bytes")
    }

    @Test("Float16 records with codes: inserts after quantizing, deletes, and save/load byte for byte", arguments: [8, 4])
    func float16Persistence(bits: Int) throws {
        let base = Fixtures.clustered(count: 4_000, dimension: 70, clusters: 16, seed: 81)
        let queries = Fixtures.clustered(count: 60, dimension: 70, clusters: 16, seed: 82)
        for metric in [Metric.ip, .l2] {
            let index = try HNSWIndex(HNSWConfiguration(dimension: 70, metric: metric, storage: .float16), capacity: 64)
            try index.add(UnsafeBufferPointer(rebasing: base.elements[0..<(2_000 * 70)]), threads: 2)
            try index.enableQuantizedTraversal(bits: bits)
            try index.add(UnsafeBufferPointer(rebasing: base.elements[(2_000 * 70)...]), threads: 2)
            for id in stride(from: 0, to: 4_000, by: 9) { try index.remove(UInt32(id)) }
            index.consolidateDeletes()
            #expect(index.checkInvariants() == nil)
            let found = try Fixtures.search(index, queries, k: 10, ef: 96)
            #expect(found.allSatisfy { $0.allSatisfy { $0 % 9 != 0 } }, "a deleted node was returned")
            let live = recallExcludingDeleted(found: found, base: base, queries: queries, metric: metric)
            #expect(live >= 0.9, "\(metric) \(bits)-bit recall@10 over live nodes = \(live)")
            let path = NSTemporaryDirectory() + "refer-f16q-\(getpid())-\(bits)-\(metric).hnsw"
            defer { unlink(path); unlink(path + ".again") }
            try index.save(to: path)
            let loaded = try HNSWIndex.load(from: path)
            #expect(loaded.traversalCodeBits == bits && loaded.configuration.storage == .float16)
            #expect(try Fixtures.search(loaded, queries, k: 10, ef: 96) == found)
            try loaded.save(to: path + ".again")
            #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: path + ".again"))
        }
    }

    /// Recall@10 against exact neighbours among the nodes not deleted (ids not divisible by 9).
    private func recallExcludingDeleted(found: [[Int32]], base: Matrix<Float>, queries: Matrix<Float>, metric: Metric) -> Double {
        var hits = 0
        for q in 0..<queries.rows {
            let live = (0..<base.rows).filter { $0 % 9 != 0 }
            let best = live.map { (Distance.distance(queries.row(q), base.row($0), metric: metric), $0) }
                .sorted { $0 < $1 }.prefix(10).map { Int32($0.1) }
            hits += Set(best).intersection(found[q]).count
        }
        return Double(hits) / Double(10 * queries.rows)
    }

    @Test("traversal codes are 8 or 4 bits, and installed once")
    func codeBitsChecked() throws {
        let base = Fixtures.clustered(count: 500, dimension: 16, clusters: 4, seed: 83)
        let index = try Fixtures.build(base, metric: .l2)
        #expect(throws: HNSWError.invalidConfiguration("traversal codes have 8 or 4 bits, not 2")) {
            try index.enableQuantizedTraversal(bits: 2)
        }
        try index.enableQuantizedTraversal(bits: 4)
        #expect(throws: HNSWError.invalidConfiguration("quantized traversal is already on")) {
            try index.enableQuantizedTraversal()
        }
    }

    @Test("quantizing an empty index is refused")
    func emptyRefused() throws {
        let index = try HNSWIndex(HNSWConfiguration(dimension: 4, metric: .l2))
        #expect(throws: HNSWError.invalidConfiguration("quantized traversal needs vectors to learn its ranges from")) {
            try index.enableQuantizedTraversal()
        }
    }
}
