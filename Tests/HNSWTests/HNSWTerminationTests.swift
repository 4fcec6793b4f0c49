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
        #expect(full.truthFoundAt == [3, 4])   // node 3 after 3 evaluations, node 4 after 4
        #expect(full.descentEvaluations == 1)  // one level: only the entry's distance
        let f = try #require(full.features)
        // At 2 evaluations: results {2, 1}; node 2 queued (closer than the 2nd result);
        // at 1 evaluation the 2nd result was node 0.
        var expected = TerminationFeatures(startDistance: Self.d(0), firstDistance: Self.d(2), kthDistance: Self.d(1),
                                           openCandidates: 1, frontierDistance: Self.d(2), earlierKthDistance: Self.d(0))
        expected.evaluations = 2
        expected.sinceChange = 0   // node 2 just entered
        #expect(f == expected)
        #expect(f.firstRatio == Self.d(2) / Self.d(0) && f.kthRatio == Self.d(1) / Self.d(0))

        // A second state at 4 evaluations: results {3, 4}, node 4 queued but not closer than the 2nd result.
        let twice = try index.budgetedSearch([3.2], k: 2, budget: 100, checkpoint: 2, checkpoints: 2)
        var second = TerminationFeatures(startDistance: Self.d(0), firstDistance: Self.d(3), kthDistance: Self.d(4),
                                         openCandidates: 0, frontierDistance: Self.d(4), earlierKthDistance: Self.d(1))
        second.evaluations = 4
        second.sinceChange = 0   // node 4 just entered
        #expect(twice.states == [expected, second])

        // The model's walk (a beam bounding the candidates) sees the same states.
        var seen: [TerminationFeatures] = []
        let spent = try [Float(3.2)].withUnsafeBufferPointer { q in
            try index.withSearchScratch(q, k: 2) { s, _ in
                let ctx = QueryContext(exact: q.baseAddress!)
                let (entry, entryDistance, _) = index.descendToLevelZero(ctx)
                return index.learnedWalk(ctx, entry: entry, entryDistance: entryDistance, k: 2, beam: 2, budget: 100,
                                         checkpoint: 2, checkpoints: 2, scratch: s) { state in seen.append(state); return 100 }
            }
        }
        #expect(seen == [expected, second])
        #expect(spent == 5)

        let cut = try index.budgetedSearch([3.2], k: 2, budget: 3, checkpoint: 2, truth: [3, 4])
        #expect(cut.distanceCount == 3)
        #expect(cut.results.map(\.id) == [3, 2])
        #expect(cut.evaluationsToFindTruth == nil)
        #expect(cut.features == f)

        let recallAt1 = try index.budgetedSearch([3.2], k: 1, budget: 100, truth: [3])
        #expect(recallAt1.evaluationsToFindTruth == 3 && recallAt1.features == nil)
    }

    @Test("the stop hook: the caller's budget at each checkpoint ends the walk")
    func stopHook() throws {
        let index = try Self.chain()
        // Checkpoints at 2, 4, 8: going on at 2 (budget 100), stopping at 4.
        var seen: [Float] = [], stats = SearchStats()
        let found = try index.search([3.2], k: 2, beam: 2, maxEvaluations: 100, checkpoint: 2, checkpoints: 3, stats: &stats) { state, query in
            seen.append(state.evaluations)
            #expect(query.pointee == 3.2)
            return state.evaluations < 4 ? 100 : Int(state.evaluations)
        }
        #expect(found.map(\.id) == [3, 4])
        #expect(seen == [2, 4])
        #expect(stats.distanceCount == 1 + 4 && stats.predictions == 2)   // the entry, then 4 at level 0 (the walk alone takes 5)
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
