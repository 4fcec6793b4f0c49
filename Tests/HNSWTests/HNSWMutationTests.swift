import Foundation
import Kernels
import Testing
import VectorIO
@testable import HNSW

@Suite struct HNSWMutationTests {
    @Test("deleting 30% keeps recall, never returns deleted ids, and reuses their slots")
    func deletes() throws {
        let base = Fixtures.clustered(count: 8_000, dimension: 32, clusters: 30, seed: 21)
        let queries = Fixtures.clustered(count: 200, dimension: 32, clusters: 30, seed: 22)
        let index = try Fixtures.build(base, metric: .l2)
        var rng = Fixtures.Random(seed: 99)
        var deleted = Set<Int>()
        while deleted.count < 2_400 { deleted.insert(Int(rng.next() % 8_000)) }
        for id in deleted.sorted() { try index.remove(UInt32(id)) }
        #expect(index.count == 5_600)
        #expect(index.checkInvariants() == nil)
        #expect(throws: HNSWError.unknownID(UInt32(deleted.first!))) { try index.remove(UInt32(deleted.first!)) }

        let truth = try Fixtures.exact(base, queries, k: 10, metric: .l2) { !deleted.contains($0) }
        let found = try Fixtures.search(index, queries, k: 10, ef: 64)
        #expect(!found.joined().contains { deleted.contains(Int($0)) })
        let r = recall(found: found, truth: truth, k: 10)
        #expect(r >= 0.95, "recall after deletes = \(r)")

        // Put the deleted vectors back: they take freed slots (smallest first).
        index.consolidateDeletes()
        let back = deleted.sorted()
        let flat = back.flatMap { base.row($0) }
        let ids = try flat.withUnsafeBufferPointer { try index.add($0, threads: 2) }
        #expect(Set(ids.map(Int.init)) == deleted)
        #expect(index.count == 8_000)
        #expect(index.checkInvariants() == nil)
        // Map the new ids to the base rows they hold, then check recall over all rows.
        var rowOf = [Int](0..<8_000)
        for (row, id) in zip(back, ids) { rowOf[Int(id)] = row }
        let all = try Fixtures.exact(base, queries, k: 10, metric: .l2)
        let again = try Fixtures.search(index, queries, k: 10, ef: 64).map { $0.map { Int32(rowOf[Int($0)]) } }
        let r2 = recall(found: again, truth: all, k: 10)
        #expect(r2 >= 0.95, "recall after re-insert = \(r2)")
    }

    @Test("filtered search keeps recall@10 >= 0.9", arguments: [50, 10, 1])
    func filters(percent: Int) throws {
        let base = Fixtures.clustered(count: 10_000, dimension: 32, clusters: 30, seed: 31)
        let queries = Fixtures.clustered(count: 100, dimension: 32, clusters: 30, seed: 32)
        let index = try Fixtures.build(base, metric: .l2)
        // A pseudo-random subset, unrelated to the clusters.
        let allowedRow = { (r: Int) in (r &* 2_654_435_761) % 100 < percent }
        let allowed = AllowedSet(capacity: base.rows) { allowedRow(Int($0)) }
        let truth = try Fixtures.exact(base, queries, k: 10, metric: .l2, keep: allowedRow)
        let found = try Fixtures.search(index, queries, k: 10, ef: 64, filter: allowed)
        #expect(found.joined().allSatisfy { allowedRow(Int($0)) })
        let r = recall(found: found, truth: truth, k: 10)
        #expect(r >= 0.9, "\(percent)% selectivity: recall@10 = \(r)")
        var stats = SearchStats()
        _ = try queries[0].withMemoryRebound(to: Float.self) { try index.search($0, k: 10, ef: 64, filter: allowed, stats: &stats) }
        #expect(stats.usedExactScan == (Double(percent) / 100 < HNSWIndex.exactScanSelectivity))
    }

    @Test("searches running during inserts finish, and no id is lost")
    func concurrentInsertAndSearch() async throws {
        let base = Fixtures.clustered(count: 6_000, dimension: 24, clusters: 20, seed: 41)
        let index = try HNSWIndex(HNSWConfiguration(dimension: 24, metric: .l2), capacity: 16)
        try index.add(UnsafeBufferPointer(rebasing: base.elements[0..<(1_000 * 24)]))
        let writer = Task.detached {
            for chunk in stride(from: 1_000, to: 6_000, by: 500) {
                try index.add(UnsafeBufferPointer(rebasing: base.elements[(chunk * 24)..<((chunk + 500) * 24)]), threads: 2)
            }
        }
        var searches = 0
        while searches < 3_000 {
            let q = base.row(searches % 6_000)
            let hits = try index.search(q, k: 5, ef: 32)
            #expect(hits.count == 5)
            #expect(hits.allSatisfy { Int($0.id) < 6_000 })
            searches += 1
        }
        try await writer.value
        #expect(index.count == 6_000)
        #expect(index.checkInvariants() == nil)
        let found = try Fixtures.search(index, base, k: 1, ef: 32)
        let missing = found.enumerated().filter { $0.element.first != Int32($0.offset) }.count
        #expect(missing <= 10, "\(missing) vectors unreachable after concurrent inserts")
    }
}
