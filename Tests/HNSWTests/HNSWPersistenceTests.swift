import Foundation
import Kernels
import Testing
import VectorIO
@testable import HNSW

@Suite struct HNSWPersistenceTests {
    let path = NSTemporaryDirectory() + "refer-hnsw-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).hnsw"

    @Test("save then load gives identical results and identical bytes")
    func roundTrip() throws {
        let base = Fixtures.clustered(count: 4_000, dimension: 20, clusters: 15, seed: 51)
        let queries = Fixtures.clustered(count: 100, dimension: 20, clusters: 15, seed: 52)
        let index = try Fixtures.build(base, metric: .cosine)
        for id in stride(from: 0, to: 200, by: 7) { try index.remove(UInt32(id)) }   // tombstones survive too
        try index.save(to: path)
        let loaded = try HNSWIndex.load(from: path)
        #expect(loaded.configuration == index.configuration)
        #expect(loaded.count == index.count)
        let a = try index.searchBatch(queries.elements, k: 10, ef: 48)
        let b = try loaded.searchBatch(queries.elements, k: 10, ef: 48)
        #expect(a == b)
        try loaded.save(to: path + ".2")
        #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: path + ".2"))
    }

    @Test("damaged, truncated and foreign files are refused with the reason")
    func rejects() throws {
        let base = Fixtures.clustered(count: 500, dimension: 8, clusters: 5, seed: 53)
        try Fixtures.build(base, metric: .l2).save(to: path)
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path + ".flip"))
        #expect(throws: HNSWError.corruptFile(path: path + ".flip", reason: "checksum mismatch (the file is damaged or truncated)")) {
            try HNSWIndex.load(from: path + ".flip")
        }
        let good = try #require(FileManager.default.contents(atPath: path))
        try good.prefix(good.count - 100).write(to: URL(fileURLWithPath: path + ".cut"))
        #expect(throws: HNSWError.corruptFile(path: path + ".cut", reason: "checksum mismatch (the file is damaged or truncated)")) {
            try HNSWIndex.load(from: path + ".cut")
        }
        try Data("not an index at all, just some text padding it out".utf8 + [UInt8](repeating: 0, count: 64)).write(to: URL(fileURLWithPath: path + ".txt"))
        #expect(throws: HNSWError.corruptFile(path: path + ".txt", reason: "wrong magic number")) {
            try HNSWIndex.load(from: path + ".txt")
        }
        #expect(throws: HNSWError.io(path: path + ".none", reason: "cannot read the file")) {
            try HNSWIndex.load(from: path + ".none")
        }
    }
}
