import EarlyTermination
import Foundation
import GBDT
import HNSW
import Testing
import VectorIO
@testable import ReferBench

@Suite struct TerminationModelsTests {
    /// A small index and a plain-beam model for it (no trained trees needed to save and load).
    func indexAndModel(seed: UInt64) throws -> (HNSWIndex, LearnedTermination) {
        let index = try HNSWIndex(HNSWConfiguration(dimension: 4, metric: .l2, m: 8, efConstruction: 40, seed: seed))
        var rng = SystemRandomNumberGenerator()
        _ = try index.add((0..<200).map { _ in (0..<4).map { _ in Float.random(in: -1...1, using: &rng) } })
        let trees = try RegressionTrees(baseScore: 0, featureCount: 4 + LearnedTermination.stateFeatureCount, trees: [])
        return (index, LearnedTermination.plainBeam(k: 10, beam: 32, trees: trees, indexFingerprint: index.fingerprint))
    }

    @Test("saved models load back for their index; another index is refused; a damaged file is reported and tuned again")
    func roundTripAndRefusals() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refer-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let indexPath = dir.appendingPathComponent("set.hnsw").path
        let (index, model) = try indexAndModel(seed: 1)
        try TerminationModels.save([.init(target_recall: 0.95, model: model)], forIndex: indexPath)

        let loaded = try TerminationModels.load(forIndex: indexPath, index: index, targets: [0.95], k: 10)
        #expect(loaded?.map(\.model) == [model])
        #expect(try TerminationModels.load(forIndex: indexPath, index: index, targets: [0.99], k: 10) == nil)

        let (other, _) = try indexAndModel(seed: 2)
        #expect(throws: SearchInputError("\(indexPath).termination.json: trained for another index; run refer tune again")) {
            try TerminationModels.load(forIndex: indexPath, index: other, targets: [0.95], k: 10)
        }

        try Data("[{\"model\": 3}]".utf8).write(to: URL(fileURLWithPath: TerminationModels.path(forIndex: indexPath)))
        var notes: [String] = []
        #expect(try TerminationModels.load(forIndex: indexPath, index: index, targets: [0.95], k: 10) { notes.append($0) } == nil)
        #expect(notes == ["\(indexPath).termination.json: not a termination-model file this version of refer reads (older format or damaged); tuning again"])
    }
}
