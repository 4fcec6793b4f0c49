import Foundation
import HNSW
import Testing
@testable import Storage

/// Filters inside the search: the answers are exactly the nearest papers that pass.
@Suite struct FilteredSearchTests {
    static let store: PaperStore = {
        let dir = NSTemporaryDirectory() + "refer-filter-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let s = try! PaperStoreTests.store(at: dir)
        _ = try! s.ingest(lines: (0..<2_000).map { PaperStoreTests.line($0) }, batchSize: 500)
        return s
    }()

    /// The exact nearest of the papers `passes` lets through.
    func exact(_ q: [Float], k: Int, _ passes: (Int) -> Bool) -> [String] {
        func unit(_ v: [Float]) -> [Float] { let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / n } }
        let u = unit(q)
        return (0..<2_000).filter(passes).map { i in (zip(u, unit(PaperStoreTests.vector(i))).reduce(0) { $0 + $1.0 * $1.1 }, i) }
            .sorted { $0.0 > $1.0 }.prefix(k).map { "p\($0.1)" }
    }

    @Test("year, venue and author filters: selective ones scan exactly, wider ones walk the graph admitting only passing papers")
    func filters() throws {
        let searcher = try Self.store.searcher()
        let queries = (5_000..<5_050).map(PaperStoreTests.vector)
        // 1 year in 20 (5%): the graph walk.
        var hits = 0
        for q in queries {
            let (found, cost) = try searcher.search(q, k: 10, effort: .ef(64), filter: PaperFilter(yearFrom: 2005, yearTo: 2005))
            #expect(cost.method == "ef" && found.count == 10)
            let want = exact(q, k: 10) { 2000 + $0 % 20 == 2005 }
            #expect(found.allSatisfy { Int($0.paperID.dropFirst())! % 20 == 5 })
            hits += Set(found.map(\.paperID)).intersection(want).count
        }
        #expect(Double(hits) / Double(queries.count * 10) >= 0.95)
        // "Author 3" in 2003 (1 in 7 x 1 in 20, under 3%): an exact scan, exactly right.
        for q in queries {
            let f = PaperFilter(yearFrom: 2003, yearTo: 2003, authors: ["Author 3"])
            let (found, cost) = try searcher.search(q, k: 10, effort: .recall(nil), filter: f)
            #expect(cost.method == "exact")
            #expect(found.map(\.paperID) == exact(q, k: 10) { $0 % 7 == 3 && $0 % 20 == 3 })
        }
        // A venue no paper has: nothing, at no cost.
        #expect(try searcher.search(queries[0], k: 10, effort: .ef(64), filter: PaperFilter(venues: ["SIGMOD"])).hits.isEmpty)
        #expect(try searcher.search(queries[0], k: 10, effort: .ef(64), filter: PaperFilter(venues: ["vldb"])).hits.count == 10)
    }
}
