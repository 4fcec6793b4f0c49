import Testing
@testable import Tuning

@Suite struct PerfectBudgetTests {
    @Test("the fewest mean evaluations for a mean recall, worked out by hand")
    func handChecked() {
        // k = 2. Query A finds its neighbours after 10 and 20 evaluations (0.1 a step),
        // query B its only one after 100 (0.01 a step): A is paid for first.
        let found = [[10, 20], [100]]
        #expect(PerfectBudget.meanEvaluations(foundAt: found, k: 2, target: 0.25) == 5)    // half of A's first 20
        #expect(PerfectBudget.meanEvaluations(foundAt: found, k: 2, target: 0.5) == 10)    // all of A: 20 / 2 queries
        #expect(PerfectBudget.meanEvaluations(foundAt: found, k: 2, target: 0.75) == 60)   // A, then B: 120 / 2
        #expect(PerfectBudget.meanEvaluations(foundAt: found, k: 2, target: 1) == nil)     // B never finds its second
        #expect(PerfectBudget.meanEvaluations(foundAt: [], k: 2, target: 0.5) == nil)
    }

    @Test("each query's steps become their upper concave hull; neighbours held at the start are free")
    func hull() {
        // Collinear steps merge into one segment.
        #expect(PerfectBudget.hull([10, 20]).map { [$0.cost, $0.gain] } == [[20, 2]])
        // A cheap first neighbour, a dear second: two segments, steepest first.
        #expect(PerfectBudget.hull([5, 100]).map { [$0.cost, $0.gain] } == [[5, 1], [95, 1]])
        // A dear first step followed by a cheap one: one segment over both.
        #expect(PerfectBudget.hull([90, 100]).map { [$0.cost, $0.gain] } == [[100, 2]])
        // Two neighbours held before any evaluation: a free segment.
        #expect(PerfectBudget.hull([0, 0, 7]).map { [$0.cost, $0.gain] } == [[0, 2], [7, 1]])
        #expect(PerfectBudget.meanEvaluations(foundAt: [[0, 0, 7]], k: 3, target: 2.0 / 3) == 0)
    }
}
