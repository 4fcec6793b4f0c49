import Foundation
import Kernels
import Testing
@testable import VectorIO

@Suite struct ExactSearchTests {
    static func random(_ rows: Int, _ cols: Int, seed: UInt64) -> Matrix<Float> {
        var s = seed | 1
        return Matrix(rows: rows, columns: cols, elements: (0..<rows * cols).map { _ in
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return Float(s % 2001) / 1000 - 1
        })
    }

    @Test("blocked sgemm search equals a naive scan", arguments: Metric.allCases)
    func matchesNaive(metric: Metric) throws {
        let base = Self.random(1500, 37, seed: 11), queries = Self.random(70, 37, seed: 12)
        let k = 10
        // Small blocks so that several base and query blocks are exercised.
        let got = try ExactSearch.search(base: base, queries: queries, k: k, metric: metric, queryBlock: 32, baseBlock: 400)
        for q in 0..<queries.rows {
            let dists = (0..<base.rows).map { Distance.distance(queries.row(q), base.row($0), metric: metric) }
            let want = dists.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }.prefix(k)
            // Ids agree except where two distances are within float noise of each other.
            for (j, w) in want.enumerated() {
                let gotId = Int(got.ids[q][j])
                #expect(abs(got.distances[q][j] - w.element) < 1e-4, "query \(q) rank \(j)")
                if gotId != w.offset { #expect(abs(dists[gotId] - w.element) < 1e-4) }
            }
        }
    }

    @Test("bad requests get a clear error")
    func errors() {
        let base = Self.random(10, 4, seed: 1)
        #expect(throws: SearchInputError("k = 11 is larger than the base set (10 vectors)")) {
            try ExactSearch.search(base: base, queries: Self.random(2, 4, seed: 2), k: 11, metric: .l2)
        }
        #expect(throws: SearchInputError("dimension mismatch: base vectors have 4 dimensions, queries have 3")) {
            try ExactSearch.search(base: base, queries: Self.random(2, 3, seed: 2), k: 1, metric: .l2)
        }
        #expect(throws: SearchInputError("the base set is empty")) {
            try ExactSearch.search(base: Matrix(rows: 0, columns: 4), queries: Self.random(2, 4, seed: 2), k: 1, metric: .l2)
        }
        let nan = Matrix<Float>(rows: 1, columns: 4, elements: [0, .nan, 0, 0])
        #expect(throws: SearchInputError("query 0 has a non-finite value at dimension 1")) {
            try ExactSearch.search(base: base, queries: nan, k: 1, metric: .l2)
        }
    }

    @Test("recall counts hits in the first k")
    func recallCount() {
        let truth = Matrix<Int32>(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(recall(found: [[1, 2, 3], [6, 5, 4]], truth: truth, k: 3) == 1)
        #expect(recall(found: [[1, 9, 9], [9, 9, 9]], truth: truth, k: 3) == 1.0 / 6)
        #expect(recall(found: [[3, 1], [4]], truth: truth, k: 2) == 0.5)
    }

    @Test("the standard error of recall is the per-query recalls' sample deviation over the root of their count")
    func recallError() {
        let truth = Matrix<Int32>(rows: 3, columns: 2, elements: [1, 2, 3, 4, 5, 6])
        // Per-query recalls 1, 0, 0.5: mean 0.5, sample variance 0.25, standard error sqrt(0.25 / 3).
        let found: [[Int32]] = [[2, 1], [9, 9], [5, 9]]
        #expect(recall(found: found, truth: truth, k: 2) == 0.5)
        #expect(abs(recallStandardError(found: found, truth: truth, k: 2) - (0.25 / 3).squareRoot()) < 1e-12)
        #expect(recallStandardError(found: [[1, 2], [3, 4], [5, 6]], truth: truth, k: 2) == 0)
        #expect(recallStandardError(found: [[1, 2]], truth: truth, k: 2) == 0)
    }

    @Test("the 99th percentile is the sorted values' entry at index floor(0.99 n), as the bench takes p99 latency")
    func percentile() {
        #expect(percentile99(Array((1...200).reversed())) == 199)
        #expect(percentile99([5, 1, 3]) == 5)
        #expect(percentile99([Int]()) == nil)
    }
}
