import Foundation
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

@Suite struct HDF5DatasetTests {
    @Test("an ann-benchmarks file is a dataset: train, test, neighbors, metric from the name")
    func hdf5() throws {
        let path = NSTemporaryDirectory() + "refer-\(getpid())-tiny-angular.hdf5"
        let train = Matrix<Float>(rows: 4, columns: 2, elements: [1, 0, 0, 1, -1, 0, 0.7, 0.7])
        let test = Matrix<Float>(rows: 1, columns: 2, elements: [1, 0.1])
        try HDF5File.write(path, floats: ["train": train, "test": test],
                           ints: ["neighbors": Matrix(rows: 1, columns: 2, elements: [0, 3])])
        let data = try BenchDataset(directory: path, k: 2, metric: nil)
        #expect(data.metric == .cosine)
        #expect(data.groundTruth.row(0) == [0, 3])
        #expect(data.groundTruthSource.hasPrefix("neighbors in"))
        // Without a usable neighbors set the truth is computed, and agrees.
        let computed = try BenchDataset(directory: path, k: 3, metric: nil)
        #expect(computed.groundTruth.row(0) == [0, 3, 1])
    }
}
