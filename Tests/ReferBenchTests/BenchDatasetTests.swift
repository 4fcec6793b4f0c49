import Testing
import VectorIO
@testable import ReferBench

@Suite struct BenchDatasetTests {
    let folder = "../shared/datasets/pypi-minilm-100k"

    @Test("the whole set uses the stored ground truth and is searched by inner product")
    func storedTruth() throws {
        let data = try BenchDataset(directory: folder, k: 10, metric: nil)
        #expect(data.groundTruthSource == "query.gt100.ibin")
        #expect(data.metric == .ip)
        #expect(data.base.rows == 100_000 && data.queries.rows == 1_000)
    }

    @Test("--base-limit recomputes the ground truth over the kept rows only")
    func baseLimit() throws {
        let data = try BenchDataset(directory: folder, k: 10, metric: nil, baseLimit: 2_000)
        #expect(data.base.rows == 2_000)
        #expect(data.groundTruthSource.hasPrefix("computed exactly"))
        #expect(data.groundTruth.elements.allSatisfy { $0 >= 0 && $0 < 2_000 })
    }

    @Test("a missing folder, or k above the base size, is a clear error")
    func errors() {
        #expect(throws: SearchInputError("/nonexistent: no such dataset folder, or it is empty")) {
            try BenchDataset(directory: "/nonexistent", k: 10, metric: nil)
        }
        #expect(throws: SearchInputError("k = 11 is larger than the base set (10 vectors)")) {
            try BenchDataset(directory: folder, k: 11, metric: nil, baseLimit: 10)
        }
    }
}
