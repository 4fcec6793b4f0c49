import EarlyTermination
import Foundation
import HNSW
import Testing
import VectorIO
@testable import Tuning

@Suite struct TerminationTunerTests {
    @Test("tuned multipliers reach their target recall on queries they were not tuned on, spending less than the cap")
    func tunedTargetsHold() throws {
        let (index, base, learn) = try pypiSample(baseRows: 10_000, learnRows: 1_000)
        let queries = try VectorFile.readFloats("../shared/datasets/pypi-minilm-100k/query.fbin").prefix(rows: 300)
        var tuner = TerminationTuner()
        tuner.trainer.rounds = 40
        tuner.log = { print("tuner: \($0)") }
        let models = try tuner.tune(index, base: base, learn: learn, targets: [0.9, 0.95])
        let truth = try ExactSearch.search(base: base, queries: queries, k: 10, metric: .ip).ids
        for (target, model) in zip([0.9, 0.95], models) {
            var stats = SearchStats(), hits = 0
            for q in 0..<queries.rows {
                let found = try index.search(queries.row(q), k: 10, termination: model, stats: &stats)
                hits += Set(found.map { Int32($0.id) }).intersection(truth[q]).count
            }
            let recall = Double(hits) / Double(queries.rows * 10)
            print(String(format: "tuned for %.2f: recall %.4f on unseen queries, %.0f evaluations a query", target, recall, Double(stats.distanceCount) / Double(queries.rows)))
            #expect(recall >= target - 0.02, "target \(target): recall \(recall) on unseen queries")
            #expect(Double(stats.distanceCount) / Double(queries.rows) < Double(tuner.maxEvaluations) / 4)
            // A trained model is capped; a plain beam (the tuner's fallback) is ef search.
            #expect(model.predictsAtAll ? model.maxEvaluations <= tuner.maxEvaluations : model.beam >= 10)
        }
    }
}
