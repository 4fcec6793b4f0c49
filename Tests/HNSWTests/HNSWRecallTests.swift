import Foundation
import Kernels
import Testing
import VectorIO
@testable import HNSW

@Suite struct HNSWRecallTests {
    @Test("recall@10 >= 0.95 on 20k real MiniLM vectors (inner product)")
    func sharedSubset() throws {
        let (_, queries, truth, index) = try Fixtures.sharedSubset()
        #expect(index.checkInvariants() == nil)
        #expect(index.count == 20_000)
        let r = recall(found: try Fixtures.search(index, queries, k: 10, ef: 64), truth: truth, k: 10)
        #expect(r >= 0.95, "recall@10 = \(r)")
    }

    @Test("recall@10 >= 0.95 on clustered synthetic data", arguments: [Metric.l2, .cosine])
    func clustered(metric: Metric) throws {
        let base = Fixtures.clustered(count: 10_000, dimension: 48, clusters: 40, seed: 7)
        let queries = Fixtures.clustered(count: 200, dimension: 48, clusters: 40, seed: 8)
        let truth = try Fixtures.exact(base, queries, k: 10, metric: metric)
        let index = try Fixtures.build(base, metric: metric)
        let r = recall(found: try Fixtures.search(index, queries, k: 10, ef: 64), truth: truth, k: 10)
        #expect(r >= 0.95, "\(metric) recall@10 = \(r)")
        // Distances are the metric's, nearest first.
        let hits = try index.search(queries.row(0), k: 10, ef: 64)
        #expect(hits == hits.sorted { $0.distance < $1.distance })
        let d0 = Distance.distance(queries.row(0), base.row(Int(hits[0].id)), metric: metric)
        #expect(abs(hits[0].distance - d0) < 1e-4)
    }

    @Test("a single-thread build is deterministic")
    func deterministic() throws {
        let base = Fixtures.clustered(count: 3_000, dimension: 16, clusters: 10, seed: 3)
        let queries = Fixtures.clustered(count: 50, dimension: 16, clusters: 10, seed: 4)
        let a = try Fixtures.build(base, metric: .l2, threads: 1)
        let b = try Fixtures.build(base, metric: .l2, threads: 1)
        #expect(try Fixtures.search(a, queries, k: 10, ef: 32) == Fixtures.search(b, queries, k: 10, ef: 32))
        let dir = NSTemporaryDirectory()
        try a.save(to: dir + "/det-a-\(getpid()).hnsw")
        try b.save(to: dir + "/det-b-\(getpid()).hnsw")
        #expect(FileManager.default.contents(atPath: dir + "/det-a-\(getpid()).hnsw") == FileManager.default.contents(atPath: dir + "/det-b-\(getpid()).hnsw"))
    }

    @Test("search finds every vector's own id (nothing unreachable)")
    func selfRecall() throws {
        let base = Fixtures.clustered(count: 5_000, dimension: 24, clusters: 20, seed: 5)
        // One build thread: the graph, and so this count, is the same on every run.
        let index = try Fixtures.build(base, metric: .l2, threads: 1)
        let found = try Fixtures.search(index, base, k: 1, ef: 32)
        let missing = found.enumerated().filter { $0.element.first != Int32($0.offset) }.count
        #expect(missing <= 5, "\(missing) of 5000 vectors did not find themselves")
    }
}
