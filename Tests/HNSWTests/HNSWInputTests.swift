import Testing
@testable import HNSW

@Suite struct HNSWInputTests {
    @Test("bad vectors, queries, k and configurations get clear errors")
    func errors() throws {
        #expect(throws: HNSWError.invalidConfiguration("dimension must be 1...65536, got 0")) {
            try HNSWIndex(HNSWConfiguration(dimension: 0, metric: .l2))
        }
        #expect(throws: HNSWError.invalidConfiguration("m must be 2...128, got 1")) {
            try HNSWIndex(HNSWConfiguration(dimension: 4, metric: .l2, m: 1))
        }
        let index = try HNSWIndex(HNSWConfiguration(dimension: 3, metric: .l2))
        #expect(throws: HNSWError.invalidK(k: 1, count: 0)) { try index.search([1, 2, 3], k: 1) }
        try index.add([[1, 0, 0], [0, 1, 0]])
        #expect(throws: HNSWError.dimensionMismatch(expected: 3, got: 2)) { try index.add([[1, 2]]) }
        #expect(throws: HNSWError.nonFinite(vector: 1, dimension: 2)) { try index.add([[1, 2, 3], [1, 2, .nan]]) }
        #expect(throws: HNSWError.nonFinite(vector: 0, dimension: 0)) { try index.add([[.infinity, 2, 3]]) }
        #expect(index.count == 2, "a refused batch adds nothing")
        #expect(throws: HNSWError.dimensionMismatch(expected: 3, got: 4)) { try index.search([1, 2, 3, 4], k: 1) }
        #expect(throws: HNSWError.nonFinite(vector: 0, dimension: 1)) { try index.search([1, .nan, 3], k: 1) }
        #expect(throws: HNSWError.invalidK(k: 3, count: 2)) { try index.search([1, 2, 3], k: 3) }
        #expect(throws: HNSWError.invalidK(k: 0, count: 2)) { try index.search([1, 2, 3], k: 0) }
        #expect(HNSWError.invalidK(k: 3, count: 2).description == "k = 3 is larger than the index (2 vectors)")
        #expect(throws: HNSWError.unknownID(7)) { try index.remove(7) }
        #expect(try index.search([0.9, 0.1, 0], k: 1).first?.id == 0)
    }
}
