import Foundation
import Testing
@testable import VectorIO

@Suite struct SyntheticSetTests {
    @Test("the same seed gives the same rows whatever the blocks; other seeds and streams differ")
    func deterministic() throws {
        let set = try SyntheticSet(dimension: 32, clusters: 10, intrinsicDimension: 4, seed: 7)
        let whole = set.rows(0..<300).vectors
        let a = set.rows(0..<120).vectors, b = set.rows(120..<300).vectors   // kept alive while read
        #expect(Array(whole.elements) == Array(a.elements) + Array(b.elements))
        let otherSeed = try SyntheticSet(dimension: 32, clusters: 10, intrinsicDimension: 4, seed: 8).rows(0..<5).vectors
        let otherStream = set.rows(0..<5, stream: 1).vectors
        #expect(Array(otherSeed.elements) != Array(whole.elements.prefix(5 * 32)))
        #expect(Array(otherStream.elements) != Array(whole.elements.prefix(5 * 32)))
        for i in 0..<whole.rows { #expect(abs(whole[i].reduce(0) { $0 + $1 * $1 } - 1) < 1e-4) }
    }

    @Test("vectors sit near their cluster: each one's nearest centre is its own, and clusters are used evenly")
    func clusters() throws {
        var set = try SyntheticSet(dimension: 64, clusters: 8, intrinsicDimension: 3, seed: 11)
        set.unitLength = false
        set.spread = 0.3
        let (rows, labels) = set.rows(0..<800)
        let centres = set.model().centres
        var right = 0
        for i in 0..<rows.rows {
            let v = rows[i]
            func distance(_ c: Int) -> Float {
                var sum: Float = 0
                for k in 0..<64 { let x = v[k] - centres[c * 64 + k]; sum += x * x }
                return sum
            }
            let nearest = (0..<8).min { distance($0) < distance($1) }!
            if nearest == labels[i] { right += 1 }
        }
        #expect(right == 800)
        let counts = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count)
        #expect(counts.count == 8 && counts.values.allSatisfy { (60...140).contains($0) })
    }

    @Test("write streams a .fbin that reads back equal; bad parameters are refused")
    func writes() throws {
        let set = try SyntheticSet(dimension: 16, clusters: 4, intrinsicDimension: 2, seed: 3)
        let path = NSTemporaryDirectory() + "synth-\(UUID().uuidString).fbin"
        try set.write(rows: 70_000, stream: 0, to: path)
        let back = try VectorFile.readFloats(path)
        #expect(back.rows == 70_000 && back.columns == 16)
        let last = set.rows(69_999..<70_000).vectors   // kept alive: a row is a view into it
        #expect(Array(back[69_999]) == last.row(0))
        #expect(throws: SearchInputError.self) { try SyntheticSet(dimension: 8, clusters: 2, intrinsicDimension: 9, seed: 1) }
    }
}
