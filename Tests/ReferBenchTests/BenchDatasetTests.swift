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

@Suite struct MismatchedDatasetTests {
    let shared = "../shared/datasets/pypi-minilm-100k"

    /// A dataset folder of slices of the shared set, with `truth` as its ground truth.
    func folder(base rows: Int, queries: Int, truth: Matrix<Int32>) throws -> String {
        let dir = NSTemporaryDirectory() + "refer-mismatch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try VectorFile.write(try VectorFile.readFloats(shared + "/base.fbin").prefix(rows: rows), to: dir + "/base.fbin")
        try VectorFile.write(try VectorFile.readFloats(shared + "/query.fbin").prefix(rows: queries), to: dir + "/query.fbin")
        try VectorFile.write(truth, to: dir + "/query.gt10.ibin")
        return dir
    }

    @Test("ground truth for other queries, for a larger base, or for another base is refused naming both files")
    func refused() throws {
        let base = try VectorFile.readFloats(shared + "/base.fbin").prefix(rows: 3_000)
        let queries = try VectorFile.readFloats(shared + "/query.fbin").prefix(rows: 20)
        let right = try ExactSearch.search(base: base, queries: queries, k: 10, metric: .ip).ids
        let ok = try folder(base: 3_000, queries: 20, truth: right)
        #expect(try BenchDataset(directory: ok, k: 10, metric: nil).groundTruthSource == "query.gt10.ibin")

        let fewer = try folder(base: 3_000, queries: 20, truth: right.prefix(rows: 19))
        #expect(throws: SearchInputError("\(fewer)/query.gt10.ibin has 19 rows but \(fewer)/query.fbin has 20 queries: ground truth for other queries")) {
            try BenchDataset(directory: fewer, k: 10, metric: nil)
        }
        let whole = try VectorFile.readInts(shared + "/query.gt100.ibin")
        let bigger = try folder(base: 3_000, queries: 1_000, truth: whole)
        #expect(throws: SearchInputError.self) { try BenchDataset(directory: bigger, k: 10, metric: nil) }
        do { _ = try BenchDataset(directory: bigger, k: 10, metric: nil) } catch {
            #expect("\(error)".hasPrefix("\(bigger)/query.gt10.ibin refers to vector ") && "\(error)".hasSuffix("but \(bigger)/base.fbin has 3000 vectors: ground truth for another base"))
        }
        // The right shape, but computed on another slice of the base.
        let other = try ExactSearch.search(base: try VectorFile.readFloats(shared + "/base.fbin").prefix(rows: 6_000), queries: queries, k: 10, metric: .ip).ids
        let shuffled = Matrix<Int32>(rows: 20, columns: 10, elements: other.elements.map { $0 % 3_000 == $0 ? ($0 + 1_500) % 3_000 : $0 % 3_000 })
        let wrong = try folder(base: 3_000, queries: 20, truth: shuffled)
        #expect(throws: SearchInputError("\(wrong)/query.gt10.ibin disagrees with \(wrong)/base.fbin: query 0's nearest vector is \(right[0][0]), not among the file's first 10 (ground truth for another base or metric)")) {
            try BenchDataset(directory: wrong, k: 10, metric: nil)
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
