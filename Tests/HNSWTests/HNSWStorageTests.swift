import Foundation
import Kernels
import Testing
import VectorIO
@testable import HNSW

/// Float16 and int8 as the stored form of the vectors.
@Suite struct HNSWStorageTests {
    @Test("float16 and int8 storage keep recall@10 on real vectors, and take fewer bytes", arguments: [VectorStorage.float16, .int8])
    func recallReal(storage: VectorStorage) throws {
        let base = try Fixtures.shared("base.fbin", rows: 20_000), queries = try Fixtures.shared("query.fbin", rows: 300)
        let truth = try Fixtures.exact(base, queries, k: 10, metric: .ip)
        // Built on one thread, both: the same insertion order and levels, so the two graphs differ
        // only through the stored form's rounding (two parallel builds differ by more than that).
        let full = try Fixtures.build(base, metric: .ip, threads: 1)
        let index = try Fixtures.build(base, metric: .ip, threads: 1, storage: storage)
        #expect(index.checkInvariants() == nil)
        let r = recall(found: try Fixtures.search(index, queries, k: 10, ef: 64), truth: truth, k: 10)
        let rFull = recall(found: try Fixtures.search(full, queries, k: 10, ef: 64), truth: truth, k: 10)
        // int8 codes cost a little recall (no Float32 re-rank); float16 none worth the name.
        #expect(r >= (storage == .int8 ? 0.93 : 0.95), "\(storage) recall@10 = \(r)")
        #expect(rFull - r < (storage == .int8 ? 0.03 : 0.005), "\(storage) \(r) vs float32 \(rFull)")
        let ratio = Double(index.memoryBytes) / Double(full.memoryBytes)
        #expect(ratio < (storage == .int8 ? 0.35 : 0.6), "\(storage) uses \(ratio) of float32's bytes")
    }

    @Test("stored vectors decode to the inputs within the form's precision; distances match them", arguments: [VectorStorage.float16, .int8])
    func decoding(storage: VectorStorage) throws {
        let base = try Fixtures.shared("base.fbin", rows: 2_000)
        let index = try Fixtures.build(base, metric: .ip, storage: storage)
        // int8: each component within half a step of a range below 0.5 wide (MiniLM values).
        let tolerance: Float = storage == .int8 ? 2e-3 : 1e-3
        var worst: Float = 0
        for r in stride(from: 0, to: 2_000, by: 97) {
            let v = try #require(index.storedVector(UInt32(r)))
            for d in 0..<384 { worst = max(worst, abs(v[d] - base[r][d])) }
        }
        #expect(worst <= tolerance, "\(storage): largest decoding error \(worst)")
        let query = try Fixtures.shared("query.fbin", rows: 1).row(0)
        for hit in try index.search(query, k: 5, ef: 64) {
            let exact = Distance.distance(query, base.row(Int(hit.id)), metric: .ip)
            #expect(abs(hit.distance - exact) < (storage == .int8 ? 0.02 : 1e-3), "\(storage) distance \(hit.distance) vs \(exact)")
        }
    }

    @Test("save and load keep the stored form: same bytes, same answers", arguments: [VectorStorage.float16, .int8])
    func persistence(storage: VectorStorage) throws {
        let base = Fixtures.clustered(count: 3_000, dimension: 24, clusters: 12, seed: 71)
        let queries = Fixtures.clustered(count: 50, dimension: 24, clusters: 12, seed: 72)
        for metric in [Metric.l2, .cosine] {
            let index = try Fixtures.build(base, metric: metric, storage: storage)
            let path = NSTemporaryDirectory() + "refer-storage-\(getpid())-\(storage)-\(metric).hnsw"
            defer { unlink(path) }
            try index.save(to: path)
            let loaded = try HNSWIndex.load(from: path)
            #expect(loaded.configuration.storage == storage)
            #expect(try Fixtures.search(loaded, queries, k: 10, ef: 48) == Fixtures.search(index, queries, k: 10, ef: 48))
            let again = path + ".again"
            defer { unlink(again) }
            try loaded.save(to: again)
            #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: again))
            let truth = try Fixtures.exact(base, queries, k: 10, metric: metric)
            let r = recall(found: try Fixtures.search(loaded, queries, k: 10, ef: 64), truth: truth, k: 10)
            #expect(r >= 0.9, "\(storage) \(metric) recall@10 = \(r)")
        }
    }

    @Test("a header with an unknown storage code, or int8 storage without its quantizer, is refused")
    func damagedHeader() throws {
        let base = Fixtures.clustered(count: 300, dimension: 8, clusters: 4, seed: 91)
        let path = NSTemporaryDirectory() + "refer-storage-header-\(getpid()).hnsw"
        defer { unlink(path); unlink(path + ".bad") }
        /// Rewrites `path` with one header byte changed and a valid checksum.
        func patched(_ offset: Int, _ value: UInt8) throws -> String {
            var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
            bytes[offset] = value
            let sum = bytes.withUnsafeBytes { HNSWIndex.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 8)])) }
            withUnsafeBytes(of: sum.littleEndian) { for i in 0..<8 { bytes[bytes.count - 8 + i] = $0[i] } }
            try Data(bytes).write(to: URL(fileURLWithPath: path + ".bad"))
            return path + ".bad"
        }
        try Fixtures.build(base, metric: .l2).save(to: path)
        let unknown = try patched(18, 9)
        #expect(throws: HNSWError.corruptFile(path: unknown, reason: "unknown vector storage code 9")) { try HNSWIndex.load(from: unknown) }
        try Fixtures.build(base, metric: .l2, storage: .int8).save(to: path)
        let noQuantizer = try patched(17, 0)
        #expect(throws: HNSWError.corruptFile(path: noQuantizer, reason: "int8 storage needs its 8-bit quantizer (byte 17 is 0)")) { try HNSWIndex.load(from: noQuantizer) }
    }

    @Test("int8 storage: deletes are repaired on codes; quantized traversal is refused")
    func deletesAndRefusal() throws {
        let base = Fixtures.clustered(count: 4_000, dimension: 32, clusters: 16, seed: 81)
        let queries = Fixtures.clustered(count: 60, dimension: 32, clusters: 16, seed: 82)
        let index = try Fixtures.build(base, metric: .l2, storage: .int8)
        for id in stride(from: 0, to: 4_000, by: 3) { try index.remove(UInt32(id)) }
        index.consolidateDeletes()
        #expect(index.checkInvariants() == nil)
        let truth = try Fixtures.exact(base, queries, k: 10, metric: .l2) { $0 % 3 != 0 }
        let found = try Fixtures.search(index, queries, k: 10, ef: 64)
        #expect(found.allSatisfy { $0.allSatisfy { $0 % 3 != 0 } })
        let r = recall(found: found, truth: truth, k: 10)
        #expect(r >= 0.9, "recall@10 after deleting a third = \(r)")
        #expect(throws: HNSWError.invalidConfiguration("quantized traversal re-ranks with float32 or float16 vectors; int8 storage already searches its codes")) {
            try index.enableQuantizedTraversal()
        }
        #expect(!index.usesQuantizedTraversal)
    }
}
