import Testing
@testable import ReferBench

@Suite struct LearnedComparisonTests {
    func point(ef: Int, recall: Double, mean: Double, target: Double? = nil) -> BenchPoint {
        BenchPoint(ef: ef, target_recall: target, recall: recall, qps: 1e6 / mean, p50_us: mean, p99_us: 2 * mean,
                   mean_us: mean, ndis: mean * 5)
    }

    @Test("fixed ef is interpolated log-linearly at the learned recall, and each round's x is shown as a range")
    func ratiosAndRoundRange() {
        // Fixed: 100 us at recall 0.90, 400 us at 0.98; at 0.94 (halfway) log-linear gives 200 us.
        let fixed1 = [point(ef: 32, recall: 0.90, mean: 100), point(ef: 128, recall: 0.98, mean: 400)]
        let fixed2 = [point(ef: 32, recall: 0.90, mean: 120), point(ef: 128, recall: 0.98, mean: 480)]
        let learned1 = [point(ef: 0, recall: 0.94, mean: 100, target: 0.94)]
        let learned2 = [point(ef: 0, recall: 0.94, mean: 160, target: 0.94)]
        let out = LearnedComparison.render(fixed: fixed1, learned: learned1,
                                           rounds: [(fixed: fixed1, learned: learned1), (fixed: fixed2, learned: learned2)])
        let row = out.split(separator: "\n").first { $0.contains("0.9400") }.map(String.init) ?? ""
        // Median-based x: 200 / 100 = 2.00; rounds: 2.00 and 240 / 160 = 1.50.
        #expect(row.contains(" 200.0 ") && row.contains(" 2.00 ") && row.contains("1.50-2.00"), "\(out)")
        #expect(out.contains("x rounds"))
        // One round: no range column.
        #expect(!LearnedComparison.render(fixed: fixed1, learned: learned1).contains("x rounds"))
    }
}
