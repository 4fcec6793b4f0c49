import EarlyTermination
import Foundation
import HNSW
import Testing
import VectorIO
@testable import Tuning

@Suite struct TrainingStatesTests {
    @Test("exported training states read back exactly, one row per checkpoint reached, labels matching when the k-th true neighbour was found")
    func exportRoundTrip() throws {
        let (index, base, learn) = try pypiSample(baseRows: 5_000, learnRows: 200)
        var tuner = TerminationTuner()
        tuner.checkpointCandidates = [16, 32]
        let states = try tuner.trainingStates(index, base: base, learn: learn)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refer-states-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try states.write(to: dir)

        let rows = try VectorFile.readFloats(dir + "/states.fbin")
        #expect(rows.rows == states.rows.count && rows.columns == 384 + LearnedTermination.stateFeatureCount)
        #expect(Array(rows.elements) == states.rows.flatMap { $0 })
        let rowQuery = try VectorFile.readInts(dir + "/states-query.ibin")
        #expect(Array(rowQuery.elements) == states.rowQuery.map { Int32($0) })
        let found = try VectorFile.readInts(dir + "/found-at.ibin")
        #expect(found.rows == learn.rows && found.columns == 10)
        for q in 0..<learn.rows {
            let kth = found.row(q)[9]
            #expect(kth == -1 ? states.labels[q] == tuner.maxEvaluations : Int(kth) == states.labels[q])
        }
        // The label is when the unbounded walk first held all 10 true neighbours.
        for q in 0..<20 {
            let walk = try index.budgetedSearch(learn.row(q), k: 10, budget: tuner.maxEvaluations, truth: states.truths[q])
            #expect(states.labels[q] == walk.evaluationsToFindTruth ?? tuner.maxEvaluations)
        }
        var seen: [Int: Int] = [:]
        for (r, q) in states.rowQuery.enumerated() {
            #expect(Array(rows.row(r).prefix(384)) == learn.row(q))
            let j = seen[q, default: 0]
            #expect(rows.row(r)[384 + 8] == log2(Float(states.checkpoint << j)))
            seen[q] = j + 1
        }
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/states.json"))) as! [String: Any]
        #expect(meta["checkpoint"] as? Int == states.checkpoint && meta["training_queries"] as? Int == states.split)
        #expect((meta["used"] as? [Int]) == states.used)
    }
}
