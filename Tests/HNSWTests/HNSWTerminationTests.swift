import Testing
@testable import HNSW

/// Budgeted search on a graph small enough to follow by hand: six points on a line,
/// 0, 1, ..., 5, each linked to its two neighbours, entry at 0, query 3.2, k = 2.
@Suite struct HNSWTerminationTests {
    static func chain() throws -> HNSWIndex {
        let config = HNSWConfiguration(dimension: 1, metric: .l2, m: 2)   // 4 links at level 0
        var records = [UInt32]()
        for i in 0..<6 {
            let neighbours = [i - 1, i + 1].filter { (0..<6).contains($0) }.map(UInt32.init)
            records.append(UInt32(neighbours.count))
            records += neighbours + [UInt32](repeating: 0, count: 4 - neighbours.count)
            records.append(Float(i).bitPattern)
        }
        let header = HNSWHeader(slotCount: 6, entryPoint: 0, maxLevel: 0, deletedCount: 0, freeSlots: [])
        let levels = [UInt8](repeating: 0, count: 6), deleted = [UInt8](repeating: 0, count: 8)
        return try records.withUnsafeBytes { group in
            try levels.withUnsafeBytes { l in
                try deleted.withUnsafeBytes { d in
                    try HNSWIndex.restore(config, header: header, levels: l, groups: [group.baseAddress!],
                                          upperLinks: UnsafeBufferPointer(start: nil, count: 0), deletedBits: d, copy: true)
                }
            }
        }
    }

    static func d(_ i: Int) -> Float { let x = Float(3.2) - Float(i); return x * x }

    @Test("walk, features at the checkpoint and the label, as worked out by hand")
    func handChecked() throws {
        let index = try Self.chain()
        #expect(index.checkInvariants() == nil)
        // Evaluations: 1 (node 1), 2 (node 2), 3 (node 3), 4 (node 4), 5 (node 5).
        // After 2 the results are {1, 2}; after 4 they are {3, 4}, the true pair.
        let full = try index.budgetedSearch([3.2], k: 2, budget: 100, checkpoint: 2, truth: [3, 4])
        #expect(full.results.map(\.id) == [3, 4])
        #expect(full.results.map(\.distance) == [Self.d(3), Self.d(4)])
        #expect(full.distanceCount == 5)
        #expect(full.evaluationsToFindTruth == 4)
        let f = try #require(full.features)
        #expect(f == TerminationFeatures(startDistance: Self.d(0), firstDistance: Self.d(2), kthDistance: Self.d(1)))
        #expect(f.firstRatio == Self.d(2) / Self.d(0) && f.kthRatio == Self.d(1) / Self.d(0))

        let cut = try index.budgetedSearch([3.2], k: 2, budget: 3, checkpoint: 2, truth: [3, 4])
        #expect(cut.distanceCount == 3)
        #expect(cut.results.map(\.id) == [3, 2])
        #expect(cut.evaluationsToFindTruth == nil)
        #expect(cut.features == f)

        let recallAt1 = try index.budgetedSearch([3.2], k: 1, budget: 100, truth: [3])
        #expect(recallAt1.evaluationsToFindTruth == 3 && recallAt1.features == nil)
    }

    @Test("with budget enough, the budgeted search finds what a wide beam finds")
    func agreesWithBeam() throws {
        let base = Fixtures.clustered(count: 2_000, dimension: 16, clusters: 10, seed: 81)
        let index = try Fixtures.build(base, metric: .l2)
        for q in 0..<20 {
            let query = base.row(q * 7)
            let beam = try index.search(query, k: 10, ef: 200).map(\.id)
            let budgeted = try index.budgetedSearch(query, k: 10, budget: 5_000).results.map(\.id)
            #expect(Set(beam).intersection(budgeted).count >= 9)
        }
    }
}
