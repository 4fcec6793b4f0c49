import Testing
import GBDT
@testable import XGBoostTraining

@Suite struct XGBoostTrainerTests {
    static func data(rows: Int, columns: Int, seed: UInt64) -> [Float] {
        var s = seed | 1
        return (0..<(rows * columns)).map { _ in s ^= s << 13; s ^= s >> 7; s ^= s << 17; return Float(s % 20_000) / 10_000 - 1 }
    }

    @Test("native tree evaluation equals XGBoost's own prediction on 1,000 random inputs")
    func nativeMatchesXGBoost() throws {
        let columns = 12, rows = 3_000
        let x = Self.data(rows: rows, columns: columns, seed: 3)
        let y = (0..<rows).map { r -> Float in
            let v = x[(r * columns)..<((r + 1) * columns)].map { $0 }
            return 3 * v[0] * v[1] + (v[2] > 0.3 ? 2 : -1) + v[5] * v[5] + 0.1 * v[11]
        }
        let probe = Self.data(rows: 1_000, columns: columns, seed: 4)
        let (trees, expected) = try XGBoostTrainer().trainAndPredict(features: x, rows: rows, columns: columns, labels: y,
                                                                       probe: probe, probeRows: 1_000)
        #expect(trees.treeCount == 100)
        #expect(expected.count == 1_000)
        var worst: Float = 0
        for r in 0..<1_000 {
            let got = trees.predict(Array(probe[(r * columns)..<((r + 1) * columns)]))
            worst = max(worst, abs(got - expected[r]))
        }
        #expect(worst <= 1e-5, "largest difference \(worst)")
        // The model learned something: residuals on the training data are small.
        let fit = (0..<200).map { r in abs(trees.predict(Array(x[(r * columns)..<((r + 1) * columns)])) - y[r]) }
        #expect(fit.reduce(0, +) / 200 < 0.2)
    }

    @Test("missing values follow each split's default direction")
    func missing() throws {
        let columns = 3, rows = 500
        let x = Self.data(rows: rows, columns: columns, seed: 9)
        let y = (0..<rows).map { x[$0 * columns] > 0 ? Float(1) : Float(-1) }
        var probe = Self.data(rows: 20, columns: columns, seed: 10)
        for r in 0..<20 where r % 2 == 0 { probe[r * columns] = .nan }
        var trainer = XGBoostTrainer()
        trainer.rounds = 10
        let (trees, expected) = try trainer.trainAndPredict(features: x, rows: rows, columns: columns, labels: y, probe: probe, probeRows: 20)
        for r in 0..<20 {
            #expect(abs(trees.predict(Array(probe[(r * columns)..<((r + 1) * columns)])) - expected[r]) <= 1e-5)
        }
    }
}
