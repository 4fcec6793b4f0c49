import Foundation
import Testing
import VectorIO
@testable import HNSW

@Suite struct HNSWExternalTests {
    /// Copies every persistent part out, as a store would.
    struct Saved {
        var header: HNSWHeader
        var levels: [UInt8]
        var groups: [UnsafeMutableRawPointer]
        var upper: [UInt32]
        var deleted: [UInt8]
        init(_ index: HNSWIndex) {
            (header, levels, groups, upper, deleted) = index.withPersistentState { s in
                (s.header, Array(s.levels), (0..<s.groupCount).map { g in
                    let bytes = s.group(g)
                    let copy = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 64)
                    copy.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                    return copy
                }, s.upperLinks, Array(s.deletedBits))
            }
        }
        func restore(_ config: HNSWConfiguration, copy: Bool) throws -> HNSWIndex {
            try levels.withUnsafeBytes { l in
                try upper.withUnsafeBufferPointer { u in
                    try deleted.withUnsafeBytes { d in
                        try HNSWIndex.restore(config, header: header, levels: l, groups: groups.map { UnsafeRawPointer($0) },
                                              upperLinks: u, deletedBits: d, copy: copy)
                    }
                }
            }
        }
    }

    @Test("a view over exported parts and a restored copy search exactly like the original")
    func viewAndCopy() throws {
        let base = Fixtures.clustered(count: 3_000, dimension: 16, clusters: 12, seed: 71)
        let queries = Fixtures.clustered(count: 50, dimension: 16, clusters: 12, seed: 72)
        let index = try Fixtures.build(base, metric: .l2)
        try index.remove(5)
        let saved = Saved(index)
        #expect(saved.groups.count == 12)   // 3000 nodes in groups of 256
        let view = try saved.restore(index.configuration, copy: false)
        let copy = try saved.restore(index.configuration, copy: true)
        let want = try index.searchBatch(queries.elements, k: 10, ef: 40)
        #expect(try view.searchBatch(queries.elements, k: 10, ef: 40) == want)
        #expect(try copy.searchBatch(queries.elements, k: 10, ef: 40) == want)
        #expect(view.checkInvariants() == nil && copy.checkInvariants() == nil)
        #expect(throws: HNSWError.readOnly) { try view.add([[Float](repeating: 0, count: 16)]) }
        #expect(throws: HNSWError.readOnly) { try view.remove(1) }
        try copy.add([[Float](repeating: 0.5, count: 16)])
        #expect(copy.count == index.count + 1)
    }

    @Test("dirty groups: everything after a build, then only what an insert touched")
    func dirtyGroups() throws {
        let base = Fixtures.clustered(count: 3_000, dimension: 16, clusters: 12, seed: 73)
        let index = try Fixtures.build(base, metric: .l2)
        #expect(index.takeDirtyGroups() == Array(0..<12))
        #expect(index.takeDirtyGroups().isEmpty)
        try index.add([base.row(7)])
        let touched = index.takeDirtyGroups()
        #expect(touched.contains(11))            // the new node, id 3000
        #expect(!touched.isEmpty && touched.count <= 12)
    }
}
